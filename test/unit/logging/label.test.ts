// The `name | ` label of container mode's forwarded copy: the addon's labelLines and the JavaScript
// fallback (byte loop for short lines, latin1 replaceAll for long ones) give the same bytes as a
// plain line-by-line reference, on random bytes (non-UTF-8, '\r', NUL) and on the edge cases.

import { describe, expect, it } from 'vitest';
import { loadNative } from '../../../src/init/native.js';
import { labelLinesJs, lineLabeller, prefixShortLines, shortLines } from '../../../src/logging/label.js';

const native = loadNative();
const labelLines = native?.labelLines?.bind(native) as ((body: Buffer, label: Buffer) => Buffer) | undefined;
const labelInto = native?.labelLines?.bind(native) as ((body: Buffer, label: Buffer, out: Buffer) => number) | undefined;

/** The definition: split after each newline; a last run without one is a line; each gets the label. */
function reference(body: Buffer, label: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < body.length) {
    const nl = body.indexOf(0x0a, start);
    const end = nl === -1 ? body.length : nl + 1;
    parts.push(label, body.subarray(start, end));
    start = end;
  }
  return Buffer.concat(parts);
}

/** A small deterministic generator (mulberry32): the same inputs on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random whole lines of 0..maxLen bytes before their newline; bytes drawn from `alphabet` or anything. */
function randomBody(rand: () => number, lines: number, maxLen: number, wholeLines = true): Buffer {
  const out: number[] = [];
  const kind = Math.floor(rand() * 3);
  for (let l = 0; l < lines; l++) {
    const n = Math.floor(rand() * (maxLen + 1));
    for (let i = 0; i < n; i++) {
      const r = rand();
      // Any byte but '\n' (0..255 except 10), or text with '\r' and UTF-8 / invalid sequences.
      let b = kind === 0 ? Math.floor(r * 256) : kind === 1 ? [0x61, 0x0d, 0xc3, 0xa9, 0xff, 0xfe, 0x00, 0x20][Math.floor(r * 8)] : 0x78;
      if (b === 0x0a) b = 0x0d;
      out.push(b);
    }
    out.push(0x0a);
  }
  if (!wholeLines) out.push(0x7a, 0xff);
  return Buffer.from(out);
}

const LABELS = [Buffer.alloc(0), Buffer.from('w | '), Buffer.from('\xff\r\0 | ', 'latin1'), Buffer.from(`${'long-program-name-'.repeat(20)} | `), Buffer.from('é | ')];

/** Around the native copy's thresholds: 16 bytes (byte loop) and 2048-byte pieces. */
const EDGES = ['', '\n', '\n\n\n', 'a\n', 'a', 'a\nb', '\r\n', '\r\n\r\n', 'x\n'.repeat(5), 'x\n'.repeat(4) + 'y'.repeat(300) + '\n', 'y'.repeat(300) + '\n' + 'x\n'.repeat(10), '\xff\xfe\n\xc3\n', '\0\n\0', ...[15, 16, 17, 2047, 2048, 2049, 4096, 6145].map((n) => `${'y'.repeat(n)}\n${'z'.repeat(n + 1)}`)].map((s) => Buffer.from(s, 'latin1'));

