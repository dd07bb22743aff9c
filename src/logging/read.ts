// Log reading for the RPC calls (supervisord's readFile / tailFile, spec §3.7).

import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export class LogReadError extends Error {
  constructor(public readonly kind: 'BAD_ARGUMENTS' | 'NO_FILE' | 'FAILED') {
    super(kind);
  }
}

function readRange(path: string, start: number, end: number): string {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, end - start));
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    // A multibyte character cut by the range becomes U+FFFD instead of failing the call
    // (supervisord answers HTTP 500 there).
    return new StringDecoder('utf8').end(buf.subarray(0, got));
  } finally {
    fs.closeSync(fd);
  }
}

/** readLog(offset, length): offset<0 & length=0 → last |offset| bytes; length=0 → to EOF. */
export function readLogSlice(path: string, offset: number, length: number): string {
  if ((offset < 0 && length !== 0) || length < 0) throw new LogReadError('BAD_ARGUMENTS');
  let size: number;
  try {
    size = fs.statSync(path).size;
  } catch {
    throw new LogReadError('NO_FILE');
  }
  try {
    if (offset < 0) return readRange(path, Math.max(0, size + offset), size);
    if (length === 0) return readRange(path, offset, Math.max(offset, size));
    return readRange(path, offset, Math.max(offset, Math.min(size, offset + length)));
  } catch {
    throw new LogReadError('FAILED');
  }
}

/** tailProcessLog(offset, length) → [bytes, newOffset, overflow]. */
export function tailLog(path: string, offset: number, length: number): [string, number, boolean] {
  let size: number;
  try {
    size = fs.statSync(path).size;
  } catch {
    return ['', 0, false];
  }
  if (length < 0 || offset < 0) throw new LogReadError('BAD_ARGUMENTS');
  if (size > offset + length) return [readRange(path, size - length, size), size, true];
  if (offset >= size) return ['', size, false];
  return [readRange(path, offset, size), size, false];
}
