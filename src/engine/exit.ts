// How a process's exit reads in supervisord's log lines and in its exitstatus.

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
