// Log reading for the RPC calls: supervisord's readFile and tailFile (options.py).
// svinit's one difference: a multibyte character cut by the range decodes to U+FFFD instead of
// failing the whole call (supervisord answers HTTP 500 there).

import fs from 'node:fs';
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

/** Bytes [start, start+length) of an open file, fewer at EOF. */
function readAt(fd: number, start: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, length));
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/**
 * readLog / readProcess*Log(offset, length): NO_FILE when the file is missing (checked first, as
 * the RPC layer does), BAD_ARGUMENTS for offset<0 with length≠0 or length<0, FAILED on I/O errors.
 * offset<0, length=0 → the last |offset| bytes; length=0 → offset to EOF; else up to length bytes.
 */
export function readLogSlice(path: string, offset: number, length: number): string {
  if (!fs.existsSync(path)) throw new LogReadError('NO_FILE');
  if (offset < 0 ? length !== 0 : length < 0) throw new LogReadError('BAD_ARGUMENTS');
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    throw new LogReadError('FAILED');
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (offset < 0) {
      const start = Math.max(0, size + offset);
      return decodeLog(readAt(fd, start, size - start));
    }
    const end = length === 0 ? size : Math.min(size, offset + length);
    return decodeLog(readAt(fd, offset, end - offset));
  } catch {
    throw new LogReadError('FAILED');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * tailProcess*Log(offset, length) → [data, newOffset, overflow], supervisord's tailFile arithmetic
 * exactly (checked against 4.2.5): overflow when size > offset+length; data is the last `length`
 * bytes (fewer if the file is shorter), or '' when offset ≥ size without overflow; newOffset is
 * the size. Note the data is *not* "from offset": tail(15, 10) on a 19-byte file gives bytes 9..19.
 * A missing file → ['', 0, false]; an unreadable one → ['', offset, false]. Never throws.
 */
export function tailLog(path: string, offset: number, length: number): [string, number, boolean] {
  if (!fs.existsSync(path)) return ['', 0, false];
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return ['', offset, false];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const [start, len, overflow] = tailRange(size, offset, length);
    return [decodeLog(readAt(fd, start, len)), size, overflow];
  } catch {
    return ['', offset, false];
  } finally {
    fs.closeSync(fd);
  }
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
