// readLog / tailLog arithmetic (readRange, tailRange), checked against supervisord's own
// readFile/tailFile on the same file; the in-memory TailBuffer answers alike.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLog, readRange, tailRange, TailBuffer } from '../../../src/logging/index.js';
import { logKit } from './_shared.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-log-');
const { file } = logKit(tmp);

const f = file();
fs.writeFileSync(f, 'line 0\nline 1\ner 0\n'); // 19 bytes
const f18 = file();
fs.writeFileSync(f18, 'line 0\nline1\ner 0\n'); // 18 bytes

/** supervisord's own answers for the same calls. */
function oracle(fn: 'readFile' | 'tailFile', p: string, calls: [number, number][]): unknown[] {
  const py = `import sys, json
from supervisor.options import readFile, tailFile
out = []
for o, l in json.load(sys.stdin):
    try:
        r = ${fn}(${JSON.stringify(p)}, o, l)
        out.append(r.decode() if isinstance(r, bytes) else r)
    except ValueError as e:
        out.append('ERR ' + e.args[0])
print(json.dumps(out))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(calls), encoding: 'utf8' }));
}

/** A file answered with the arithmetic under test, as src/engine/log-access.ts reads it. */
function readLogSlice(p: string, offset: number, length: number): string {
  if (offset < 0 ? length !== 0 : length < 0) throw new Error('BAD_ARGUMENTS');
  const data = fs.readFileSync(p);
  const [start, len] = readRange(data.length, offset, length);
  return decodeLog(data.subarray(start, start + len));
}

function tailLog(p: string, offset: number, length: number): [string, number, boolean] {
  if (!fs.existsSync(p)) return ['', 0, false];
  const data = fs.readFileSync(p);
  const [start, len, overflow] = tailRange(data.length, offset, length);
  return [decodeLog(data.subarray(start, start + len)), data.length, overflow];
}

const orError = (fn: () => unknown) => {
  try {
    return fn();
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
};

describe('readLogSlice', () => {
  it('offsets and lengths', () => {
    expect(readLogSlice(f, 0, 0)).toBe('line 0\nline 1\ner 0\n');
    expect(readLogSlice(f, 5, 3)).toBe('0\nl');
    expect(readLogSlice(f, -5, 0)).toBe('er 0\n');
    expect(readLogSlice(f, -100, 0)).toBe('line 0\nline 1\ner 0\n');
    expect(readLogSlice(f, 100, 0)).toBe('');
    expect(readLogSlice(f, 17, 100)).toBe('0\n');
  });

  it('agrees with supervisord readFile', () => {
    const calls: [number, number][] = [[0, 0], [0, 5], [5, 3], [-5, 0], [-100, 0], [100, 0], [18, 5], [-1, 5], [0, -1], [19, 0], [-19, 0], [3, 100]];
    expect(calls.map(([o, l]) => orError(() => readLogSlice(f, o, l)))).toEqual(oracle('readFile', f, calls));
  });

  it('a multibyte character cut by the range does not fail the read', () => {
    const g = file();
    fs.writeFileSync(g, 'añb');
    expect(readLogSlice(g, 0, 2)).toBe('a\ufffd');
    expect(readLogSlice(g, 2, 0)).toBe('\ufffdb');
  });
});

describe('tailLog', () => {
  it('the live examples of the readLog docs (18-byte file)', () => {
    expect(tailLog(f18, 0, 5)).toEqual(['er 0\n', 18, true]);
    expect(tailLog(f18, 100, 5)).toEqual(['', 18, false]);
  });

  it('returns the last `length` bytes, not the bytes from offset (supervisord tailFile)', () => {
    expect(tailLog(f, 15, 10)).toEqual(['ne 1\ner 0\n', 19, false]);
    expect(tailLog(f, 18, 5)).toEqual(['er 0\n', 19, false]);
    expect(tailLog(f, 5, 20)).toEqual(['line 0\nline 1\ner 0\n', 19, false]);
    expect(tailLog(f, 0, 0)).toEqual(['', 19, true]);
    expect(tailLog(path.join(tmp.path, 'none'), 0, 5)).toEqual(['', 0, false]);
  });

  it('agrees with supervisord tailFile everywhere, negative arguments included', () => {
    const calls: [number, number][] = [];
    for (const o of [-30, -5, -1, 0, 1, 5, 14, 15, 18, 19, 20, 100]) for (const l of [-5, 0, 1, 2, 4, 5, 10, 19, 20, 50]) calls.push([o, l]);
    expect(calls.map(([o, l]) => tailLog(f, o, l))).toEqual(oracle('tailFile', f, calls));
  });

  it('TailBuffer (channels without a file) answers like a file of the same bytes', () => {
    const t = new TailBuffer(1000);
    t.write(Buffer.from('line 0\nline 1\n'));
    t.write(Buffer.from('er 0\n'));
    for (const [o, l] of [[0, 5], [15, 10], [100, 5], [0, 0], [-3, 7], [5, 20]]) expect(t.tail(o, l)).toEqual(tailLog(f, o, l));
    for (const [o, l] of [[0, 0], [5, 3], [-5, 0], [100, 0]]) expect(t.read(o, l)).toBe(readLogSlice(f, o, l));
    expect(() => t.read(-1, 2)).toThrow('BAD_ARGUMENTS');
  });

  it('TailBuffer drops older bytes once newer ones fill its bound', () => {
    const t = new TailBuffer(10);
    t.write(Buffer.from('0123456789'));
    t.write(Buffer.from('abcdef'));
    expect(t.total).toBe(16);
    expect(t.read(-4, 0)).toBe('cdef');
    t.write(Buffer.from('ghijkl'));
    expect(t.total).toBe(22);
    expect(t.read(0, 0)).toBe('abcdefghijkl');
    expect(t.read(12, 2)).toBe('cd');
  });
});
