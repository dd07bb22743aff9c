// Writes a whole buffer to a file descriptor synchronously. A full non-blocking pipe (EAGAIN) is
// waited on rather than dropped: output is never lost.

import fs from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

export function writeFully(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** Writes all buffers with as few writev(2) calls as the kernel allows. */
export function writevFully(fd: number, bufs: Buffer[]): void {
  let pending = bufs;
  while (pending.length) {
    let n: number;
    try {
      n = fs.writevSync(fd, pending);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
      continue;
    }
    // Drop what was written; keep the unwritten tail of a partly written buffer.
    while (pending.length && n >= pending[0].length) {
      n -= pending[0].length;
      pending = pending.slice(1);
    }
    if (pending.length && n > 0) pending = [pending[0].subarray(n), ...pending.slice(1)];
  }
}
