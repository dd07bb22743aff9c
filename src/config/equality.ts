// Config equality used by reread/update (supervisorctl's reread and update), as options.py's __eq__ methods: a process
// compares exactly supervisord's ProcessConfig parameters (so e.g. `user=nobody` vs `user=65534`
// is no change: only the uid counts), except that an AUTO log file equals anything.

import { isDeepStrictEqual } from 'node:util';
import type { ChannelConfig, GroupConfig, ProcessConfig } from './types.js';

const PROCESS_KEYS = [
  'name', 'uid', 'command', 'directory', 'umask', 'priority', 'autostart', 'autorestart', 'startsecs', 'startretries',
  'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'exitcodes', 'redirectStderr', 'environment', 'serverurl',
  // svinit's own keys: a change applies on update as well.
  'envFiles', 'liveness',
] as const satisfies ReadonlyArray<keyof ProcessConfig>;

function channelEquals(a: ChannelConfig, b: ChannelConfig): boolean {
  const auto = a.logfile.kind === 'auto' || b.logfile.kind === 'auto';
  return isDeepStrictEqual({ ...a, logfile: auto ? null : a.logfile }, { ...b, logfile: auto ? null : b.logfile });
}

export function processConfigEquals(a: ProcessConfig, b: ProcessConfig): boolean {
  return PROCESS_KEYS.every((k) => isDeepStrictEqual(a[k], b[k])) && channelEquals(a.stdout, b.stdout) && channelEquals(a.stderr, b.stderr);
}

export function groupConfigEquals(a: GroupConfig, b: GroupConfig): boolean {
  if (a.name !== b.name || a.kind !== b.kind || a.priority !== b.priority) return false;
  if (a.processes.length !== b.processes.length) return false;
  if (!a.processes.every((p, i) => processConfigEquals(p, b.processes[i]))) return false;
  const la = a.eventListener;
  const lb = b.eventListener;
  if (la || lb) {
    if (!la || !lb || la.bufferSize !== lb.bufferSize || la.resultHandler !== lb.resultHandler) return false;
    // supervisord keeps the events as a set: order and repeats do not matter.
    if (!isDeepStrictEqual([...new Set(la.events)].sort(), [...new Set(lb.events)].sort())) return false;
  }
  return a.fcgi?.socket === b.fcgi?.socket;
}
