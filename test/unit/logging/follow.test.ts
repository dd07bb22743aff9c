// The /logtail follower: initial tail, appends, truncation, rotation, close.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { followFile, RotatingFile } from '../../../src/logging/index.js';
import { waitFor } from '../../helpers/daemon.js';
import { logKit } from './_shared.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-log-');
const { file } = logKit(tmp);

describe('followFile', () => {
  it('streams the last bytes, then appends, truncations and rotations', async () => {
    const f = file();
    fs.writeFileSync(f, 'x'.repeat(2000) + 'END\n');
    let got = '';
    const follower = followFile(f, (b) => (got += b.toString()), { initialBytes: 10, pollMs: 50 });
    expect(got).toBe('xxxxxxEND\n');
    fs.appendFileSync(f, 'more\n');
    await waitFor(() => got.endsWith('more\n'), 'appended data');
    fs.writeFileSync(f, 'y\n');
    await waitFor(() => got.endsWith('==> File truncated <==\ny\n'), 'truncation notice');
    fs.renameSync(f, `${f}.1`);
    fs.writeFileSync(f, 'rotated\n');
    await waitFor(() => got.endsWith('rotated\n'), 'the new file after rotation');
    fs.appendFileSync(f, 'and on\n');
    await waitFor(() => got.endsWith('rotated\nand on\n'), 'appends to the new file');
    follower.close();
    expect(got).toBe('xxxxxxEND\nmore\n==> File truncated <==\ny\nrotated\nand on\n');
  });

  it('defaults to the last 1024 bytes, whole file when smaller', () => {
    const big = file();
    fs.writeFileSync(big, Buffer.alloc(5000, 'a'));
    let n = 0;
    followFile(big, (b) => (n += b.length)).close();
    expect(n).toBe(1024);
    const small = file();
    fs.writeFileSync(small, 'tiny\n');
    let got = '';
    followFile(small, (b) => (got += b.toString())).close();
    expect(got).toBe('tiny\n');
  });

  it('loses no byte across RotatingFile rotations while following a busy log', async () => {
    const f = file();
    const r = new RotatingFile(f, { maxbytes: 4096, backups: 3 });
    let got = '';
    const follower = followFile(f, (b) => (got += b.toString()), { initialBytes: 0, pollMs: 20 });
    let expected = '';
    for (let i = 0; i < 400; i++) {
      const line = `line ${String(i).padStart(4, '0')} ${'.'.repeat(50)}\n`;
      r.write(line);
      expected += line;
      // A pause every 10 lines: the follower sees each file before the next rotation replaces it.
      if (i % 10 === 0) await new Promise((res) => setTimeout(res, 10));
    }
    r.close();
    expect(fs.existsSync(`${f}.3`)).toBe(true); // it did rotate, several times
    await waitFor(() => got.length >= expected.length, 'all lines');
    follower.close();
    expect(got).toBe(expected);
  });

  it('waits for a file that does not exist yet, and stops after close()', async () => {
    const f = file();
    let got = '';
    const follower = followFile(f, (b) => (got += b.toString()), { pollMs: 20 });
    fs.writeFileSync(f, 'born\n');
    await waitFor(() => got === 'born\n', 'the file to appear');
    follower.close();
    fs.appendFileSync(f, 'ignored\n');
    // Give a closed follower the chance to misbehave: several poll periods.
    await new Promise((res) => setTimeout(res, 100));
    expect(got).toBe('born\n');
  });

  it('a consumer that throws stops the follower instead of crashing svinit', async () => {
    const f = file();
    fs.writeFileSync(f, 'a\n');
    let calls = 0;
    followFile(
      f,
      () => {
        calls++;
        throw new Error('socket gone');
      },
      { pollMs: 20 },
    );
    fs.appendFileSync(f, 'b\n');
    await new Promise((res) => setTimeout(res, 100));
    expect(calls).toBe(1);
  });
});
