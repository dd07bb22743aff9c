// Config equality used by reread/update (§1.14): every parsed key, except that an AUTO log file
// compares equal to anything.

import { isDeepStrictEqual } from 'node:util';
import type { ChannelConfig, GroupConfig, ProcessConfig } from './types.js';

function channelEquals(a: ChannelConfig, b: ChannelConfig): boolean {
  const auto = a.logfile.kind === 'auto' || b.logfile.kind === 'auto';
  return isDeepStrictEqual({ ...a, logfile: auto ? null : a.logfile }, { ...b, logfile: auto ? null : b.logfile });
}

export function processConfigEquals(a: ProcessConfig, b: ProcessConfig): boolean {
  const strip = ({ stdout: _o, stderr: _e, source: _s, ...rest }: ProcessConfig) => rest;
  return isDeepStrictEqual(strip(a), strip(b)) && channelEquals(a.stdout, b.stdout) && channelEquals(a.stderr, b.stderr);
}

export function groupConfigEquals(a: GroupConfig, b: GroupConfig): boolean {
  if (a.name !== b.name || a.kind !== b.kind || a.priority !== b.priority) return false;
  if (a.processes.length !== b.processes.length) return false;
  if (!a.processes.every((p, i) => processConfigEquals(p, b.processes[i]))) return false;
  return isDeepStrictEqual(a.eventListener, b.eventListener) && a.fcgi?.socket === b.fcgi?.socket;
}
