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

/** The user svinit will run as, when it drops privileges (`[supervisord] user=`). */
export interface SocketOwner {
  uid: number;
  gid: number;
}

function writableDir(dir: string, owner: SocketOwner | null): boolean {
  try {
    const st = fs.statSync(dir);
    if (!st.isDirectory()) return false;
    if (!owner || owner.uid === process.getuid?.()) {
      fs.accessSync(dir, fs.constants.W_OK);
      return true;
    }
    // Decided as root for the user svinit is about to become: the permission bits as they apply to it.
    if (owner.uid === 0) return true;
    if (st.uid === owner.uid) return (st.mode & 0o200) !== 0;
    if (st.gid === owner.gid) return (st.mode & 0o020) !== 0;
    return (st.mode & 0o002) !== 0;
  } catch {
    return false;
  }
}

/**
 * Where svinit puts its control socket when the config names none: /run, else /tmp — whichever the
 * user svinit runs as (after dropping privileges to `owner`, if given) can create it in.
 */
export function defaultSocketPath(owner: SocketOwner | null = null): string | null {
  for (const dir of ['/run', '/tmp']) if (writableDir(dir, owner)) return path.join(dir, 'svinit.sock');
  return null;
}

/** Log targets that mean "the container's output": forwarding with a prefix replaces writing to them. */
export function isContainerStream(file: string): 'stdout' | 'stderr' | null {
  if (['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'].includes(file)) return 'stdout';
  if (['/dev/stderr', '/dev/fd/2', '/proc/self/fd/2'].includes(file)) return 'stderr';
  return null;
}
