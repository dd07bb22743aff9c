// svinit as PID 1 in a real container, probed from outside like a kubelet: /readyz and /healthz on
// the mapped [probe_http_server] port through start-up, a liveness restart and `docker stop`;
// /metrics scraped and parsed.

import parsePrometheus from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/daemon.js';
import { startSvinit, type SvContainer } from './helpers.js';

const started: SvContainer[] = [];
afterEach(async () => {
  for (const c of started.splice(0)) await c.remove();
});

// Answers /health until /tmp/hang exists, then never answers; a fresh start clears the hang.
const SERVER = `const fs = require('fs');
fs.rmSync('/tmp/hang', { force: true });
require('http').createServer((req, res) => { if (!fs.existsSync('/tmp/hang')) res.end('ok'); }).listen(8080, '127.0.0.1');
`;

const CONFIG = `[supervisord]
shutdown_timeout=4

[probe_http_server]
port=8081

[program:web]
command=node /srv/server.js
startsecs=1
liveness_check=http://127.0.0.1:8080/health
; Node may take seconds to listen on a loaded machine: that is what the initial delay is for.
liveness_check_initial_delay=10
liveness_check_interval=1
liveness_check_timeout=0.5
liveness_check_failure_threshold=2

; Fails to start until the test creates /tmp/go: svinit is not ready until then.
[program:gate]
command=/bin/sh -c "test -f /tmp/go && exec sleep 1000"
startsecs=1
startretries=1000

[program:stubborn]
command=/bin/sh -c "trap '' TERM; while :; do sleep 0.1; done"
startsecs=0
stopwaitsecs=60
`;

interface Observation {
  path: string;
  status: number | 'refused';
}

/** Polls /readyz and /healthz every 100 ms, as a kubelet does, until stopped. */
function kubelet(base: string) {
  const seen: Observation[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const path of ['/readyz', '/healthz']) {
        let status: Observation['status'];
        try {
          status = (await fetch(base + path, { signal: AbortSignal.timeout(5000) })).status;
        } catch {
          status = 'refused';
        }
        seen.push({ path, status });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    seen,
    /** The distinct statuses of one path in the order they were seen (repeats collapsed). */
    phases(path: string): Array<Observation['status']> {
      const out: Array<Observation['status']> = [];
      for (const o of seen) if (o.path === path && out[out.length - 1] !== o.status) out.push(o.status);
      return out;
    },
    mark: () => seen.length,
    async stop() {
      running = false;
      await loop;
    },
  };
}

describe('probes from outside the container', () => {
  it('a kubelet-like loop sees start-up, a liveness restart and docker stop; /metrics parses', async () => {
    const c = await startSvinit({ config: CONFIG, files: { '/srv/server.js': SERVER }, ports: [8081] });
    started.push(c);
    const base = `http://${c.c.getHost()}:${c.c.getMappedPort(8081)}`;
    const k = kubelet(base);
    try {
      // Start-up: not ready while gate cannot start, then ready.
      await waitFor(() => k.phases('/readyz').includes(503), '/readyz 503 during start-up', 60_000, 100);
      await c.exec(['touch', '/tmp/go']);
      await waitFor(() => k.phases('/readyz').includes(200), '/readyz 200 after start-up', 60_000, 100);
      expect(k.phases('/readyz').filter((s) => s !== 'refused').slice(0, 2)).toEqual([503, 200]);
      expect(k.phases('/healthz').filter((s) => s !== 'refused')).toEqual([200]);

      // Liveness: web stops answering; svinit restarts it; readiness dips and comes back.
      const beforeHang = k.mark();
      await c.exec(['touch', '/tmp/hang']);
      await c.waitForLog(/restarting 'web': liveness check failed 2 times in a row: http:\/\/127\.0\.0\.1:8080\/health: no answer within 500 ms/, 60_000);
      await waitFor(
        () => {
          const after = k.seen.slice(beforeHang).filter((o) => o.path === '/readyz').map((o) => o.status);
          const dip = after.indexOf(503);
          return dip >= 0 && after.indexOf(200, dip) > dip;
        },
        '/readyz 503 then 200 around the liveness restart',
        60_000,
        100,
      );
      expect(k.seen.slice(beforeHang).filter((o) => o.path === '/healthz').every((o) => o.status === 200)).toBe(true);

      const families = parsePrometheus(await (await fetch(`${base}/metrics`)).text()) as Array<{ name: string; metrics: Array<{ labels?: Record<string, string>; value: string }> }>;
      const metric = (name: string, labels: Record<string, string>) =>
        families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([key, v]) => m.labels?.[key] === v))?.value;
      expect(metric('svinit_process_up', { name: 'web' })).toBe('1');
      expect(Number(metric('svinit_process_restarts_total', { name: 'web' }))).toBeGreaterThanOrEqual(1);
      expect(metric('svinit_process_exits_total', { name: 'web', code: 'SIGTERM' })).toBe('1');
      expect(metric('svinit_state', {})).toBe('1');
      expect(Number(families.find((f) => f.name === 'process_resident_memory_bytes')?.metrics[0].value)).toBeGreaterThan(0);

      // docker stop: 503 from both probes while stubborn holds svinit up, then the port closes;
      // shutdown_timeout=4 ends it well inside docker's 10 s, with svinit's own exit code.
      const beforeStop = k.mark();
      const stop = await c.dockerStop(10);
      expect(stop.exitCode).toBe(0);
      await k.stop();
      const during = k.seen.slice(beforeStop);
      const ready = during.filter((o) => o.path === '/readyz').map((o) => o.status);
      const healthy = during.filter((o) => o.path === '/healthz').map((o) => o.status);
      expect(ready).toContain(503);
      expect(healthy).toContain(503);
      // Once 503, never 200 again.
      expect(ready.slice(ready.indexOf(503))).not.toContain(200);
      expect(healthy.slice(healthy.indexOf(503))).not.toContain(200);
      const log = await c.logs();
      expect(log).toMatch(/readiness: not ready, shutting down \(\/readyz answers 503\)/);
      expect(log).toMatch(/shutdown_timeout of 4 s nearly spent: killing every remaining process with SIGKILL/);
    } catch (e) {
      // The container's activity log is the first thing to read when this fails.
      throw new Error(`${(e as Error).message}\n--- container log:\n${await c.logs()}`);
    } finally {
      await k.stop();
    }
  }, 240_000);
});
