// A child's output arrives as views on one read buffer that every next read overwrites (the native
// spawner's onread). Everything the logging keeps past a write — batches waiting for the end of the
// turn, partial lines, capture tokens, tails, forwarded copies — must be a copy: fed from a reused
// buffer that is scribbled over after each write, every output matches the same bytes fed as
// buffers of their own.

import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../../src/config/types.js';
import { createChannelLog } from '../../../src/logging/index.js';
import { STAGING_BYTES } from '../../../src/logging/staging.js';
import { TailBuffer } from '../../../src/logging/tail-buffer.js';
import { useTempDir } from '../../helpers/temp-dir.js';
import { logKit, pathOf } from './_shared.js';

const tmp = useTempDir('svinit-reuse-');
const { channelConfig } = logKit(tmp);
const turn = () => new Promise((r) => setImmediate(r));

/** Random output: lines of 0–300 bytes, capture tokens now and then, cut into random chunks. */
function randomChunks(seed: number, total: number): Buffer[] {
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const parts: Buffer[] = [];
  let size = 0;
  while (size < total) {
    const r = rnd() % 40;
    const part = r === 0 ? Buffer.from('<!--XSUPERVISOR:BEGIN-->') : r === 1 ? Buffer.from('<!--XSUPERVISOR:END-->') : Buffer.concat([Buffer.from(Array.from({ length: rnd() % 300 }, () => 32 + (rnd() % 200))), Buffer.of(10)]);
    parts.push(part);
    size += part.length;
  }
  const all = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  for (let at = 0; at < all.length; ) {
    const n = 1 + (rnd() % 9000);
    chunks.push(all.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

interface Run {
  file: string;
  forwarded: Buffer[];
  events: string[];
  captured: string[];
  tail: TailBuffer;
}

/** Feeds `chunks` through one channel log, either as views on a reused buffer or as owned copies. */
async function feed(chunks: Buffer[], reused: boolean, over: Partial<ChannelConfig>, wholeLines: boolean): Promise<Run> {
  const config = channelConfig(over);
  const out = new PassThrough();
  const forwarded: Buffer[] = [];
  out.on('data', (b: Buffer) => forwarded.push(b));
  const events: string[] = [];
  const captured: string[] = [];
  const log = createChannelLog({
    processName: 'p', groupName: 'p', channel: 'stdout', config, stripAnsi: false, wholeLines,
    prefix: { stream: out, label: 'p' },
    onLog: (d) => events.push(d.toString('latin1')),
    onCapture: (d) => captured.push(d.toString('latin1')),
  });
  const tail = new TailBuffer(4096);
  const shared = Buffer.alloc(16 * 1024);
  let i = 0;
  for (const chunk of chunks) {
    const view = reused ? shared.subarray(0, chunk.length) : Buffer.from(chunk);
    chunk.copy(view);
    log.write(view);
    tail.write(view);
    if (reused) shared.fill(0xee);
    // Several chunks per turn, as libuv reads a busy pipe.
    if (++i % 7 === 0) await turn();
  }
  log.flush();
  await log.close();
  return { file: pathOf(config), forwarded, events, captured, tail };
}

describe('child output read into a reused buffer', () => {
  for (const [name, over, wholeLines] of [
    ['file', {}, false],
    ['file, whole lines (a container stream target)', {}, true],
    ['capture mode and PROCESS_LOG events', { captureMaxbytes: 1 << 20, eventsEnabled: true }, false],
  ] as const) {
    it(`${name}: every output equals the owned-buffer run`, async () => {
      const chunks = randomChunks(name.length * 31 + 5, 400_000);
      const owned = await feed(chunks, false, over, wholeLines);
      const reused = await feed(chunks, true, over, wholeLines);
      expect(fs.readFileSync(reused.file).equals(fs.readFileSync(owned.file))).toBe(true);
      expect(Buffer.concat(reused.forwarded).equals(Buffer.concat(owned.forwarded))).toBe(true);
      expect(reused.events).toEqual(owned.events);
      expect(reused.captured).toEqual(owned.captured);
      expect(reused.tail.read(0, 0)).toBe(owned.tail.read(0, 0));
      expect(fs.readFileSync(owned.file).includes(0xee)).toBe(false);
    });
  }

  it('capture mode: the few bytes after a token that wait for the next chunk are kept as they were', async () => {
    const chunks = ['out\n<!--XSUPERVISOR:BEGIN-->ab', 'c\n<!--XSUPERVISOR:END-->x', 'y\n<!--XSUPER', 'VISOR:BEGIN-->z', 'z<!--XSUPERVISOR:END-->\n'].map((s) => Buffer.from(s));
    const over = { captureMaxbytes: 1 << 20, eventsEnabled: true };
    const owned = await feed(chunks, false, over, false);
    const reused = await feed(chunks, true, over, false);
    expect(reused.captured).toEqual(['abc\n', 'zz']);
    expect(reused.captured).toEqual(owned.captured);
    expect(fs.readFileSync(reused.file, 'latin1')).toBe(fs.readFileSync(owned.file, 'latin1'));
    expect(fs.readFileSync(reused.file, 'latin1')).toBe('out\nxy\n\n');
  });

  it('many files staging more than the area holds in one turn keep each file in order', async () => {
    const configs = Array.from({ length: 12 }, () => channelConfig());
    const logs = configs.map((config) => createChannelLog({ processName: 'p', groupName: 'p', channel: 'stdout', config, stripAnsi: false, prefix: null }));
    const shared = Buffer.alloc(40_000);
    const want: Buffer[][] = configs.map(() => []);
    // 12 files × 20 chunks of up to 40 KB in one turn: several times STAGING_BYTES.
    for (let k = 0; k < 20; k++) {
      logs.forEach((log, f) => {
        const n = 1000 + ((k * 7919 + f * 104729) % 39000);
        const bytes = Buffer.alloc(n, 65 + ((k + f) % 26));
        bytes.copy(shared);
        log.write(shared.subarray(0, n));
        shared.fill(0xee);
        want[f].push(bytes);
      });
    }
    expect(20 * 12 * 20_000).toBeGreaterThan(2 * STAGING_BYTES);
    await turn();
    configs.forEach((config, f) => expect(fs.readFileSync(pathOf(config)).equals(Buffer.concat(want[f]))).toBe(true));
  });
});
