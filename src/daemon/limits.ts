// supervisord's minfds / minprocs: raise RLIMIT_NOFILE and RLIMIT_NPROC at start, or refuse to
// start when the limit cannot be had (supervisord's behaviour and wording).

import { loadNative } from '../init/native.js';

export interface LimitResult {
  infos: string[];
  /** An error message when a limit could not be raised. */
  error: string | null;
}

export function raiseLimits(minfds: number, minprocs: number): LimitResult {
  const native = loadNative();
  const infos: string[] = [];
  if (!native) return { infos: ['minfds/minprocs not applied: the native addon svinit.node is missing'], error: null };
  const checks: Array<[0 | 1, number, string, string]> = [
    [0, minfds, 'RLIMIT_NOFILE', 'minfds'],
    [1, minprocs, 'RLIMIT_NPROC', 'minprocs'],
  ];
  for (const [which, min, name, key] of checks) {
    const r = native.raiseLimit(which, min);
    const enough = r.soft === -1 || r.soft >= min;
    if (!r.ok || !enough)
      return {
        infos,
        error: `The minimum number of ${key === 'minfds' ? 'file descriptors' : 'available processes'} required to run this process is ${min} as per the "${key}" command-line argument or config file setting. The current environment will only allow you to open ${r.soft} ${key === 'minfds' ? 'file descriptors' : 'processes'}.  Either raise the number of usable ${key === 'minfds' ? 'file descriptors' : 'processes'} in your environment (see README.rst) or lower the ${key} setting in the config file to allow the process to start.`,
      };
    infos.push(`${name} is at least ${min}`);
  }
  return { infos, error: null };
}
