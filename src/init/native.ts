// Loads svinit.node, the N-API addon: spawning with real pipes, waitpid(pid, WNOHANG),
// PR_SET_CHILD_SUBREAPER, and the few other system calls Node lacks (native/svinit.c lists them).
// Looked for next to the running bundle (or executable), then in the source tree's build folder,
// then as a Node SEA asset; absent, loadNative() returns null and svinit runs without reaping
// orphans (the caller says so).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The part of the native addon this spawner uses. */
export interface SpawnAddon {
  spawn(req: {
    file: string;
    argv: string[];
    envp: string[];
    cwd: string | null;
    umask: number;
    uid: number;
    gid: number;
    groups: number[] | null;
    fds: number[];
    setpgrp: boolean;
    foreground: boolean;
    ignore: number[];
    rlimits: ChildRlimit[];
  }): number;
  pipe(): [number, number];
  userGroups(user: string, gid: number): number[];
  waitpidNoHang(pid: number): null | { pid: number; code: number | null; signal: number | null; core: boolean };
}

/** A resource limit set in the child before exec (-1: unlimited). */
export interface ChildRlimit {
  resource: number;
  soft: number;
  hard: number;
}

export interface NativeAddon extends SpawnAddon {
  waitpidNoHang(pid: number): null | { pid: number; code: number | null; signal: number | null; core: boolean };
  setChildSubreaper(): boolean;
  /** A listening socket libuv does not poll (fcgi-program); returns the fd. */
  listenUnix(path: string, backlog: number): number;
  listenTcp(host: string, port: number, backlog: number): number;
  /** One datagram to a unix datagram socket such as /dev/log; false when it could not be sent. */
  syslogSend(path: string, message: string): boolean;
  /** Raise RLIMIT_NOFILE (0) or RLIMIT_NPROC (1) to at least `min`; -1 means unlimited. */
  raiseLimit(which: 0 | 1, min: number): { soft: number; hard: number; ok: boolean };
  /** Marks every descriptor from `fd` up close-on-exec. */
  markCloexecFrom(fd: number): void;
  /** A unix datagram socket bound at path (sd_notify's NOTIFY_SOCKET); each datagram to the callback. */
  notifySocket(path: string, onDatagram: (text: string) => void): { close(): void };
  /**
   * `label` before every line of `body` (container mode's `name | line` copy): a new buffer; or,
   * given `out`, the labelled length, written to the start of `out` only when it fits there.
   * Optional: a svinit.node built before it lacks it (logging/label.ts falls back to JavaScript).
   */
  labelLines?: { (body: Buffer, label: Buffer): Buffer; (body: Buffer, label: Buffer, out: Buffer): number };
}

let cached: NativeAddon | null | undefined;

/** This module's folder: the bundle's (import.meta.url is defined to it there) or src/init. */
function moduleDir(): string | null {
  try {
    return path.dirname(fileURLToPath(import.meta.url));
  } catch {
    return typeof __dirname === 'string' ? __dirname : null;
  }
}

function candidates(): string[] {
  const script = process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : null;
  // process.execPath: the standalone executable's folder, for a read-only root where the SEA asset
  // cannot be written anywhere executable.
  const dirs = [script, moduleDir(), typeof __dirname === 'string' ? __dirname : null, path.dirname(process.execPath)].filter((d): d is string => !!d);
  const out = dirs.map((d) => path.join(d, 'svinit.node'));
  // The source tree: native/ is a few levels above the bundle (dist/) or this module (src/init/).
  for (const start of dirs) for (let dir = start, i = 0; i < 4; i++, dir = path.dirname(dir)) out.push(path.join(dir, 'native/build/Release/svinit.node'));
  return [...new Set(out)];
}

/** The addon carried inside the standalone executable, if this is one. */
function seaAsset(): Buffer | null {
  try {
    const req = createRequire(path.join(process.cwd(), 'x.js'));
    const sea = req('node:sea') as { isSea(): boolean; getAsset(name: string): ArrayBuffer };
    return sea.isSea() ? Buffer.from(sea.getAsset('svinit.node')) : null;
  } catch {
    return null;
  }
}

function dlopen(file: string): NativeAddon | null {
  try {
    const mod = { exports: {} as NativeAddon };
    process.dlopen(mod, file);
    return mod.exports;
  } catch {
    return null;
  }
}

/**
 * dlopen needs a file on a filesystem that allows exec: tmpfs mounts such as Docker's --tmpfs
 * default to noexec, so each place is tried in turn. The copy is deleted once mapped.
 */
function loadSeaAsset(bytes: Buffer): NativeAddon | null {
  for (const dir of [os.tmpdir(), '/tmp', '/var/tmp', '/dev/shm', '/run']) {
    const file = path.join(dir, `svinit-${process.pid}-${Date.now()}.node`);
    try {
      fs.writeFileSync(file, bytes, { mode: 0o500 });
    } catch {
      continue;
    }
    const addon = dlopen(file);
    fs.rmSync(file, { force: true });
    if (addon) return addon;
  }
  return null;
}

export function loadNative(): NativeAddon | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (const file of candidates()) {
    if (fs.existsSync(file) && (cached = dlopen(file))) return cached;
  }
  const bytes = seaAsset();
  if (bytes) cached = loadSeaAsset(bytes);
  return cached;
}
