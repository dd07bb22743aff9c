// svinit's command line: the usual `-c FILE` / `-n` are read without loading yargs, and must mean
// exactly what yargs makes of them (`--log-format=text`, the default, sends the same argv to yargs).

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/svinit.js';

async function parse(argv: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  err.on('data', (c: Buffer) => chunks.push(c));
  const r = await parseArgs(argv, { stdout: out, stderr: err });
  return { r, stderr: Buffer.concat(chunks).toString() };
}

describe('svinit options without yargs', () => {
  const cases = [
    ['-c', '/etc/supervisord.conf'],
    ['-n', '-c', '/etc/supervisord.conf'],
    ['--configuration', 'a.conf', '--nodaemon'],
    ['--configuration=a.conf'],
    ['-c', 'a.conf', '--', 'sleep', '1'],
    ['-n', '--', 'sleep', '1'],
  ];
  for (const argv of cases) {
    it(`${argv.join(' ')} reads as yargs reads it`, async () => {
      const dd = argv.indexOf('--');
      const viaYargs = dd >= 0 ? [...argv.slice(0, dd), '--log-format=text', ...argv.slice(dd)] : [...argv, '--log-format=text'];
      const fast = await parse(argv);
      expect(fast).toEqual(await parse(viaYargs));
      expect(fast.stderr).toBe('');
    });
  }

  it('anything else goes to yargs: an unknown option is an error', async () => {
    const unknown = await parse(['-c', 'a.conf', '--bogus']);
    expect(unknown.r).toEqual({ exitCode: 2 });
    expect(unknown.stderr).toMatch(/Unknown argument: bogus/);
  });
});
