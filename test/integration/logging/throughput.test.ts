// A writer child producing tens of MB/s through a ChannelLog with rotation: every line lands
// exactly once, in order, across the backups; container-mode copies too. (Speed is measured in
// bench/, side by side with supervisord, not asserted here.)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../../src/config/types.js';
import { createChannelLog } from '../../../src/logging/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-logtp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const writer = path.join(import.meta.dirname, 'writer.mjs');
const TOTAL = 80 * 1024 * 1024;
const LINE = 61;

type Sink = { kind: 'channel'; logfile: string | null; maxbytes: number; backups: number; prefixFd?: number } | { kind: 'plain'; file: string };

/**
 * Runs the writer with its stdout read by Node as the engine reads a child ('data' events), into
 * a channel log or (the reference) straight into a file with writeSync. Resolves with the ms taken.
 */
function run(sink: Sink): Promise<number> {
  let write: (chunk: Buffer) => void;
  let end: () => void;
  if (sink.kind === 'channel') {
    const config: ChannelConfig = {
      logfile: sink.logfile ? { kind: 'file', path: sink.logfile } : { kind: 'none' },
      logfileMaxbytes: sink.maxbytes,
      logfileBackups: sink.backups,
      captureMaxbytes: 0,
      eventsEnabled: false,
      syslog: false,
    };
    const prefix = sink.prefixFd === undefined ? null : { stream: sink.prefixFd, label: 'w' };
    const log = createChannelLog({ processName: 'w', groupName: 'w', channel: 'stdout', config, stripAnsi: false, prefix });
    write = (chunk) => log.write(chunk);
    end = () => {
      log.flush();
      void log.close();
    };
  } else {
    const fd = fs.openSync(sink.file, 'w');
    write = (chunk) => fs.writeSync(fd, chunk);
    end = () => fs.closeSync(fd);
  }
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [writer, String(TOTAL)], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', write);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('end', () => {
      end();
      resolve(Number(process.hrtime.bigint() - start) / 1e6);
    });
  });
}


/** Checks that `data` holds lines 0..n-1 exactly once, in order (each with `prefix`); returns n. */
function checkLines(data: Buffer, prefix = ''): number {
  const text = data.toString('latin1');
  const p = prefix.length;
  let expected = 0;
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) throw new Error(`unterminated last line at byte ${at}`);
    const num = Number(text.slice(at + p, at + p + 9));
    if (num !== expected || nl - at !== LINE - 1 + p || text.slice(at, at + p) !== prefix) {
      throw new Error(`line ${expected} expected at byte ${at}, found ${JSON.stringify(text.slice(at, nl))}`);
    }
    expected++;
    at = nl + 1;
  }
  return expected;
}


describe('channel log under a fast writer', () => {
  it('rotation (5 MB × 20 backups): every line exactly once, in order', async () => {
    const f = path.join(dir, 'rot.log');
    await run({ kind: 'channel', logfile: f, maxbytes: 5 * 1024 * 1024, backups: 20 });
    const files = [...Array.from({ length: 20 }, (_, i) => `${f}.${20 - i}`).filter((p) => fs.existsSync(p)), f];
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const p of files.slice(0, -1)) {
      const size = fs.statSync(p).size;
      // Rotation happens after the write that reaches maxbytes: at most one (batched) write over.
      expect(size).toBeGreaterThanOrEqual(5 * 1024 * 1024);
      expect(size).toBeLessThan(5 * 1024 * 1024 + 1024 * 1024 + 65536);
    }
    const lines = checkLines(Buffer.concat(files.map((p) => fs.readFileSync(p))));
    for (const p of files) fs.rmSync(p);
    expect(lines * LINE).toBeGreaterThanOrEqual(TOTAL);
  });

  it('container mode (`name | line` copies on an fd): every line exactly once, prefixed', async () => {
    const out = path.join(dir, 'prefixed.out');
    const fd = fs.openSync(out, 'w');
    await run({ kind: 'channel', logfile: null, maxbytes: 0, backups: 0, prefixFd: fd });
    fs.closeSync(fd);
    const lines = checkLines(fs.readFileSync(out), 'w | ');
    fs.rmSync(out);
    expect(lines * LINE).toBeGreaterThanOrEqual(TOTAL);
  });

});
