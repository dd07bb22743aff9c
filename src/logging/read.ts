// Log reading for the RPC calls: supervisord's readFile and tailFile (options.py) arithmetic, and
// the decoding of what they read (the reading itself: src/engine/log-access.ts).
// svinit's one difference: a multibyte character cut by the range decodes to U+FFFD instead of
// failing the whole call (supervisord answers HTTP 500 there).

import { StringDecoder } from 'node:string_decoder';

export class LogReadError extends Error {
  constructor(public readonly kind: 'BAD_ARGUMENTS' | 'NO_FILE' | 'FAILED') {
    super(kind);
    this.name = 'LogReadError';
  }
}

/** UTF-8 decode that never throws: cut or invalid sequences become U+FFFD. */
export function decodeLog(buf: Buffer): string {
  return new StringDecoder('utf8').end(buf);
}

/**
 * readFile's offset arithmetic (readLog / readProcess*Log), on a file of `size` bytes: [start,
 * length] of the bytes to return. offset<0, length=0 → the last |offset| bytes; length=0 → offset
 * to the end; else up to length bytes from offset. The caller refuses offset<0 with length≠0 and
 * length<0 (BAD_ARGUMENTS) first.
 */
export function readRange(size: number, offset: number, length: number): [number, number] {
  if (offset < 0) {
    const start = Math.max(0, size + offset);
    return [start, size - start];
  }
  const end = length === 0 ? size : Math.min(size, offset + length);
  return [offset, Math.max(0, end - offset)];
}

/** tailFile's offset arithmetic: [start, length, overflow] of the bytes to return. */
export function tailRange(size: number, offset: number, length: number): [number, number, boolean] {
  let overflow = false;
  if (size > offset + length) {
    overflow = true;
    offset = size - 1;
  }
  if (offset + length > size) {
    if (offset > size - 1) length = 0;
    offset = size - length;
  }
  if (offset < 0) offset = 0;
  if (length < 0) length = 0;
  return [offset, length, overflow];
}
