// pino is loaded only for the json activity log (and then really used); the forwarded copy of
// short lines (byte loop) is byte for byte what the long-line path (replaceAll) gives.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createActivityLogger, createChannelLog } from '../../../src/logging/index.js';
import { logKit } from './_shared.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-lazy-');
const { channelConfig, file } = logKit(tmp);
const pinoLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\/]node_modules[\\/]pino[\\/]/.test(k));

describe('pino is loaded on demand', () => {
  it('text logs do not load it; json logs load it and write pino lines', async () => {
    const text = createActivityLogger({ file: file(), maxbytes: 0, backups: 0, level: 'info', toStdout: false, format: 'text' });
    text.info('hello');
    await text.close();
    expect(pinoLoaded()).toBe(false);
    const f = file();
    const json = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'info', toStdout: false, format: 'json' });
    json.warn('careful');
    await json.close();
    expect(pinoLoaded()).toBe(true);
    expect(JSON.parse(fs.readFileSync(f, 'utf8'))).toMatchObject({ level: 'warn', msg: 'careful' });
  });
});

describe('forwarded copies of short and long lines', () => {
  const forward = (chunks: Buffer[], label: string | null) => {
    const out = new PassThrough();
    const got: Buffer[] = [];
    out.on('data', (b: Buffer) => got.push(b));
    const log = createChannelLog({ processName: 'p', groupName: 'p', channel: 'stdout', config: channelConfig({ logfile: { kind: 'none' } }), stripAnsi: false, prefix: { stream: out, label } });
    for (const c of chunks) log.write(c);
    log.flush();
    return Buffer.concat(got).toString('latin1');
  };
  const expected = (text: string, label: string | null) =>
    text
      .split('\n')
      .filter((l, i, all) => i < all.length - 1 || l !== '')
      .map((l) => `${label === null ? '' : `${label} | `}${l}\n`)
      .join('');

  it('labels every line of 2-byte, mixed and long lines, across chunk boundaries, bytes untouched', () => {
    const short = 'x\n'.repeat(5000);
    const mixed = 'a\nbb\n\n' + 'y'.repeat(300) + '\n\xff\xfe\n' + 'z\n'.repeat(10) + 'tail';
    for (const text of [short, mixed, 'q'.repeat(200) + '\n' + 'w\n'.repeat(40)]) {
      for (const label of ['web', null]) {
        const b = Buffer.from(text, 'latin1');
        const chunks = [b.subarray(0, 7), b.subarray(7, 1001), b.subarray(1001)];
        expect(forward(chunks, label)).toBe(expected(text, label));
        expect(forward([b], label)).toBe(expected(text, label));
      }
    }
  });
});
