// The active process groups (supervisord's process_groups dict) and the namespec lookups every
// control, info and log operation starts from.

import { splitNamespec } from '../config/index.js';
import { EngineError } from './errors.js';
import { type ProcessGroup, sortGroups } from './group.js';
import type { Process } from './process.js';

export class ActiveGroups {
  private readonly byName = new Map<string, ProcessGroup>();

  get(name: string): ProcessGroup | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  set(group: ProcessGroup): void {
    this.byName.set(group.name, group);
  }

  delete(name: string): void {
    this.byName.delete(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** In insertion order; callers that need supervisord's order use sorted(). */
  values(): ProcessGroup[] {
    return [...this.byName.values()];
  }

  /** Ascending (priority, name), as supervisord orders groups for start-up and shutdown. */
  sorted(): ProcessGroup[] {
    return sortGroups(this.values());
  }

  /** Every active process in (group priority, process priority) order. */
  allProcesses(): Process[] {
    return this.sorted().flatMap((g) => g.byPriority());
  }

  allUnstopped(): Process[] {
    return this.sorted().flatMap((g) => g.unstopped());
  }

  /** supervisord's _getGroupAndProcess: 'group:name', 'name' (its own group) or 'group:*'. */
  resolve(namespec: string): { group: ProcessGroup; proc: Process | null } {
    const [groupName, procName] = splitNamespec(namespec);
    const group = this.byName.get(groupName);
    if (!group) throw new EngineError('BAD_NAME', namespec);
    if (procName === null) return { group, proc: null };
    const proc = group.find(procName);
    if (!proc) throw new EngineError('BAD_NAME', namespec);
    return { group, proc };
  }

  /** The process a namespec names; a group name alone is BAD_NAME here. */
  process(namespec: string): Process {
    const { proc } = this.resolve(namespec);
    if (!proc) throw new EngineError('BAD_NAME', namespec);
    return proc;
  }

  group(name: string): ProcessGroup {
    const g = this.byName.get(name);
    if (!g) throw new EngineError('BAD_NAME', name);
    return g;
  }
}
