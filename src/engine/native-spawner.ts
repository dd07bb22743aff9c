// The real Spawner: the native addon's spawn(), which sets a child up as supervisord's
// _spawn_as_child does — fds 0-2 are real pipes from pipe2(2) (a program can reopen them through
// /dev/stdout, /dev/stderr or /proc/self/fd/N), redirect_stderr puts one pipe on fds 1 and 2, no
// other descriptor reaches the program, it leads a process group of its own in svinit's session,
// user= sets the user's supplementary groups (initgroups) with no helper binary, and SIGPIPE and
// SIGXFSZ start ignored, as Python leaves them for supervisord's children.
//
// libuv does not own these children, so this module waits for them itself: on SIGCHLD it calls
// waitpid(pid, WNOHANG) for each pid it spawned, never waitpid(-1), so libuv's own children and the
// orphan reaper's are left alone (the reaper asks owns() before reaping a pid).

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import type { ChildRlimit, SpawnAddon } from '../init/native.js';
import { SpawnFailure, type ChildHandle, type ExitInfo, type SpawnRequest, type Spawner } from './types.js';

export interface NativeSpawner extends Spawner {
  /** True for a pid this spawner started and has not reaped yet. */
  owns(pid: number): boolean;
}

export interface NativeSpawnerOptions {
  /** Limits restored in every child (svinit's own were raised by Node and by minfds). */
  rlimits?: ChildRlimit[];
  /** Signals a child starts with ignored; supervisord's children: SIGPIPE and SIGXFSZ. */
  ignoredSignals?: number[];
  /** How often to look for exits a coalesced SIGCHLD may have hidden (ms). */
  safetyMs?: number;
}

const SIGNAL_NAMES = new Map(Object.entries(os.constants.signals).map(([k, v]) => [v as number, k as NodeJS.Signals]));
const ERRNO_NAMES = new Map(Object.entries(os.constants.errno).map(([k, v]) => [v as number, k]));

/** The pipes of one spawn: the child's ends go into fds, svinit keeps the others. */
interface Stdio {
  fds: number[];
  childEnds: number[];
  stdin: net.Socket | null;
  stdout: net.Socket | null;
  stderr: net.Socket | null;
}

