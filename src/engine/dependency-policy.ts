// depends_on and essential inside the running engine (docs/dependencies.md): the start order, the
// gate an autostart consults, what a shutdown may stop next, changed settings applied at reread,
// and the moment an essential program ends the container. The Supervisor calls it; the graph and
// its waking live in dependency-tracker.ts, the rules in dependencies.ts and essential.ts.

import type { GroupConfig } from '../config/types.js';
import type { ActivityLogger } from '../logging/types.js';
import type { ActiveGroups } from './active-groups.js';
import type { GateResult } from './dependencies.js';
import { DependencyTracker } from './dependency-tracker.js';
import { essentialCannotStart, essentialEnded, type EssentialEnd } from './essential.js';
import type { Process } from './process.js';
import { ProcessState } from './states.js';

export interface PolicyDeps {
  groups: ActiveGroups;
  logger: ActivityLogger;
  /** True while supervisord's mood is RUNNING. */
  running(): boolean;
  shutdown(): void;
}

export class DependencyPolicy {
  readonly tracker = new DependencyTracker();
  /** Set when an essential program ended for good: svinit's exit code. */
  exitCode: number | null = null;

  constructor(private readonly deps: PolicyDeps) {}

  /** After the active processes or their depends_on changed. */
  rebuild(): void {
    this.tracker.rebuild(this.deps.groups.allProcesses(), (m) => this.deps.logger.warn(m));
  }

  /** Dependency order (supervisord's priority order when nothing depends on anything). */
  startOrder(): Process[] {
    return this.tracker.startOrder();
  }

  /** depends_on's gate; an essential program that can never start ends the container. */
  gate(proc: Process): GateResult {
    const gate = this.tracker.gate(proc);
    const end = essentialCannotStart(proc, gate);
    // Not from inside the transition that asked.
    if (end) queueMicrotask(() => this.endContainer(proc, end));
    return gate;
  }

  /** A process changed state while svinit runs: an essential one may end it, held ones look again. */
  onStateChange(proc: Process, to: ProcessState): void {
    const end = essentialEnded(proc, to);
    if (end) return this.endContainer(proc, end);
    // After the state change is complete (finish() may pass through several), held programs look again.
    this.tracker.scheduleWake();
  }

  get ordersShutdown(): boolean {
    return this.tracker.hasDependencies;
  }

  /** Shutdown with depends_on: stop what nothing running depends on any more, in reverse priority. */
  stopNext(): void {
    const rank = new Map(this.deps.groups.sorted().map((g, i) => [g.name, i]));
    for (const p of this.tracker.stoppableNow((q) => rank.get(q.group) ?? 0)) {
      if (p.state === ProcessState.RUNNING || p.state === ProcessState.STARTING) p.stop();
      else if (p.state === ProcessState.BACKOFF) p.giveUp();
    }
  }

  /**
   * depends_on, readiness and essential are not part of supervisord's process equality: a change
   * to them alone is applied to the running program's config, for its next start, without a restart
   * (at reread, so `supervisorctl update` and SIGHUP both apply it).
   */
  applySettings(fresh: GroupConfig[], changedOrRemoved: Set<string>): void {
    for (const gc of fresh) {
      const active = this.deps.groups.get(gc.name);
      if (!active || changedOrRemoved.has(gc.name)) continue;
      for (const pc of gc.processes) {
        const proc = active.find(pc.name);
        if (proc) Object.assign(proc.config, { dependsOn: pc.dependsOn, dependsOnSource: pc.dependsOnSource, readiness: pc.readiness, essential: pc.essential });
      }
    }
    this.rebuild();
  }

  /** An essential program is gone for good: its code becomes svinit's, and everything stops. */
  private endContainer(proc: Process, end: EssentialEnd): void {
    if (!this.deps.running() || this.exitCode !== null) return;
    this.exitCode = end.code;
    this.deps.logger.critical(`essential program '${proc.name}' ${end.reason}: shutting down with exit code ${end.code}`);
    this.deps.shutdown();
  }
}
