// The /logtail follower: it reads a log only as far as the response has room for, from the first
// byte on; a client that falls behind by more than its budget gets a marker for the gap; appends,
// truncations and rotations are followed as before.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { followTail, skippedMarker, type TailSink } from '../../../src/http/follow.js';
import { RotatingFile } from '../../../src/logging/index.js';
import { waitFor } from '../../helpers/daemon.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-follow-');
let n = 0;
const file = () => path.join(tmp.path, `f${n++}.log`);

/** A sink that takes `room` bytes, then nothing until it is given more. */
function sink(room: number): TailSink & { got: string; writes: number[]; give(bytes: number): void } {
  const s = {
    got: '',
    writes: [] as number[],
    room: () => room,
    write(b: Buffer) {
      s.writes.push(b.length);
      s.got += b.toString();
      room -= b.length;
    },
    give(bytes: number) {
      room += bytes;
    },
  };
  return s;
}

describe('followTail', () => {
  it('reads nothing for a client with no room, and never more than the room it has', () => {
    const f = file();
    fs.writeFileSync(f, Buffer.alloc(1 << 20, 'a'));
    const none = sink(0);
    followTail(f, none, { initialBytes: 1 << 20, budget: 1000 }).close();
    expect(none.writes).toEqual([]);
    const some = sink(100);
    followTail(f, some, { initialBytes: 1 << 20, budget: 1000 }).close();
    expect(some.writes).toEqual([100]);
  });

  it('a stalled client that catches up gets the marker, then the live end of the log', async () => {
    const f = file();
    fs.writeFileSync(f, 'start\n');
    const s = sink(6);
    const follower = followTail(f, s, { initialBytes: 1024, budget: 100, pollMs: 20 });
    expect(s.got).toBe('start\n');
    fs.appendFileSync(f, 'x'.repeat(5000));
    await new Promise((r) => setTimeout(r, 60));
    expect(s.got).toBe('start\n');
    s.give(1 << 20);
    follower.resume();
    await waitFor(() => s.got.endsWith(skippedMarker(5000)), 'the marker');
    fs.appendFileSync(f, 'live\n');
    await waitFor(() => s.got.endsWith('live\n'), 'the live line');
    follower.close();
    expect(s.got).toBe(`start\n${skippedMarker(5000)}live\n`);
  });

  it('a client behind by less than its budget loses nothing', async () => {
    const f = file();
    fs.writeFileSync(f, '');
    const s = sink(0);
    const follower = followTail(f, s, { initialBytes: 0, budget: 1000, pollMs: 20 });
    fs.appendFileSync(f, 'y'.repeat(500));
    await new Promise((r) => setTimeout(r, 60));
    s.give(1 << 20);
    follower.resume();
    await waitFor(() => s.got.length === 500, 'the 500 bytes');
    follower.close();
    expect(s.got).toBe('y'.repeat(500));
  });

  it('streams the last bytes, then appends, truncations and rotations', async () => {
    const f = file();
    fs.writeFileSync(f, 'x'.repeat(2000) + 'END\n');
    const s = sink(1 << 30);
    const follower = followTail(f, s, { initialBytes: 10, budget: 1 << 20, pollMs: 50 });
    expect(s.got).toBe('xxxxxxEND\n');
    fs.appendFileSync(f, 'more\n');
    await waitFor(() => s.got.endsWith('more\n'), 'appended data');
    fs.writeFileSync(f, 'y\n');
    await waitFor(() => s.got.endsWith('==> File truncated <==\ny\n'), 'truncation notice');
    fs.renameSync(f, `${f}.1`);
    fs.writeFileSync(f, 'rotated\n');
    await waitFor(() => s.got.endsWith('rotated\n'), 'the new file after rotation');
    follower.close();
    expect(s.got).toBe('xxxxxxEND\nmore\n==> File truncated <==\ny\nrotated\n');
  });

  it('loses no byte across RotatingFile rotations while the client keeps up', async () => {
    const f = file();
    const r = new RotatingFile(f, { maxbytes: 4096, backups: 3 });
    const s = sink(1 << 30);
    const follower = followTail(f, s, { initialBytes: 0, budget: 1 << 20, pollMs: 20 });
    let expected = '';
    for (let i = 0; i < 400; i++) {
      const line = `line ${String(i).padStart(4, '0')} ${'.'.repeat(50)}\n`;
      r.write(line);
      expected += line;
      if (i % 10 === 0) await new Promise((res) => setTimeout(res, 10));
    }
    r.close();
    await waitFor(() => s.got.length >= expected.length, 'all lines');
    follower.close();
    expect(s.got).toBe(expected);
  });

  it('a consumer that throws stops the follower instead of crashing svinit', async () => {
    const f = file();
    fs.writeFileSync(f, 'a\n');
    let calls = 0;
    followTail(
      f,
      {
        room: () => 1000,
        write: () => {
          calls++;
          throw new Error('socket gone');
        },
      },
      { initialBytes: 1024, budget: 1000, pollMs: 20 },
    );
    fs.appendFileSync(f, 'b\n');
    await new Promise((res) => setTimeout(res, 100));
    expect(calls).toBe(1);
  });
});
