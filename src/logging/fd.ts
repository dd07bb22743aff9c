// Writes a whole buffer to a file descriptor synchronously. A full non-blocking pipe (EAGAIN) is
// waited on rather than dropped: output is never lost. The wait starts at 20 µs and doubles up to
// 1 ms while the pipe stays full: a reader that keeps up (`docker logs`, `| cat`) drains 64 KiB in
// microseconds, and a fixed 1 ms sleep per full pipe capped a /dev/stdout passthrough at a few
// tens of MiB/s.

import fs from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));
const FIRST_WAIT_MS = 0.02;
const MAX_WAIT_MS = 1;

/** Waits for a full pipe to drain a little; returns the next wait. */
function backOff(e: unknown, waitMs: number): number {
  if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
  Atomics.wait(pause, 0, 0, waitMs);
  return Math.min(waitMs * 2, MAX_WAIT_MS);
}

export function writeFully(fd: number, buf: Buffer): void {
  let off = 0;
  let waitMs = FIRST_WAIT_MS;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
      waitMs = FIRST_WAIT_MS;
    } catch (e) {
      waitMs = backOff(e, waitMs);
    }
  }
}

/** Writes all buffers with as few writev(2) calls as the kernel allows. */
export function writevFully(fd: number, bufs: Buffer[]): void {
  let pending = bufs;
  let waitMs = FIRST_WAIT_MS;
  while (pending.length) {
    let n: number;
    try {
      n = fs.writevSync(fd, pending);
      waitMs = FIRST_WAIT_MS;
    } catch (e) {
      waitMs = backOff(e, waitMs);
      continue;
    }
    // Drop what was written; keep the unwritten tail of a partly written buffer.
    let i = 0;
    while (i < pending.length && n >= pending[i].length) n -= pending[i++].length;
    pending = i ? pending.slice(i) : pending;
    if (pending.length && n > 0) pending = [pending[0].subarray(n), ...pending.slice(1)];
  }
}
