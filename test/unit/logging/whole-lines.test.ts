// The container's stdout as a program's log file: bytes unchanged, cut only after a newline.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { PARTIAL_LINE_FLUSH_MS, WholeLines } from '../../../src/logging/channel.js';

afterEach(() => vi.useRealTimers());

function collect() {
  const writes: string[] = [];
  return { writes, lines: new WholeLines((b) => writes.push(b.toString())) };
}

describe('WholeLines', () => {
  it('writes up to the last newline and holds the rest until its newline arrives', () => {
    const { writes, lines } = collect();
    lines.write(Buffer.from('{"a":1}\n{"b":'));
    lines.write(Buffer.from('2}\n{"c"'));
    lines.write(Buffer.from(':3}\n'));
    expect(writes).toEqual(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n']);
  });

  it('adds nothing: a partial line is written as it is on release (the output ended)', () => {
    const { writes, lines } = collect();
    lines.write(Buffer.from('last line, no newline'));
    expect(writes).toEqual([]);
    lines.release();
    expect(writes).toEqual(['last line, no newline']);
    lines.release();
    expect(writes).toHaveLength(1);
  });

  it('a prompt that never gets its newline is written after a short time', () => {
    vi.useFakeTimers();
    const { writes, lines } = collect();
    lines.write(Buffer.from('Password: '));
    vi.advanceTimersByTime(PARTIAL_LINE_FLUSH_MS - 1);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['Password: ']);
  });

  it('bytes are passed unchanged, including invalid UTF-8 and carriage returns', () => {
    const data = Buffer.from([0xff, 0xfe, 0x0d, 0x0a, 0xc3]);
    const out: Buffer[] = [];
    const raw = new WholeLines((b) => out.push(Buffer.from(b)));
    raw.write(data);
    raw.release();
    expect(Buffer.concat(out).equals(data)).toBe(true);
  });
});
