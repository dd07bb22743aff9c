// Everything /metrics answers: the per-program families, svinit's own process metrics, and the
// daemon's counters (orphans reaped, XML-RPC requests). See docs/metrics.md for each family.

import type { EventEmitter } from 'node:events';
import type { EngineFacts } from '../engine/facts.js';
import { Exposition, type Sample } from './exposition.js';
import { ProgramMetrics, type ProcessView } from './programs.js';
import { RuntimeMetrics } from './runtime.js';

export { CONTENT_TYPE } from './exposition.js';

/** Distinct XML-RPC method names kept as labels; a client calling made-up names cannot grow the output. */
const MAX_RPC_METHODS = 100;

export interface MetricsSource {
  facts: EventEmitter<EngineFacts>;
  processes(): Iterable<ProcessView>;
  /** supervisord's state code of svinit itself (1 RUNNING, 0 RESTARTING, -1 SHUTDOWN, 2 FATAL). */
  supervisorState(): number;
}

export class Metrics {
  private readonly programs: ProgramMetrics;
  private readonly runtime = new RuntimeMetrics();
  private orphansReaped = 0;
  private readonly rpc = new Map<string, { method: string; fault: string | null; n: number }>();
  private readonly rpcMethods = new Set<string>();

  constructor(private readonly source: MetricsSource) {
    this.programs = new ProgramMetrics(source.facts, () => source.processes());
  }

  /** An orphan (a process svinit did not spawn) was reaped. */
  countOrphanReaped(): void {
    this.orphansReaped++;
  }

  /** One XML-RPC request; fault is the fault's name, or null when it succeeded. */
  countRpc(method: string, fault: string | null): void {
    if (!this.rpcMethods.has(method)) {
      if (this.rpcMethods.size >= MAX_RPC_METHODS) method = 'other';
      else this.rpcMethods.add(method);
    }
    const key = `${method}\0${fault ?? ''}`;
    const entry = this.rpc.get(key);
    if (entry) entry.n++;
    else this.rpc.set(key, { method, fault, n: 1 });
  }

  /** The /metrics body. */
  render(): string {
    const out = new Exposition();
    out.family('svinit_state', 'gauge', "svinit's supervisord state code (1 RUNNING, 0 RESTARTING, -1 SHUTDOWN).", [{ value: this.source.supervisorState() }]);
    this.programs.render(out);
    out.family('svinit_orphans_reaped_total', 'counter', 'Processes svinit did not spawn (orphans it adopted) that it reaped.', [{ value: this.orphansReaped }]);
    const rpc: Sample[] = [...this.rpc.values()].map(({ method, fault, n }): Sample => ({ labels: fault ? { method, fault } : { method }, value: n }));
    out.family('svinit_xmlrpc_requests_total', 'counter', 'XML-RPC requests by method, and by fault name for those that failed.', rpc);
    this.runtime.render(out);
    return out.toString();
  }

  close(): void {
    this.runtime.stop();
  }
}
