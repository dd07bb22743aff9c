// /metrics rendering, parsed back with a Prometheus text-format parser.

import { EventEmitter } from 'node:events';
import parsePrometheus from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { EngineFacts, ProcessStateFact } from '../../../src/engine/facts.js';
import { ProcessState as S } from '../../../src/engine/states.js';
import type { ExitInfo } from '../../../src/engine/types.js';
import { escapeLabelValue, Exposition, formatValue } from '../../../src/metrics/exposition.js';
import type { ProcessView } from '../../../src/metrics/programs.js';
import { Metrics } from '../../../src/metrics/registry.js';

interface Family {
  name: string;
  help: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string>; quantiles?: Record<string, string>; count?: string; sum?: string }>;
}

class View implements ProcessView {
  state = S.STOPPED;
  laststart = 0;
  lastExit: ExitInfo | null = null;
  outputBytes = { stdout: 0, stderr: 0 };
  constructor(
    public name: string,
    public group: string,
  ) {}
}

function setup(views: View[]) {
  const facts = new EventEmitter<EngineFacts>();
  const metrics = new Metrics({ facts, processes: () => views, supervisorState: () => 1 });
  const move = (v: View, to: S, pid = 100, exit?: ExitInfo) => {
    if (exit) v.lastExit = exit;
    const fact: ProcessStateFact = { name: v.name, group: v.group, from: v.state, to, pid, tries: 0 };
    v.state = to;
    facts.emit('processState', fact);
  };
  const scrape = () => {
    const text = metrics.render();
    const families = parsePrometheus(text) as Family[];
    const byName = new Map(families.map((f) => [f.name, f]));
    return { text, families, byName };
  };
  return { facts, metrics, move, scrape };
}

const sampleOf = (f: Family | undefined, labels: Record<string, string>) =>
  f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));

