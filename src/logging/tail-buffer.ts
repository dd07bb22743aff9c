// The last bytes of a channel that has no log file (NONE, or output forwarded to the container's
// stdout), so that `svctl tail` and the log-reading calls still show something: supervisord has
// nothing to show there. Offsets count every byte ever written, as if it were a file.

import { StringDecoder } from 'node:string_decoder';
import { LogReadError, readRange, tailRange } from './read.js';

export const TAIL_BUFFER_BYTES = 64 * 1024;

export class TailBuffer {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Bytes written since the start: the size of the virtual file. */
  total = 0;

  constructor(private readonly limit = TAIL_BUFFER_BYTES) {}

  write(chunk: Buffer): void {
    // Copied: a child's output chunk is a view on a read buffer that is reused.
    this.chunks.push(Buffer.from(chunk));
    this.held += chunk.length;
    this.total += chunk.length;
    while (this.held - this.chunks[0].length >= this.limit) this.held -= this.chunks.shift()!.length;
  }

  clear(): void {
    this.chunks = [];
    this.held = 0;
    this.total = 0;
  }

  /** Bytes [from, to) of the virtual file, as far as they are still held. */
  private range(from: number, to: number): string {
    const all = Buffer.concat(this.chunks);
    const base = this.total - all.length;
    const slice = all.subarray(Math.max(0, from - base), Math.max(0, to - base));
    return new StringDecoder('utf8').end(slice);
  }

  /** readProcessLog semantics (supervisord's readProcessStdoutLog) over the held bytes. */
  read(offset: number, length: number): string {
    if ((offset < 0 && length !== 0) || length < 0) throw new LogReadError('BAD_ARGUMENTS');
    const [start, len] = readRange(this.total, offset, length);
    return this.range(start, start + len);
  }

  /** tailProcessLog semantics (supervisord's tailFile arithmetic): [bytes, newOffset, overflow]. */
  tail(offset: number, length: number): [string, number, boolean] {
    const [start, len, overflow] = tailRange(this.total, offset, length);
    return [this.range(start, start + len), this.total, overflow];
  }
}
