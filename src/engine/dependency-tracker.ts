// depends_on at run time: the graph over the active processes, the start gate each process asks
// before an automatic or requested spawn, waking the held-back ones when a dependency's state
// changes, what `start x` must start first, and which processes a shutdown may stop now.

import { makeNamespec } from '../config/namespec.js';
import { DependencyGraph } from '../config/dependency-graph.js';
import { evaluateGate, type GateResult, type ProcessView } from './dependencies.js';
import type { Process } from './process.js';
import { ProcessState, RUNNING_STATES, STOPPED_STATES } from './states.js';

const MET: GateResult = { status: 'met', text: '' };

/** Would transition() spawn an EXITED process again (supervisord's autorestart rule)? */
export function willRestart(p: Process): boolean {
  if (p.state !== ProcessState.EXITED) return false;
  const { autorestart, exitcodes } = p.config;
  return autorestart === true || (autorestart === 'unexpected' && !exitcodes.includes(p.exitstatus ?? -1));
}

export function processView(p: Process): ProcessView {
  return { state: p.state, exitstatus: p.exitstatus, exitcodes: p.config.exitcodes, willRestart: willRestart(p) };
}

export class DependencyTracker {
  private graph = new DependencyGraph([]);
  private readonly byKey = new Map<string, Process>();
  private readonly keys = new WeakMap<Process, string>();
  /** Processes whose last gate check held them back. */
  private readonly held = new Set<Process>();
  private waking = false;
  private wakeAgain = false;
  private wakeQueued = false;

  /**
   * Rebuilds the graph from the active processes in supervisord's order. The config loader has
   * already refused unknown names and cycles; a dependency left dangling (its group removed by
   * hand with removeProcessGroup) is reported and dropped.
   */
  rebuild(processes: Process[], report: (message: string) => void): void {
    this.byKey.clear();
    for (const p of processes) {
      const key = makeNamespec(p.group, p.name);
      this.byKey.set(key, p);
      this.keys.set(p, key);
    }
    for (const p of [...this.held]) if (!this.keys.has(p) || this.byKey.get(this.keys.get(p)!) !== p) this.held.delete(p);
    const nodes = processes.map((p, rank) => ({
      key: this.keys.get(p)!,
      programName: p.config.programName,
      groupName: p.group,
      dependsOn: p.config.dependsOn ?? [],
      rank,
    }));
    try {
      this.graph = new DependencyGraph(nodes);
    } catch (e) {
      report(`depends_on: ${(e as Error).message}; ignoring the dependencies of the affected programs`);
      this.graph = new DependencyGraph(nodes.map((n) => ({ ...n, dependsOn: n.dependsOn.filter((d) => processes.some((p) => p.config.programName === d.name || p.group === d.name)) })));
    }
  }

  get hasDependencies(): boolean {
    return !this.graph.empty;
  }

  /** May `p` be spawned now? Remembers held-back processes so wake() can retry them. */
  gate(p: Process): GateResult {
    const key = this.keys.get(p);
    if (!key || this.byKey.get(key) !== p) return MET;
    const result = evaluateGate(this.graph, key, (k) => processView(this.byKey.get(k)!));
    if (result.status === 'met') this.held.delete(p);
    else this.held.add(p);
    return result;
  }

  /** wake() once the current turn of state changes is over (a microtask), however many there were. */
  scheduleWake(): void {
    if (!this.held.size || this.wakeQueued) return;
    this.wakeQueued = true;
    queueMicrotask(() => {
      this.wakeQueued = false;
      this.wake();
    });
  }

  /** Let held-back processes re-check their gate (re-entrancy folded into one loop). */
  wake(): void {
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    try {
      do {
        this.wakeAgain = false;
        for (const p of [...this.held]) p.transition();
      } while (this.wakeAgain);
    } finally {
      this.waking = false;
    }
  }

  /** The dependencies `start p` must start first (transitively, in start order) that are neither running nor satisfied. */
  toStartBefore(p: Process): Process[] {
    const key = this.keys.get(p);
    if (!key) return [];
    const order = this.graph.startOrder();
    return order
      .filter((k) => k !== key && this.graph.dependsOn(key, k))
      .map((k) => this.byKey.get(k)!)
      .filter((d) => !RUNNING_STATES.has(d.state) && d.state !== ProcessState.STOPPING && !this.satisfiesDependents(d, key));
  }

  /** A one-shot that already completed as required is not run again. */
  private satisfiesDependents(d: Process, dependentKey: string): boolean {
    if (d.state !== ProcessState.EXITED) return false;
    const dKey = this.keys.get(d)!;
    const view = processView(d);
    const wanted = this.graph
      .dependenciesOf(dependentKey)
      .filter((r) => r.keys.includes(dKey))
      .map((r) => r.dependency.condition);
    if (!wanted.length) return false; // transitive only: run it again only if it is not done
    return wanted.every((c) => c === 'completed' || c === 'started' || (c === 'completed_successfully' && view.exitcodes.includes(view.exitstatus ?? -1)));
  }

  /** Every process in start order (dependencies first, then supervisord's order). */
  startOrder(): Process[] {
    return this.graph.startOrder().map((k) => this.byKey.get(k)!);
  }

  /**
   * Shutdown: the unstopped processes that may be stopped now. `q` must be stopped before `p` when
   * q comes earlier in stop order and either depends on p or belongs to a group supervisord stops
   * first (`groupRank`: higher stops earlier). With no depends_on this is supervisord's one group
   * at a time.
   */
  stoppableNow(groupRank: (p: Process) => number): Process[] {
    const order = this.graph.stopOrder().map((k) => this.byKey.get(k)!);
    const unstopped = order.filter((p) => !STOPPED_STATES.has(p.state));
    return unstopped.filter((p, i) => {
      const pk = this.keys.get(p)!;
      return !unstopped.slice(0, i).some((q) => groupRank(q) > groupRank(p) || this.graph.dependsOn(this.keys.get(q)!, pk));
    });
  }
}