describe('metrics exposition', () => {
  it('renders per-program state, up, start time, restarts, exits by code, last exit code and log bytes', () => {
    const web = new View('web', 'web');
    const w0 = new View('worker_00', 'workers');
    const { move, scrape } = setup([web, w0]);
    move(web, S.STARTING, 0);
    web.laststart = 1_700_000_000_500;
    move(web, S.RUNNING, 101);
    web.outputBytes = { stdout: 1234, stderr: 5 };
    // worker: starts, exits 3 (unexpected), restarts, is killed by SIGKILL, restarts.
    move(w0, S.STARTING, 0);
    move(w0, S.RUNNING, 200);
    move(w0, S.EXITED, 200, { code: 3, signal: null });
    move(w0, S.STARTING, 0);
    move(w0, S.BACKOFF, 201, { code: null, signal: 'SIGKILL' });
    move(w0, S.STARTING, 0);
    move(w0, S.RUNNING, 202);
    move(w0, S.EXITED, 202, { code: 3, signal: null });

    const { byName } = scrape();
    expect(byName.get('svinit_process_state')?.type).toBe('GAUGE');
    expect(sampleOf(byName.get('svinit_process_state'), { name: 'web', group: 'web' })?.value).toBe('20');
    expect(sampleOf(byName.get('svinit_process_state'), { name: 'worker_00', group: 'workers' })?.value).toBe('100');
    expect(sampleOf(byName.get('svinit_process_up'), { name: 'web' })?.value).toBe('1');
    expect(sampleOf(byName.get('svinit_process_up'), { name: 'worker_00' })?.value).toBe('0');
    expect(sampleOf(byName.get('svinit_process_start_time_seconds'), { name: 'web' })?.value).toBe('1700000000.5');
    expect(byName.get('svinit_process_restarts_total')?.type).toBe('COUNTER');
    expect(sampleOf(byName.get('svinit_process_restarts_total'), { name: 'web' })?.value).toBe('0');
    expect(sampleOf(byName.get('svinit_process_restarts_total'), { name: 'worker_00' })?.value).toBe('2');
    expect(sampleOf(byName.get('svinit_process_exits_total'), { name: 'worker_00', code: '3' })?.value).toBe('2');
    expect(sampleOf(byName.get('svinit_process_exits_total'), { name: 'worker_00', code: 'SIGKILL' })?.value).toBe('1');
    expect(sampleOf(byName.get('svinit_process_exits_total'), { name: 'web' })).toBeUndefined();
    expect(sampleOf(byName.get('svinit_process_last_exit_code'), { name: 'worker_00' })?.value).toBe('3');
    expect(sampleOf(byName.get('svinit_process_last_exit_code'), { name: 'web' })).toBeUndefined();
    expect(sampleOf(byName.get('svinit_process_log_bytes_total'), { name: 'web', stream: 'stdout' })?.value).toBe('1234');
    expect(sampleOf(byName.get('svinit_process_log_bytes_total'), { name: 'web', stream: 'stderr' })?.value).toBe('5');
  });

  it('does not count a spawn failure (no pid) as an exit, and a signal death reports 128+n', () => {
    const v = new View('x', 'x');
    const { move, scrape } = setup([v]);
    move(v, S.STARTING, 0);
    move(v, S.BACKOFF, 0);
    expect(scrape().byName.get('svinit_process_exits_total')).toBeUndefined();
    move(v, S.STARTING, 0);
    move(v, S.RUNNING, 7);
    move(v, S.STOPPING, 7);
    move(v, S.STOPPED, 7, { code: null, signal: 'SIGTERM' });
    const { byName } = scrape();
    expect(sampleOf(byName.get('svinit_process_exits_total'), { name: 'x', code: 'SIGTERM' })?.value).toBe('1');
    expect(sampleOf(byName.get('svinit_process_last_exit_code'), { name: 'x' })?.value).toBe('143');
  });

  it("renders svinit's own process metrics, event-loop lag as a summary, orphans reaped and XML-RPC requests", () => {
    const { metrics, scrape } = setup([]);
    metrics.countOrphanReaped();
    metrics.countOrphanReaped();
    metrics.countRpc('supervisor.getState', null);
    metrics.countRpc('supervisor.getState', null);
    metrics.countRpc('supervisor.startProcess', 'BAD_NAME');
    const { byName } = scrape();
    expect(byName.get('svinit_state')?.metrics[0].value).toBe('1');
    expect(byName.get('svinit_orphans_reaped_total')?.metrics[0].value).toBe('2');
    const rpc = byName.get('svinit_xmlrpc_requests_total');
    expect(sampleOf(rpc, { method: 'supervisor.getState' })?.value).toBe('2');
    expect(sampleOf(rpc, { method: 'supervisor.startProcess', fault: 'BAD_NAME' })?.value).toBe('1');
    expect(Number(byName.get('process_resident_memory_bytes')?.metrics[0].value)).toBeGreaterThan(1024 * 1024);
    expect(Number(byName.get('process_cpu_seconds_total')?.metrics[0].value)).toBeGreaterThan(0);
    expect(Number(byName.get('process_open_fds')?.metrics[0].value)).toBeGreaterThan(0);
    expect(Number(byName.get('process_start_time_seconds')?.metrics[0].value)).toBeGreaterThan(1.5e9);
    const lag = byName.get('svinit_event_loop_lag_seconds');
    expect(lag?.type).toBe('SUMMARY');
    expect(Number(lag?.metrics[0].count)).toBeGreaterThanOrEqual(0);
    metrics.close();
  });

  it('keeps the label set bounded when clients call made-up XML-RPC methods', () => {
    const { metrics, scrape } = setup([]);
    for (let i = 0; i < 500; i++) metrics.countRpc(`made.up${i}`, 'UNKNOWN_METHOD');
    const rpc = scrape().byName.get('svinit_xmlrpc_requests_total')!;
    expect(rpc.metrics.length).toBeLessThanOrEqual(101);
    expect(sampleOf(rpc, { method: 'other', fault: 'UNKNOWN_METHOD' })?.value).toBe('400');
    metrics.close();
  });

  it('escapes label values and help text so that odd program names parse back unchanged', () => {
    const out = new Exposition();
    out.family('t_gauge', 'gauge', 'line one\nback\\slash', [{ labels: { name: 'a"b\\c\nd' }, value: 1 }]);
    const [f] = parsePrometheus(out.toString()) as Family[];
    expect(f.metrics[0].labels?.name).toBe('a"b\\c\nd');
    expect(escapeLabelValue('plain')).toBe('plain');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(NaN)).toBe('NaN');
    expect(() => out.family('t_gauge', 'gauge', 'again', [{ value: 1 }])).toThrow(/twice/);
  });

  it('stays parseable and complete at 1,000 programs', () => {
    const views = Array.from({ length: 1000 }, (_, i) => new View(`p${i}`, `g${i % 10}`));
    const { move, scrape } = setup(views);
    for (const v of views) move(v, S.STARTING, 0);
    const { byName } = scrape();
    expect(byName.get('svinit_process_state')?.metrics).toHaveLength(1000);
    expect(byName.get('svinit_process_log_bytes_total')?.metrics).toHaveLength(2000);
  });
});
