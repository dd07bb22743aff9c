// Signalling a child's whole process group, falling back to the child alone (it may not lead a
// group of its own), and ignoring a child that is already gone: its exit is handled when reaped.

import type { ActivityLogger } from '../logging/types.js';
import type { Spawner } from './types.js';

export function killGroupOrProcess(spawner: Spawner, pid: number, sig: number): void {
  try {
    spawner.kill(-pid, sig);
  } catch {
    try {
      spawner.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * supervisord's kill() and signal() delivery: a process already gone (ESRCH) is only a DEBUG line,
 * its exit is handled when it is reaped; any other failure is returned as supervisord's
 * "unknown problem" text (and logged CRITICAL), and the caller moves the process to UNKNOWN.
 */
export function deliverSignal(
  ctx: { spawner: Spawner; logger: ActivityLogger },
  target: number,
  sig: number,
  who: { name: string; pid: number; doing: 'killing' | 'sending sig'; when: 'just' | 'just now' },
): string | null {
  try {
    ctx.spawner.kill(target, sig);
    return null;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ESRCH') {
      ctx.logger.debug(`unable to signal ${who.name} (pid ${who.pid}), it probably ${who.when} exited on its own: ${err.message}`);
      return null;
    }
    const msg = `unknown problem ${who.doing} ${who.name} (${who.pid}):${err.stack ?? err.message}`;
    ctx.logger.critical(msg);
    return msg;
  }
}

/** A second TERM/INT while stopping: SIGKILL every running process's group now. */
export function killAllNow(processes: Iterable<{ name: string; pid: number; killing: boolean }>, spawner: Spawner, logger: ActivityLogger): void {
  for (const p of processes) {
    if (!p.pid) continue;
    logger.warn(`killing '${p.name}' (${p.pid}) with SIGKILL`);
    p.killing = true;
    killGroupOrProcess(spawner, p.pid, 9);
  }
}
