// An append-only log file with supervisord's size-based rotation (§6.3): after a write that brings
// the file to maxbytes, f.(i) → f.(i+1), f → f.1, and a fresh f. Writes are synchronous so no line
// is lost or duplicated across a rotation and nothing sits in a buffer when svinit dies.
//
// svinit's fix for supervisord's `Illegal seek` trap: a target that is not a regular file (a pipe,
// a tty, /dev/stdout) is simply never rotated, whatever maxbytes says.

import fs from 'node:fs';
import { writeFully, writevFully } from './fd.js';

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

/** A batch is written at once when it reaches this size. */
const MAX_BATCH = 1024 * 1024;

export class RotatingFile {
  private fd: number | null = null;
  private size = 0;
  private rotatable = false;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private flushTimer: NodeJS.Immediate | null = null;

  constructor(
    readonly path: string,
    private readonly opts: RotatingOptions,
  ) {
    this.open();
  }

  /** /dev/stdout, /dev/stderr, /dev/fd/N: svinit's own descriptor is used as it is, never closed. */
  private borrowed = false;

  private open(): void {
    const own = /^\/(?:dev\/(?:stdout|stderr|fd\/(\d+))|proc\/self\/fd\/(\d+))$/.exec(this.path);
    if (own) {
      // Opening /proc/self/fd/N fails for a socket (ENXIO), e.g. when svinit's stdout is one.
      this.fd = this.path === '/dev/stdout' ? 1 : this.path === '/dev/stderr' ? 2 : Number(own[1] ?? own[2]);
      this.borrowed = true;
      this.rotatable = false;
      this.size = 0;
      return;
    }
    try {
      this.fd = fs.openSync(this.path, 'a');
    } catch (e) {
      // A pipe such as a container's /dev/stdout can refuse O_APPEND with ESPIPE.
      if ((e as NodeJS.ErrnoException).code !== 'ESPIPE') throw e;
      this.fd = fs.openSync(this.path, 'w');
    }
    const st = fs.fstatSync(this.fd);
    this.rotatable = st.isFile() && this.opts.maxbytes > 0;
    this.size = st.isFile() ? st.size : 0;
  }

  write(data: Buffer | string): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (!this.opts.batched) return this.writeNow([buf]);
    this.batch.push(buf);
    this.batchBytes += buf.length;
    if (this.batchBytes >= MAX_BATCH) this.flush();
    else this.flushTimer ??= setImmediate(() => this.flush());
  }

  /** Writes what a batched file has gathered. */
  flush(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    if (!this.batch.length) return;
    const bufs = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    this.writeNow(bufs);
  }

  private writeNow(bufs: Buffer[]): void {
    if (this.fd === null) this.open();
    if (bufs.length === 1) writeFully(this.fd!, bufs[0]);
    else writevFully(this.fd!, bufs);
    for (const b of bufs) this.size += b.length;
    if (this.rotatable && this.size >= this.opts.maxbytes) this.rotate();
  }

  private rotate(): void {
    this.closeFd();
    const { backups } = this.opts;
    if (backups > 0) {
      for (let i = backups - 1; i >= 1; i--) {
        const src = `${this.path}.${i}`;
        if (fs.existsSync(src)) fs.renameSync(src, `${this.path}.${i + 1}`);
      }
      fs.renameSync(this.path, `${this.path}.1`);
      this.fd = fs.openSync(this.path, 'a');
    } else {
      this.fd = fs.openSync(this.path, 'w');
    }
    this.size = 0;
  }

  /** SIGUSR2: reopen the path (an external logrotate moved the file). */
  reopen(): void {
    this.flush();
    this.closeFd();
    this.open();
  }

  /** clearLog: remove the file and start a new one. */
  clear(): void {
    this.batch = [];
    this.batchBytes = 0;
    this.closeFd();
    if (this.rotatable || fs.existsSync(this.path)) {
      try {
        if (fs.statSync(this.path).isFile()) fs.rmSync(this.path, { force: true });
      } catch {
        /* already gone */
      }
    }
    this.open();
  }

  private closeFd(): void {
    if (this.fd !== null && !this.borrowed) fs.closeSync(this.fd);
    this.fd = null;
  }

  close(): void {
    this.flush();
    this.closeFd();
  }
}
