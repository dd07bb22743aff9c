// The real Spawner: the native addon's spawn(), which sets a child up as supervisord's
// _spawn_as_child does — fds 0-2 are real pipes from pipe2(2) (a program can reopen them through
// /dev/stdout, /dev/stderr or /proc/self/fd/N), redirect_stderr puts one pipe on fds 1 and 2, no
// other descriptor reaches the program, it leads a process group of its own in svinit's session,
// user= sets the user's supplementary groups (initgroups) with no helper binary, and SIGPIPE and
// SIGXFSZ start ignored, as Python leaves them for supervisord's children.
//
// libuv does not own these children, so this module waits for them itself, and never with
// waitpid(-1): svinit's other children belong to libuv (child_process) and to the orphan reaper
// (src/init/reaper.ts, which asks owns() before it reaps a pid), and each reaps only its own pids.
// On SIGCHLD it asks the kernel which child has exited without reaping it (the addon's
// peekExited: waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT)) and reaps that pid with waitpid(pid) when it
// is one of its own, until no child has exited: a cost per exit, not per child, with 2,000
// programs as with one. The kernel always reports the first exited child in its list, so one that
// belongs to libuv or the reaper (it has not had its turn yet) hides those behind it: then, and
// only then, every pid of the spawner is asked in turn with waitpid(pid, WNOHANG), as before.
//
// No exit is missed: the SIGCHLD listener is in place before a child is spawned (a child that died
// before the listener existed would have gone unnoticed), and each run reaps every exit of the
// spawner's that happened before it (an exit after the run's look raises a new SIGCHLD, and Node
// coalesces a burst into at least one run after the last). There is no periodic look-up: a 30 s
// one used to wake an idle svinit for nothing. The timer left fires every 24.8 days (Node's
// longest): it keeps the event loop alive while a child lives, as libuv's process handles do, and
// is the last resort for the one loss left possible — libuv drops a signal's message when its
// signal pipe is full (4,096 messages not yet read, none of them for SIGCHLD), which libuv's own
// child processes are exposed to in the same way.

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
  /** How often to look for exits no SIGCHLD announced (ms); by default Node's longest timer. */
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

/**
 * Every program's stdout and stderr are read into this one buffer: a 'data' chunk is a view on
 * it, valid until its listeners return (they copy what they keep: see ChildHandle). Node's own
 * reads allocate a buffer per read that lives until the next GC; with 100 programs logging, those
 * kept svinit's RSS 40 MiB higher (bench/MEMORY.md).
 */
const READ_BUFFER = Buffer.allocUnsafeSlow(64 * 1024);

function outputSocket(fd: number): net.Socket {
  const socket: net.Socket = new net.Socket({
    fd,
    readable: true,
    writable: false,
    onread: { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => void socket.emit('data', (buf as Buffer).subarray(0, n)) },
  } as net.SocketConstructorOpts);
  return socket;
}

/** The addon as the spawner uses it; an addon built before peekExited existed is asked pid by pid. */
type Addon = SpawnAddon & { peekExited?(): number };

/** Node's longest timer (2^31 - 1 ms, 24.8 days). */
const TIMEOUT_MAX = 2 ** 31 - 1;

export function createNativeSpawner(addon: Addon, opts: NativeSpawnerOptions = {}): NativeSpawner {
  const ignore = opts.ignoredSignals ?? [os.constants.signals.SIGPIPE, os.constants.signals.SIGXFSZ];
  const waiting = new Map<number, (exit: ExitInfo) => void>();
  let scheduled = false;

  /** Reaps pid if it has exited and tells its waiter; false when it has not exited. */
  const reap = (pid: number, done: (exit: ExitInfo) => void): boolean => {
    const r = addon.waitpidNoHang(pid);
    if (!r) return false;
    waiting.delete(pid);
    done({ code: r.code, signal: r.signal === null ? null : (SIGNAL_NAMES.get(r.signal) ?? null), coreDumped: r.core });
    return true;
  };
  /** The cheap way: while the first exited child is one of ours, reap it. True when none is left. */
  const reapPeeked = (): boolean => {
    if (!addon.peekExited) return false;
    for (;;) {
      const pid = addon.peekExited();
      // No child has exited (or waitid failed: -1).
      if (pid <= 0) return pid === 0;
      const done = waiting.get(pid);
      // libuv's or an orphan: it hides the exits behind it until its owner reaps it.
      if (!done || !reap(pid, done)) return false;
    }
  };
  const collect = (): void => {
    if (!reapPeeked()) for (const [pid, done] of waiting) reap(pid, done);
    if (waiting.size === 0) stopWatching();
  };
  const onChild = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      try {
        collect();
      } catch (e) {
        // A waiter threw: the exits not yet collected get a run of their own.
        onChild();
        throw e;
      }
    });
  };
  let safety: NodeJS.Timeout | null = null;
  const startWatching = (): void => {
    if (safety) return;
    process.on('SIGCHLD', onChild);
    // Left ref'd: a live child keeps svinit's loop alive, as libuv's process handles do.
    safety = setInterval(collect, Math.min(opts.safetyMs ?? TIMEOUT_MAX, TIMEOUT_MAX));
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
        stdout: outputSocket(outR),
        stderr: errR === null ? null : outputSocket(errR),
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
      // Listening before the child exists: its SIGCHLD cannot come too early.
      startWatching();
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
        if (waiting.size === 0) stopWatching();
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
