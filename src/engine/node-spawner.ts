// The real Spawner: libuv's fork/exec through Node's ChildProcess, with supervisord's child setup.
//
// Each child leads its own session and process group (`detached`), so signals to svinit's group do
// not reach it and stopasgroup/killasgroup can signal `-pid`. umask is process-wide in Node, so it is
// set around the (synchronous) fork. `user=` keeps supplementary groups, as supervisord's initgroups
// does, by exec'ing through `setpriv --init-groups` when available; libuv's own uid/gid drop clears them.

import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { SpawnFailure, type ChildHandle, type ExitInfo, type SpawnRequest, type Spawner } from './types.js';

export function findSetpriv(): string | null {
  for (const p of ['/usr/bin/setpriv', '/bin/setpriv']) if (fs.existsSync(p)) return p;
  return null;
}

export function createNodeSpawner(opts: { setpriv?: string | null } = {}): Spawner {
  const setpriv = opts.setpriv === undefined ? findSetpriv() : opts.setpriv;
  return {
    spawn(req: SpawnRequest): ChildHandle {
      let file = req.file;
      let args = req.argv;
      let uid: number | undefined;
      let gid: number | undefined;
      const dropping = req.uid !== null && process.getuid?.() === 0 && req.uid !== 0;
      if (dropping && setpriv && req.user) {
        file = setpriv;
        args = ['setpriv', `--reuid=${req.uid}`, `--regid=${req.gid ?? req.uid}`, '--init-groups', '--', req.file, ...req.argv.slice(1)];
      } else if (dropping) {
        uid = req.uid ?? undefined;
        gid = req.gid ?? undefined;
      }
      const stdin: 'pipe' | number | Server = req.stdin ?? 'pipe';
      const child = new ChildProcess();
      // An exec failure is returned below; the 'error' event Node also emits is not needed.
      child.on('error', () => undefined);
      const oldMask = req.umask === null ? null : process.umask(req.umask);
      let err: number;
      try {
        err = (child as unknown as { spawn(o: object): number }).spawn({
          file,
          args,
          envPairs: Object.entries(req.env).map(([k, v]) => `${k}=${v}`),
          cwd: req.cwd ?? undefined,
          stdio: [stdin, 'pipe', 'pipe', ...extraStdio(req.extraFds)],
          detached: true,
          uid,
          gid,
          windowsHide: false,
        });
      } finally {
        if (oldMask !== null) process.umask(oldMask);
      }
      if (err || !child.pid) {
        const code = err ? getSystemErrorName(err) : 'EUNKNOWN';
        throw new SpawnFailure(`spawn ${file}: ${code}`, code);
      }
      const pid = child.pid;
      return {
        pid,
        stdin: child.stdin,
        stdout: child.stdout,
        // redirect_stderr: Node cannot dup one pipe onto fds 1 and 2, so the daemon merges the
        // child's stderr into the stdout log instead (the child still sees two pipes).
        stderr: child.stderr,
        onExit(cb: (exit: ExitInfo) => void) {
          child.once('exit', (code, signal) => cb({ code, signal }));
        },
      };
    },
    kill(pid: number, signal: number): void {
      process.kill(pid, signal);
    },
  };
}

/** Descriptors 3.. of the child: the requested fds at their numbers, nothing in between. */
function extraStdio(extra: SpawnRequest['extraFds']): Array<number | 'ignore'> {
  if (!extra?.length) return [];
  const out: Array<number | 'ignore'> = [];
  for (const { target, fd } of extra) {
    while (out.length <= target - 3) out.push('ignore');
    out[target - 3] = fd;
  }
  return out;
}
