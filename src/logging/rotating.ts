// An append-only log file with supervisord's size-based rotation (supervisor/loggers.py RotatingFileHandler): after a write that brings
// the file to maxbytes, f.(i) → f.(i+1), f → f.1, and a fresh f. Writes are synchronous so no byte
// is lost or duplicated across a rotation and nothing sits in a buffer when svinit dies. The size
// is tracked here (supervisord calls tell() after each write; an fstat per write would cost more).
//
// svinit's fix for supervisord's `Illegal seek` trap: a target that is not a regular file (a pipe,
// a tty, a device) is simply never rotated, whatever maxbytes says. /dev/stdout, /dev/stderr and
// /dev/fd/N are svinit's own descriptors, written directly (opening them fails on a unix socket).

import fs from 'node:fs';
import { writeFully, writevFully } from './fd.js';
import { stage, unstage, type Staged } from './staging.js';

export interface RotatingOptions {
  maxbytes: number;
  backups: number;
  /**
   * Gather the chunks read in one event-loop turn and write them with one writev(2) (child
   * output: a fast writer's 64 KiB reads cost half the syscalls). The activity log stays
   * unbatched so a line logged just before a crash is on disk.
   */
  batched?: boolean;
}

/** Paths that name a device or a descriptor: never renamed or removed, even if they resolve to a file. */
const DEVICE_PATH = /^\/(dev|proc)\//;

/** The descriptor a path names in svinit itself: /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N. */
function ownFd(p: string): number | null {
  if (p === '/dev/stdout') return 1;
  if (p === '/dev/stderr') return 2;
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(p);
  return m ? Number(m[1]) : null;
}

/**
 * supervisord's handleError prints to stderr and carries on; so does svinit (once per failure
 * streak, not once per line): a full disk or a removed directory must not stop the supervisor.
 */
function reportError(path: string, e: unknown): void {
  try {
    fs.writeSync(2, `svinit: cannot write log file ${path}: ${(e as Error).message}\n`);
  } catch {
    /* stderr is gone too */
  }
}

export class RotatingFile implements Staged {
  private fd: number | null = null;
  private size = 0;
  private rotatable = false;
  /** The fd is svinit's own (stdout, stderr, /dev/fd/N): used as it is, never closed here. */
  private borrowed = false;
  private batch: Buffer[] = [];
  private failing = false;

  constructor(
    readonly path: string,
    private readonly opts: RotatingOptions,
  ) {
    // Opening errors surface to the caller (supervisord: "unknown error making dispatchers").
    this.open();
  }

  /** Whether this target is rotated (a regular file and maxbytes > 0). */
  get rotating(): boolean {
    return this.rotatable;
  }

  private open(): void {
    const own = ownFd(this.path);
    if (own !== null) {
      this.fd = own;
      this.borrowed = true;
      this.rotatable = false;
      this.size = 0;
      return;
    }
    try {
      this.fd = fs.openSync(this.path, 'a');
    } catch (e) {
      // A pipe can refuse O_APPEND with ESPIPE: supervisord reopens it in write mode.
      if ((e as NodeJS.ErrnoException).code !== 'ESPIPE') throw e;
      this.fd = fs.openSync(this.path, 'w');
    }
    const st = fs.fstatSync(this.fd);
    this.rotatable = st.isFile() && this.opts.maxbytes > 0 && !DEVICE_PATH.test(this.path);
    this.size = st.isFile() ? st.size : 0;
  }

  write(data: Buffer | string): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (!buf.length) return;
    if (!this.opts.batched) return this.writeNow([buf]);
    // A copy in the staging area: `buf` may be a view on a read buffer that is about to be reused.
    const staged = stage(this, buf);
    if (staged) return void this.batch.push(staged);
    this.flush();
    this.writeNow([buf]);
  }

  /** Writes what a batched file has gathered. */
  flush(): void {
    if (!this.batch.length) return;
    const bufs = this.batch;
    this.batch = [];
    this.writeNow(bufs);
    unstage(this);
  }

  private writeNow(bufs: Buffer[]): void {
    try {
      if (this.fd === null) this.open();
      if (bufs.length === 1) writeFully(this.fd!, bufs[0]);
      else writevFully(this.fd!, bufs);
      this.failing = false;
    } catch (e) {
      if (!this.failing) reportError(this.path, e);
      this.failing = true;
      // Try a fresh open on the next write (the directory may come back, space may be freed).
      this.closeFd();
      return;
    }
    for (const b of bufs) this.size += b.length;
    if (this.rotatable && this.size >= this.opts.maxbytes) this.rotate();
  }

  /** supervisord's doRollover, including its tolerance of files removed behind its back. */
  private rotate(): void {
    this.closeFd();
    const { backups } = this.opts;
    try {
      if (backups > 0) {
        for (let i = backups - 1; i >= 1; i--) renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
        renameIfExists(this.path, `${this.path}.1`);
      }
      // 'w' truncates: with backups=0 the same file simply starts again.
      this.fd = fs.openSync(this.path, 'w');
    } catch (e) {
      reportError(this.path, e);
      this.fd = null;
    }
    this.size = 0;
  }

  /** SIGUSR2: reopen the path (an external logrotate moved the file). */
  reopen(): void {
    this.flush();
    this.closeFd();
    try {
      this.open();
    } catch (e) {
      reportError(this.path, e);
    }
  }

  /** clearLog: remove the file and start a new one. */
  clear(): void {
    this.batch = [];
    unstage(this);
    this.closeFd();
    try {
      // Only a regular file is removed: clearing /dev/stdout must not unlink the device.
      if (!DEVICE_PATH.test(this.path) && fs.statSync(this.path).isFile()) fs.rmSync(this.path, { force: true });
    } catch {
      /* already gone */
    }
    this.open();
  }

  private closeFd(): void {
    if (this.fd !== null && !this.borrowed) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    this.fd = null;
  }

  /** Closes the descriptor; a later write opens the file again rather than losing the line. */
  close(): void {
    this.flush();
    this.closeFd();
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (e) {
    // The source may have been removed (e.g. a cleanup script removed the active log).
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
