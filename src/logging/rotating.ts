// An append-only log file with supervisord's size-based rotation (§6.3): after a write that brings
// the file to maxbytes, f.(i) → f.(i+1), f → f.1, and a fresh f. Writes are synchronous so no line
// is lost or duplicated across a rotation and nothing sits in a buffer when svinit dies.
//
// svinit's fix for supervisord's `Illegal seek` trap: a target that is not a regular file (a pipe,
// a tty, /dev/stdout) is simply never rotated, whatever maxbytes says.

import fs from 'node:fs';

export interface RotatingOptions {
  maxbytes: number;
  backups: number;
}

export class RotatingFile {
  private fd: number | null = null;
  private size = 0;
  private rotatable = false;

  constructor(
    readonly path: string,
    private readonly opts: RotatingOptions,
  ) {
    this.open();
  }

  private open(): void {
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
    if (this.fd === null) this.open();
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(this.fd!, buf, off, buf.length - off);
      } catch (e) {
        // A non-blocking pipe that is full: wait for it rather than drop output.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        throw e;
      }
    }
    this.size += buf.length;
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
    this.closeFd();
    this.open();
  }

  /** clearLog: remove the file and start a new one. */
  clear(): void {
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
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  close(): void {
    this.closeFd();
  }
}