export function createNativeSpawner(addon: SpawnAddon, opts: NativeSpawnerOptions = {}): NativeSpawner {
  const ignore = opts.ignoredSignals ?? [os.constants.signals.SIGPIPE, os.constants.signals.SIGXFSZ];
  const waiting = new Map<number, (exit: ExitInfo) => void>();
  let scheduled = false;

  const collect = (): void => {
    for (const [pid, done] of waiting) {
      const r = addon.waitpidNoHang(pid);
      if (!r) continue;
      waiting.delete(pid);
      done({ code: r.code, signal: r.signal === null ? null : (SIGNAL_NAMES.get(r.signal) ?? null), coreDumped: r.core });
    }
    if (waiting.size === 0) stopWatching();
  };
  const onChild = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      collect();
    });
  };
  let safety: NodeJS.Timeout | null = null;
  const startWatching = (): void => {
    if (safety) return;
    process.on('SIGCHLD', onChild);
    // Left ref'd: a live child keeps svinit's loop alive, as libuv's process handles do.
    safety = setInterval(collect, opts.safetyMs ?? 30_000);
  };
  const stopWatching = (): void => {
    if (!safety) return;
    process.off('SIGCHLD', onChild);
    clearInterval(safety);
    safety = null;
  };

  const openStdio = (req: SpawnRequest): Stdio => {
    const kept: number[] = [];
    const childEnds: number[] = [];
    const pipe = (): [number, number] => addon.pipe();
    try {
      if (req.inheritStdio) return { fds: [0, 1, 2], childEnds, stdin: null, stdout: null, stderr: null };
      let stdinFd: number;
      let stdinWrite: number | null = null;
      if (req.stdin !== undefined) {
        stdinFd = typeof req.stdin === 'number' ? req.stdin : serverFd(req.stdin);
      } else {
        const [r, w] = pipe();
        kept.push(w);
        childEnds.push(r);
        stdinFd = r;
        stdinWrite = w;
      }
      const [outR, outW] = pipe();
      kept.push(outR);
      childEnds.push(outW);
      let errR: number | null = null;
      let errW = outW;
      if (!req.redirectStderr) {
        [errR, errW] = pipe();
        kept.push(errR);
        childEnds.push(errW);
      }
      const fds = [stdinFd, outW, errW];
      for (const extra of req.extraFds ?? []) {
        while (fds.length <= extra.target) fds.push(-1);
        fds[extra.target] = extra.fd;
      }
      return {
        fds,
        childEnds,
        stdin: stdinWrite === null ? null : new net.Socket({ fd: stdinWrite, readable: false, writable: true }),
        stdout: new net.Socket({ fd: outR, readable: true, writable: false }),
        stderr: errR === null ? null : new net.Socket({ fd: errR, readable: true, writable: false }),
      };
    } catch (e) {
      for (const fd of [...kept, ...childEnds]) closeQuietly(fd);
      throw spawnFailure(e, req);
    }
  };

  return {
    spawn(req: SpawnRequest): ChildHandle {
      const stdio = openStdio(req);
      const dropping = req.uid !== null && process.getuid?.() === 0 && req.uid !== process.getuid?.();
      const gid = req.gid ?? req.uid ?? -1;
      let pid: number;
      try {
        pid = addon.spawn({
          file: req.file,
          argv: req.argv,
          envp: Object.entries(req.env).map(([k, v]) => `${k}=${v}`),
          cwd: req.cwd,
          umask: req.umask ?? -1,
          uid: dropping ? req.uid! : -1,
          gid: dropping ? gid : -1,
          // initgroups(user, gid), as supervisord's drop_privileges; no user name: no extra groups.
          groups: dropping ? (req.user ? addon.userGroups(req.user, gid) : [gid]) : null,
          fds: stdio.fds,
          setpgrp: true,
          foreground: !!req.inheritStdio,
          ignore,
          rlimits: opts.rlimits ?? [],
        });
      } catch (e) {
        for (const s of [stdio.stdin, stdio.stdout, stdio.stderr]) s?.destroy();
        throw spawnFailure(e, req);
      } finally {
        for (const fd of stdio.childEnds) closeQuietly(fd);
      }
      let onExit: ((exit: ExitInfo) => void) | null = null;
      let exited: ExitInfo | null = null;
      waiting.set(pid, (exit) => {
        exited = exit;
        onExit?.(exit);
      });
      startWatching();
      return {
        pid,
        stdin: stdio.stdin,
        stdout: stdio.stdout,
        stderr: stdio.stderr,
        onExit(cb) {
          onExit = cb;
          if (exited) cb(exited);
        },
      };
    },
    kill(pid: number, signal: number): void {
      process.kill(pid, signal);
    },
    owns: (pid) => waiting.has(pid),
  };
}

function serverFd(server: net.Server): number {
  const fd = (server as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new SpawnFailure('fcgi socket has no descriptor', 'EBADF');
  return fd;
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    /* already closed */
  }
}

/** The addon's error as the SpawnFailure the engine expects (see Process.spawnFailed). */
function spawnFailure(e: unknown, req: SpawnRequest): SpawnFailure {
  if (e instanceof SpawnFailure) return e;
  const err = e as Error & { errno?: number; stage?: string };
  const code = err.errno !== undefined ? (ERRNO_NAMES.get(err.errno) ?? `errno ${err.errno}`) : 'EUNKNOWN';
  switch (err.stage) {
    case 'chdir':
      return new SpawnFailure(`couldn't chdir to ${req.cwd}: ${code}`, 'CHILD');
    case 'setgroups':
    case 'setgid':
    case 'setuid':
      return new SpawnFailure(`couldn't setuid to ${req.uid}: ${err.message}`, 'CHILD');
    default:
      return new SpawnFailure(`spawn ${req.file}: ${code}`, code);
  }
}
