// env_files: KEY=VALUE lines, quotes, comments, `export ` prefixes; errors name the file and line.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvFileError, parseEnvFile, parseEnvFilesValue, readEnvFiles } from '../../../src/config/env-files.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-envfiles-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('env files', () => {
  it('reads KEY=VALUE lines with quotes, comments, blank lines and export prefixes', () => {
    const env = parseEnvFile(
      [
        '# a comment',
        '; another comment',
        '',
        'PLAIN=value',
        '  SPACED  =  padded value  ',
        'export EXPORTED=yes',
        'DOUBLE="has # and ; inside"',
        "SINGLE='single quoted'",
        'JSONISH="tab\\tand \\"quote\\""',
        'INLINE=before # a trailing comment',
        'EMPTY=',
        'EQUALS=a=b=c',
        'URL=postgres://u:p@db:5432/app',
      ].join('\n'),
      '/x.env',
    );
    expect(env).toEqual({
      PLAIN: 'value',
      SPACED: 'padded value',
      EXPORTED: 'yes',
      DOUBLE: 'has # and ; inside',
      SINGLE: 'single quoted',
      JSONISH: 'tab\tand "quote"',
      INLINE: 'before',
      EMPTY: '',
      EQUALS: 'a=b=c',
      URL: 'postgres://u:p@db:5432/app',
    });
  });

  it('handles CRLF line endings', () => {
    expect(parseEnvFile('A=1\r\nB=2\r\n', '/x.env')).toEqual({ A: '1', B: '2' });
  });

  it.each([
    ['a line without =', 'A=1\nJUSTAWORD\n', 2, /not a KEY=VALUE line: 'JUSTAWORD'/],
    ['a bad variable name', 'A=1\nB=2\n1BAD=x\n', 3, /invalid variable name '1BAD'/],
    ['an empty name', '=value\n', 1, /invalid variable name ''/],
    ['an unterminated quote', 'A="open\n', 1, /unterminated quoted value for 'A'/],
  ])('rejects %s with the file and line', (_what, text, line, message) => {
    let err: unknown;
    try {
      parseEnvFile(text, '/etc/app/bad.env');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvFileError);
    expect((err as EnvFileError).line).toBe(line);
    expect((err as EnvFileError).file).toBe('/etc/app/bad.env');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(`(file: '/etc/app/bad.env', line ${line})`);
  });

  it('merges files in order, later files winning', () => {
    const a = path.join(dir, 'a.env');
    const b = path.join(dir, 'b.env');
    fs.writeFileSync(a, 'SHARED=from-a\nONLY_A=1\n');
    fs.writeFileSync(b, 'SHARED=from-b\nONLY_B=2\n');
    expect(readEnvFiles([a, b])).toEqual({ SHARED: 'from-b', ONLY_A: '1', ONLY_B: '2' });
  });

  it('names the path of a missing file', () => {
    const missing = path.join(dir, 'missing.env');
    expect(() => readEnvFiles([missing])).toThrow(`env file doesn't exist: ${missing}`);
  });

  it('splits the env_files value on commas', () => {
    expect(parseEnvFilesValue(' /etc/app/common.env, /run/secrets/app.env ,')).toEqual(['/etc/app/common.env', '/run/secrets/app.env']);
  });
});