describe('labelLines', () => {
  it('the addon has it', () => {
    expect(typeof labelLines).toBe('function');
  });

  it('edge cases: every path gives the reference bytes', () => {
    for (const label of LABELS) {
      for (const body of EDGES) {
        const want = reference(body, label);
        expect(labelLinesJs(body, label).equals(want)).toBe(true);
        expect(labelLines!(body, label).equals(want)).toBe(true);
        expect(lineLabeller(label, { native: null })(body).equals(want)).toBe(true);
        expect(lineLabeller(label)(body).equals(want)).toBe(true);
        expect(lineLabeller(label, { transient: true })(body).equals(want)).toBe(true);
      }
    }
  });

  it('random lines of 0..300 bytes, any bytes: native and JavaScript agree with the reference', () => {
    const rand = rng(13);
    for (let round = 0; round < 600; round++) {
      const maxLen = [0, 1, 2, 8, 40, 127, 300][round % 7];
      const body = randomBody(rand, 1 + Math.floor(rand() * 400), maxLen, round % 5 !== 4);
      const label = LABELS[round % LABELS.length];
      const want = reference(body, label);
      const js = labelLinesJs(body, label);
      const nat = labelLines!(body, label);
      expect(js.equals(want), `js round ${round}`).toBe(true);
      expect(nat.equals(want), `native round ${round}`).toBe(true);
    }
  });

  it('both JavaScript paths (byte loop, replaceAll) agree, whatever the line lengths', () => {
    const rand = rng(7);
    for (let round = 0; round < 200; round++) {
      const body = randomBody(rand, 1 + Math.floor(rand() * 100), [2, 30, 300][round % 3], round % 4 !== 3);
      const label = LABELS[1 + (round % (LABELS.length - 1))];
      expect(prefixShortLines(body, label).equals(reference(body, label))).toBe(true);
    }
    expect(shortLines(Buffer.from('a\nb\nc\nd\n'))).toBe(true);
    expect(shortLines(Buffer.from('a\n'.repeat(3)))).toBe(false);
    expect(shortLines(Buffer.from(`${'y'.repeat(200)}\n`.repeat(4)))).toBe(false);
  });

  it('the result is a new buffer; the input is left as it was', () => {
    const body = Buffer.from('a\nb\n');
    const copy = Buffer.from(body);
    const out = labelLines!(body, Buffer.from('L '));
    expect(out.toString()).toBe('L a\nL b\n');
    expect(body.equals(copy)).toBe(true);
    out[0] = 0x5a;
    expect(body.equals(copy)).toBe(true);
  });

  it('a view on a larger buffer is read from its offset', () => {
    const big = Buffer.from('xxxx\nhello\nworld\nyyyy');
    expect(labelLines!(big.subarray(5, 17), Buffer.from('> ')).toString()).toBe('> hello\n> world\n');
  });

  it('throws a TypeError on anything but two buffers', () => {
    const f = labelLines as unknown as (...a: unknown[]) => Buffer;
    expect(() => f('a\n', Buffer.from('x'))).toThrow(TypeError);
    expect(() => f(Buffer.from('a\n'), 'x')).toThrow(TypeError);
    expect(() => f(Buffer.from('a\n'))).toThrow(TypeError);
    expect(() => f()).toThrow(TypeError);
    expect(() => f(null, null)).toThrow(TypeError);
    expect(() => f(42, {})).toThrow(TypeError);
  });

  it('without the addon (or with an old one lacking labelLines) JavaScript labels', () => {
    const body = Buffer.from('a\n\xff\n', 'latin1');
    const want = reference(body, Buffer.from('p | '));
    expect(lineLabeller(Buffer.from('p | '), { native: null })(body).equals(want)).toBe(true);
    expect(lineLabeller(Buffer.from('p | '), { native: {}, transient: true })(body).equals(want)).toBe(true);
    expect(lineLabeller(Buffer.alloc(0), { native: null })(body)).toBe(body);
  });

  it('a 64 KiB chunk of 2-byte lines: the native path is used when there', () => {
    let calls = 0;
    const spy = { labelLines: ((b: Buffer, l: Buffer) => (calls++, labelLines!(b, l))) as NonNullable<typeof native>['labelLines'] };
    const body = Buffer.from('x\n'.repeat(32768));
    expect(lineLabeller(Buffer.from('w | '), { native: spy })(body).equals(reference(body, Buffer.from('w | ')))).toBe(true);
    expect(calls).toBe(1);
  });

  it('with out: the labelled length, written only when it fits; out may not overlap the input', () => {
    const out = Buffer.alloc(12, 0x2e);
    expect(labelInto!(Buffer.from('a\nb\n'), Buffer.from('L '), out)).toBe(8);
    expect(out.toString()).toBe('L a\nL b\n....');
    expect(labelInto!(Buffer.from('a\nb\nc\n'), Buffer.from('L '), out)).toBe(12);
    expect(labelInto!(Buffer.from('a\nb\nc\nd\n'), Buffer.from('L '), out)).toBe(16);
    expect(out.toString()).toBe('L a\nL b\nL c\n');
    expect(labelInto!(Buffer.alloc(0), Buffer.from('L '), out)).toBe(0);
    const big = Buffer.from('xxxx\nyyyy\n');
    expect(() => labelInto!(big.subarray(0, 5), Buffer.from('L '), big.subarray(3))).toThrow(TypeError);
    expect(() => labelInto!(Buffer.from('a\n'), big.subarray(0, 2), big.subarray(1))).toThrow(TypeError);
    expect(() => (labelLines as unknown as (...a: unknown[]) => unknown)(Buffer.from('a\n'), Buffer.from('L'), 'out')).toThrow(TypeError);
  });

  it('transient results: each right when taken at once, the buffer grown as needed, huge bodies allocated', () => {
    const rand = rng(99);
    const label = Buffer.from(`${'n'.repeat(30)} | `);
    const step = lineLabeller(label, { transient: true });
    // Lines of 0..2 bytes: labelled, 768 Ki lines are past the 1 MiB the reused buffer may grow to.
    for (const lines of [10, 64 * 1024, 3, 200 * 1024, 1, 768 * 1024, 5]) {
      const body = randomBody(rand, lines, 2);
      const got = step(body);
      expect(got.equals(reference(body, label)), `${lines} lines`).toBe(true);
    }
  });
});
