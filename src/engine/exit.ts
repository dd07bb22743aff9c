// How a process's exit reads in supervisord's log lines and in its exitstatus.

import type { ProcessConfig } from '../config/types.js';
import { ProcessState } from './states.js';
import type { ExitInfo } from './types.js';

export interface ExitDescription {
  /** supervisord's exitstatus: the exit code, or -1 when killed by a signal. */
  es: number;
  msg: string;
}

export function describeExit(exit: ExitInfo): ExitDescription {
  if (exit.signal) {
    const core = exit.coreDumped ? ' (core dumped)' : '';
    return { es: -1, msg: `terminated by ${exit.signal}${core}` };
  }
  return { es: exit.code ?? -1, msg: `exit status ${exit.code ?? -1}` };
}

/**
 * supervisord's "Exited too quickly": the run ended before it counted as started (within
 * startsecs; with readiness configured, before it was ready or after failing to be). Null when
 * laststart is in the future (the clock went back): supervisord then assumes it did not.
 */
export function exitedTooQuickly(
  p: { config: Pick<ProcessConfig, 'readiness' | 'startsecs'>; readyFailure: string | null; state: ProcessState; laststart: number },
  now: number,
): boolean | null {
  if (p.config.readiness) return p.readyFailure !== null || p.state === ProcessState.STARTING;
  if (now < p.laststart) return null;
  return now - p.laststart < p.config.startsecs * 1000;
}
