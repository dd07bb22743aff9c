// The dependency graph of depends_on (docs/dependencies.md): which processes a name stands for,
// start order (dependencies first, supervisord's priority order breaking ties), stop order (its
// reverse) and cycles named in full. Pure data over the config: the loader refuses unknown names
// and cycles with it, and the engine orders starts and stops with it.

import type { Dependency } from './depends.js';
import { makeNamespec } from './namespec.js';
import { ConfigError, type GroupConfig, type ProcessConfig } from './types.js';

export interface GraphNode {
  /** Unique key: the namespec (`group:name`, or `name` when both are the same). */
  key: string;
  programName: string;
  groupName: string;
  dependsOn: Dependency[];
  /** Position in supervisord's order (groups by priority and name, then process priority). */
  rank: number;
}

/** A depends_on name that is neither a program nor a group. */
export class UnknownDependencyError extends Error {
  constructor(
    public readonly key: string,
    public readonly dependency: string,
  ) {
    super(`${key} depends on ${dependency}, which is not a program or group`);
    this.name = 'UnknownDependencyError';
  }
}

export class DependencyCycleError extends Error {
  constructor(public readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}`);
    this.name = 'DependencyCycleError';
  }
}

export interface ResolvedDependency {
  dependency: Dependency;
  /** Keys of the processes the name stands for. */
  keys: string[];
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, ResolvedDependency[]>();
  private readonly order: string[];
  private readonly closure = new Map<string, Set<string>>();

  /** Throws UnknownDependencyError or DependencyCycleError. */
  constructor(nodes: GraphNode[]) {
    for (const n of nodes) this.nodes.set(n.key, n);
    for (const n of nodes) {
      this.edges.set(
        n.key,
        n.dependsOn.map((dependency) => {
          const keys = nodes.filter((m) => m.programName === dependency.name || m.groupName === dependency.name).map((m) => m.key);
          if (!keys.length) throw new UnknownDependencyError(n.key, dependency.name);
          return { dependency, keys };
        }),
      );
    }
    this.order = this.topologicalOrder();
  }

  /** True when no process depends on anything (svinit then behaves exactly as supervisord). */
  get empty(): boolean {
    return [...this.edges.values()].every((e) => !e.length);
  }

  dependenciesOf(key: string): ResolvedDependency[] {
    return this.edges.get(key) ?? [];
  }

  /** Dependencies before dependents; among processes free to go, supervisord's order. */
  startOrder(): string[] {
    return [...this.order];
  }

  /** Dependents before what they depend on, then reverse priority. */
  stopOrder(): string[] {
    return [...this.order].reverse();
  }

  /** Does `a` depend on `b`, directly or through others? */
  dependsOn(a: string, b: string): boolean {
    return this.transitive(a).has(b);
  }

  /** Everything `key` depends on, directly or through others (computed once per key). */
  private transitive(key: string): Set<string> {
    let all = this.closure.get(key);
    if (all) return all;
    all = new Set<string>();
    const stack = [key];
    while (stack.length) {
      for (const d of this.dependenciesOf(stack.pop()!))
        for (const t of d.keys)
          if (!all.has(t)) {
            all.add(t);
            stack.push(t);
          }
    }
    this.closure.set(key, all);
    return all;
  }

  /** Kahn's algorithm choosing the lowest rank among the ready nodes; a leftover means a cycle. */
  private topologicalOrder(): string[] {
    const pending = new Map<string, Set<string>>();
    for (const [k, deps] of this.edges) pending.set(k, new Set(deps.flatMap((d) => d.keys)));
    const out: string[] = [];
    while (pending.size) {
      let next: GraphNode | null = null;
      for (const [k, deps] of pending) {
        if (deps.size) continue;
        const n = this.nodes.get(k)!;
        if (!next || n.rank < next.rank) next = n;
      }
      if (!next) throw new DependencyCycleError(this.findCycle([...pending.keys()]));
      pending.delete(next.key);
      for (const deps of pending.values()) deps.delete(next.key);
      out.push(next.key);
    }
    return out;
  }

  /** A cycle among the nodes left over, as `a -> b -> a` (starting from the lowest-ranked one). */
  private findCycle(left: string[]): string[] {
    const inLeft = new Set(left);
    const start = left.map((k) => this.nodes.get(k)!).sort((a, b) => a.rank - b.rank)[0].key;
    // Every leftover node has a leftover dependency, so walking them must come back round.
    const path: string[] = [];
    let k = start;
    while (!path.includes(k)) {
      path.push(k);
      k = this.dependenciesOf(k).flatMap((d) => d.keys).find((t) => inLeft.has(t))!;
    }
    return [...path.slice(path.indexOf(k)), k];
  }
}

/** Graph nodes for every process of a config, in supervisord's order (groups sorted by priority and name). */
export function graphNodes(groups: GroupConfig[]): Array<GraphNode & { config: ProcessConfig }> {
  let rank = 0;
  return groups.flatMap((g) =>
    [...g.processes]
      .sort((a, b) => a.priority - b.priority)
      .map((config) => ({
        key: makeNamespec(g.name, config.name),
        programName: config.programName,
        groupName: g.name,
        dependsOn: config.dependsOn ?? [],
        rank: rank++,
        config,
      })),
  );
}

/** Load-time check of every depends_on: an unknown name or a cycle is a ConfigError at its depends_on line. */
export function checkDependencies(groups: GroupConfig[]): void {
  const nodes = graphNodes(groups);
  const at = (key: string) => {
    const pc = nodes.find((n) => n.key === key)!.config;
    return [pc.dependsOnSource ?? pc.source, pc.section, 'depends_on'] as const;
  };
  try {
    new DependencyGraph(nodes);
  } catch (e) {
    if (e instanceof UnknownDependencyError) throw new ConfigError(`[${at(e.key)[1]}] depends_on names unknown program or group ${e.dependency}`, ...at(e.key));
    if (e instanceof DependencyCycleError) throw new ConfigError(`depends_on makes a ${e.message}`, ...at(e.cycle[0]));
    throw e;
  }
}
