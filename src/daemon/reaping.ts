// Step 2 of the daemon, "start reaping": as PID 1 (or a child subreaper) svinit adopts orphans and
// must reap them; at the end it sweeps the ones still running.

import type { Clock } from '../engine/types.js';
import { enableReaping, startReaper, type ReapedExit, type Reaper } from '../init/reaper.js';
import type { ActivityLogger } from '../logging/types.js';

/** How long adopted orphans get between SIGTERM and SIGKILL in the final sweep. */
const ORPHAN_GRACE_MS = 2000;
const ORPHAN_POLL_MS = 20;

/** Starts reaping orphans when svinit can (the native addon is there); null otherwise. */
export function startReaping(logger: ActivityLogger, owns: (pid: number) => boolean, container: boolean, onOrphanReaped?: () => void): Reaper | null {
  const reaping = enableReaping();
  if (reaping === 'none') {
    if (process.pid === 1) logger.warn('cannot reap orphans: the native addon svinit.node was not found');
    return null;
  }
  const report = reportReaped(logger, container);
  return startReaper({
    owns,
    onReap: (pid, exit) => {
      report(pid, exit);
      onOrphanReaped?.();
    },
    onScanError: (e) => logger.error(`cannot list svinit's children to reap orphans (${e.message}); retrying`),
  });
}

/**
 * supervisord logs every orphan it reaps at INFO. As a container's PID 1 adopting orphans is normal
 * life, not news: there the line goes out at DEBUG.
 */
export function reportReaped(logger: ActivityLogger, container: boolean): (pid: number, exit: ReapedExit) => void {
  return (pid, exit) => {
    const line = `reaped unknown pid ${pid} (${exit.signal ? `terminated by ${exit.signal}` : `exit status ${exit.code}`})`;
    if (container) logger.debug(line);
    else logger.info(line);
  };
}

/**
 * After the last program stopped, orphans adopted by PID 1 may still run: TERM them, give them a
 * moment, then KILL, so the kernel never SIGKILLs a process mid-write when svinit exits.
 */
export async function sweepOrphans(reaper: Pick<Reaper, 'adoptedPids'> | null, logger: ActivityLogger, clock: Clock, kill = safeKill, budgetLeftMs = Infinity): Promise<void> {
  if (!reaper) return;
  let pids = reaper.adoptedPids();
  if (!pids.length) return;
  logger.info(`sending SIGTERM to ${pids.length} adopted orphan(s): ${pids.join(', ')}`);
  for (const pid of pids) kill(pid, 'SIGTERM');
  // Inside a shutdown_timeout, the orphans get what is left of it (less a moment to SIGKILL them).
  const deadline = clock.now() + Math.min(ORPHAN_GRACE_MS, Math.max(0, budgetLeftMs - 100));
  while (clock.now() < deadline) {
    await new Promise<void>((r) => clock.setTimeout(r, ORPHAN_POLL_MS));
    pids = reaper.adoptedPids();
    if (!pids.length) return;
  }
  logger.warn(`killing ${pids.length} adopted orphan(s) with SIGKILL: ${pids.join(', ')}`);
  for (const pid of pids) kill(pid, 'SIGKILL');
}

function safeKill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}
