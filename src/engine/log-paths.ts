// Where a process's output can be read back (readProcessLog, tails, /logtail): its log file, or a
// tail kept in memory when its output only reaches the container's stdout/stderr.

import type { LogTarget, ProcessConfig } from '../config/types.js';
import { TailBuffer } from '../logging/tail-buffer.js';
import type { Process } from './process.js';
import type { SupervisorDeps } from './supervisor-deps.js';
import type { Channel } from './types.js';

type LogDeps = Pick<SupervisorDeps, 'resolveAutoLog' | 'reachesContainerOutput'>;

/** Sets `proc.logPaths` (and `proc.tails` where there is no file) for both channels. */
export function assignLogPaths(proc: Process, deps: LogDeps): void {
  for (const channel of ['stdout', 'stderr'] as const) {
    proc.logPaths[channel] = logPath(proc.config, channel, proc.config[channel].logfile, deps);
    // No file to read back, but the output is on the container's stdout/stderr: keep its last
    // part in memory, where supervisord would have nothing to offer anyway.
    if (!proc.logPaths[channel] && !(channel === 'stderr' && proc.config.redirectStderr) && deps.reachesContainerOutput?.(proc.config, channel))
      proc.tails[channel] = new TailBuffer();
  }
}

function logPath(pc: ProcessConfig, channel: Channel, target: LogTarget, deps: LogDeps): string | null {
  if (channel === 'stderr' && pc.redirectStderr) return null;
  if (target.kind === 'none') return null;
  // A device such as /dev/stdout cannot be read back: such channels get a tail buffer instead.
  if (target.kind === 'file') return /^\/(dev|proc)\//.test(target.path) ? null : target.path;
  return deps.resolveAutoLog(pc, channel);
}
