// svinit's own process metrics, under the names Prometheus client libraries use for them
// (process_*), plus the event-loop lag that tells whether svinit's one thread keeps up.

import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Exposition, Sample } from './exposition.js';

/**
 * How often the event-loop lag is sampled, in ms. The sampler is a timer, so it starts with the
 * first scrape: an idle svinit that nobody scrapes keeps waking up only when it has work.
 */
const LAG_RESOLUTION_MS = 100;

const QUANTILES = [0.5, 0.9, 0.99];

function countFds(): number | null {
  try {
    return fs.readdirSync('/proc/self/fd').length - 1; // less the descriptor readdir itself opened
  } catch {
    return null;
  }
}

function maxFds(): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export class RuntimeMetrics {
  private lag: IntervalHistogram | null = null;
  private readonly startTime = Date.now() / 1000 - process.uptime();

  /** Writes the process_* and svinit_event_loop_lag_seconds families. */
  render(out: Exposition): void {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    out.family('process_cpu_user_seconds_total', 'counter', 'User CPU time spent by svinit in seconds.', [{ value: cpu.user / 1e6 }]);
    out.family('process_cpu_system_seconds_total', 'counter', 'System CPU time spent by svinit in seconds.', [{ value: cpu.system / 1e6 }]);
    out.family('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent by svinit in seconds.', [{ value: (cpu.user + cpu.system) / 1e6 }]);
    out.family('process_start_time_seconds', 'gauge', 'Start time of svinit since unix epoch in seconds.', [{ value: Math.round(this.startTime) }]);
    out.family('process_resident_memory_bytes', 'gauge', 'Resident memory size of svinit in bytes.', [{ value: mem.rss }]);
    out.family('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap used by svinit in bytes.', [{ value: mem.heapUsed }]);
    const fds = countFds();
    if (fds !== null) out.family('process_open_fds', 'gauge', 'Number of open file descriptors of svinit.', [{ value: fds }]);
    const max = maxFds();
    if (max !== null) out.family('process_max_fds', 'gauge', 'Maximum number of open file descriptors of svinit.', [{ value: max }]);
    this.renderLag(out);
  }

  private renderLag(out: Exposition): void {
    if (!this.lag) {
      this.lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
      this.lag.enable();
    }
    const h = this.lag;
    // The histogram measures how late each sampling timer fired, in ns, resolution included.
    const lateness = (ns: number) => Math.max(0, ns / 1e9 - LAG_RESOLUTION_MS / 1000);
    const samples: Sample[] = h.count
      ? QUANTILES.map((q) => ({ labels: { quantile: q }, value: lateness(h.percentile(q * 100)) }))
      : [];
    samples.push({ suffix: '_sum', value: h.count ? lateness(h.mean) * h.count : 0 }, { suffix: '_count', value: h.count });
    out.family(
      'svinit_event_loop_lag_seconds',
      'summary',
      `How late svinit's event loop ran a timer, sampled every ${LAG_RESOLUTION_MS} ms since the first scrape.`,
      samples,
    );
  }

  stop(): void {
    this.lag?.disable();
    this.lag = null;
  }
}
