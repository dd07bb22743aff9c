// A process group (supervisord's ProcessGroup / EventListenerPool / FastCGIProcessGroup).

import { byPriorityThenName } from '../config/order.js';
import type { GroupConfig } from '../config/types.js';
import type { ProcessContext } from './context.js';
import { Process } from './process.js';
import { ProcessState, STOPPED_STATES } from './states.js';

export class ProcessGroup {
  /** In supervisord's transition order (the config's order). */
  readonly processes: Process[];

  constructor(
    public readonly config: GroupConfig,
    ctx: ProcessContext<Process>,
  ) {
    this.processes = config.processes.map((p) => new Process(p, ctx));
  }

  get name(): string {
    return this.config.name;
  }

  get priority(): number {
    return this.config.priority;
  }

  find(name: string): Process | undefined {
    return this.processes.find((p) => p.name === name);
  }

  /** Ascending process priority (supervisord's `processes.sort()`), stable on config order. */
  byPriority(): Process[] {
    return [...this.processes].sort((a, b) => a.config.priority - b.config.priority);
  }

  /** supervisord's stop_all: descending priority; RUNNING/STARTING stop, BACKOFF gives up. */
  stopAll(): void {
    for (const proc of this.byPriority().reverse()) {
      if (proc.state === ProcessState.RUNNING || proc.state === ProcessState.STARTING) proc.stop();
      else if (proc.state === ProcessState.BACKOFF) proc.giveUp();
    }
  }

  unstopped(): Process[] {
    return this.processes.filter((p) => !STOPPED_STATES.has(p.state));
  }

  transition(): void {
    for (const p of this.processes) p.transition();
  }

  dispose(): void {
    for (const p of this.processes) p.dispose();
  }
}

/** Groups in ascending (priority, name) order, as supervisord sorts them. */
export function sortGroups<T extends { priority: number; name: string }>(groups: T[]): T[] {
  return [...groups].sort(byPriorityThenName);
}
