// depends_on's conditions at run time (docs/dependencies.md): whether a dependency's condition
// holds now, may hold later, or never will, and the status text of a program held back by them.
// The graph itself (names, order, cycles) is config's: src/config/dependency-graph.ts.

import type { DependCondition } from '../config/depends.js';
import type { DependencyGraph } from '../config/dependency-graph.js';
import { ProcessState } from './states.js';

/** What the graph needs to know of a live process. */
export interface ProcessView {
  state: ProcessState;
  exitstatus: number | null;
  exitcodes: number[];
  /** EXITED and autorestart will spawn it again. */
  willRestart: boolean;
}

export type ConditionStatus = 'met' | 'waiting' | 'failed';

/** Does one process satisfy a condition now, may it later, or will it never (without help)? */
export function conditionStatus(condition: DependCondition, p: ProcessView): ConditionStatus {
  if (p.state === ProcessState.FATAL) return 'failed';
  const exited = p.state === ProcessState.EXITED;
  switch (condition) {
    case 'started':
      return exited || p.state === ProcessState.STARTING || p.state === ProcessState.RUNNING ? 'met' : 'waiting';
    case 'running':
      if (p.state === ProcessState.RUNNING) return 'met';
      return exited && !p.willRestart ? 'failed' : 'waiting';
    case 'completed':
      return exited ? 'met' : 'waiting';
    case 'completed_successfully':
      if (exited && p.exitcodes.includes(p.exitstatus ?? -1)) return 'met';
      return exited && !p.willRestart ? 'failed' : 'waiting';
  }
}

export interface GateResult {
  status: ConditionStatus;
  /** Status text: `waiting for db (running), cache (ready)` or `migrate failed (EXITED, exit status 1)`. */
  text: string;
}

/** Whether every dependency of `key` holds; the failed ones are named first. */
export function evaluateGate(graph: DependencyGraph, key: string, view: (key: string) => ProcessView): GateResult {
  const waiting: string[] = [];
  const failed: string[] = [];
  for (const { dependency, keys } of graph.dependenciesOf(key)) {
    const statuses = keys.map((k) => ({ k, status: conditionStatus(dependency.condition, view(k)) }));
    const bad = statuses.find((s) => s.status === 'failed');
    if (bad) failed.push(`${dependency.name} failed (${describeView(view(bad.k))})`);
    else if (statuses.some((s) => s.status === 'waiting')) waiting.push(`${dependency.name} (${dependency.written})`);
  }
  if (failed.length) return { status: 'failed', text: `not started: ${failed.join(', ')}` };
  if (waiting.length) return { status: 'waiting', text: `waiting for ${waiting.join(', ')}` };
  return { status: 'met', text: '' };
}

function describeView(p: ProcessView): string {
  if (p.state === ProcessState.EXITED) return `EXITED, exit status ${p.exitstatus ?? -1}`;
  return ProcessState[p.state];
}

