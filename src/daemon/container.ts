// Container defaults: what svinit does differently when it runs as a container's init.

import fs from 'node:fs';
import path from 'node:path';

/**
 * True in a container: svinit is PID 1, or runs under a container's own init (`docker run --init`),
 * or SVINIT_CONTAINER=1 says so (SVINIT_CONTAINER=0 says it is not).
 */
export function inContainer(env: NodeJS.ProcessEnv = process.env, pid = process.pid): boolean {
  if (env.SVINIT_CONTAINER === '1' || env.SVINIT_CONTAINER === 'true') return true;
  if (env.SVINIT_CONTAINER === '0' || env.SVINIT_CONTAINER === 'false') return false;
  return pid === 1 || fs.existsSync('/.dockerenv') || fs.existsSync('/run/.containerenv') || env.container !== undefined;
}

function writableDir(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Where svinit puts its control socket when the config names none: /run, else /tmp. */
export function defaultSocketPath(): string | null {
  for (const dir of ['/run', '/tmp']) if (writableDir(dir)) return path.join(dir, 'svinit.sock');
  return null;
}

/** Log targets that mean "the container's output": forwarding with a prefix replaces writing to them. */
export function isContainerStream(file: string): 'stdout' | 'stderr' | null {
  if (['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'].includes(file)) return 'stdout';
  if (['/dev/stderr', '/dev/fd/2', '/proc/self/fd/2'].includes(file)) return 'stderr';
  return null;
}
