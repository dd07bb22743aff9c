// supervisord's make_allfunc: a group/all operation runs one call per process and reports each
// outcome as a {name, group, status, description} struct.

import { makeNamespec } from '../config/index.js';
import { EngineError, Faults } from './errors.js';
import type { Process } from './process.js';
import type { ProcessResult } from './types.js';

export function ok(p: Process): ProcessResult {
  return { name: p.name, group: p.group, status: Faults.SUCCESS, description: 'OK' };
}

export function failed(p: Process, e: unknown): ProcessResult {
  if (e instanceof EngineError) return { name: p.name, group: p.group, status: e.code, description: e.message };
  return { name: p.name, group: p.group, status: Faults.FAILED, description: `FAILED: ${(e as Error).message}` };
}

/**
 * Results of calls that finished at once come first, then those of deferred calls (in process
 * order, as supervisord's poll finds them done together).
 */
export async function forEachProcess(
  procs: Process[],
  predicate: (p: Process) => boolean,
  fn: (namespec: string) => Promise<unknown>,
): Promise<ProcessResult[]> {
  const immediate: ProcessResult[] = [];
  const deferred: Array<Promise<ProcessResult>> = [];
  for (const p of procs) {
    if (!predicate(p)) continue;
    let settled: ProcessResult | null = null;
    const promise = fn(makeNamespec(p.group, p.name)).then(
      () => (settled = ok(p)),
      (e) => (settled = failed(p, e)),
    );
    // Let a call that completes synchronously (a fault, or no waiting needed) settle now.
    await Promise.resolve();
    await Promise.resolve();
    if (settled) immediate.push(settled);
    else deferred.push(promise);
  }
  return [...immediate, ...(await Promise.all(deferred))];
}

/** The same for calls that never wait (signal, clear logs). */
export function forEachProcessSync(procs: Process[], predicate: (p: Process) => boolean, fn: (namespec: string) => unknown): ProcessResult[] {
  const results: ProcessResult[] = [];
  for (const p of procs) {
    if (!predicate(p)) continue;
    try {
      fn(makeNamespec(p.group, p.name));
      results.push(ok(p));
    } catch (e) {
      results.push(failed(p, e));
    }
  }
  return results;
}
