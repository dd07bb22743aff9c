// svinit's own [supervisord] keys, and its bounds on config files and counts: errors with
// file:line like supervisord's own.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError, loadConfig } from '../../../src/config/index.js';
import { MAX_NUMPROCS } from '../../../src/config/datatypes.js';
import { MAX_CONFIG_BYTES } from '../../../src/config/read-include.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const dir = useTempDir('svinit-keys-').path;

function load(name: string, text: string) {
  const file = path.join(dir, `${name}.conf`);
  fs.writeFileSync(file, text);
  return { file, config: () => loadConfig(file, { env: { HOME: '/root' }, cwd: dir }) };
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('[supervisord] sighup', () => {
  it('defaults to restart, as supervisord', () => {
    expect(load('dflt', '[supervisord]\n').config().supervisord.sighup).toBe('restart');
  });

  it('accepts update and restart', () => {
    expect(load('upd', '[supervisord]\nsighup = update\n').config().supervisord.sighup).toBe('update');
    expect(load('rst', '[supervisord]\nsighup = RESTART\n').config().supervisord.sighup).toBe('restart');
  });

  it('a bad value is an error at file:line', () => {
    const { file, config } = load('bad', '[supervisord]\nlogfile=/tmp/x.log\nsighup = reload\n');
    const e = errorOf(config);
    expect(e.source).toMatchObject({ file, line: 3 });
    expect(formatConfigError(e)).toMatch(/invalid 'sighup' value 'reload'/);
  });
});

describe('bounds beyond supervisord', () => {
  it('an [include] of a device is a config error at the files line', () => {
    const { file, config } = load('devzero', '[supervisord]\n[include]\nfiles = /dev/zero\n');
    const e = errorOf(config);
    expect(e.message).toBe('included file /dev/zero is not a regular file');
    expect(e.source).toMatchObject({ file, line: 3 });
  });

  it('an [include] of a FIFO is a config error (and does not hang)', () => {
    const fifo = path.join(dir, 'pipe.conf');
    execFileSync('mkfifo', [fifo]);
    const { file, config } = load('fifo', `[supervisord]\n[include]\nfiles = ${fifo}\n`);
    const e = errorOf(config);
    expect(e.message).toBe(`included file ${fifo} is not a regular file`);
    expect(e.source).toMatchObject({ file, line: 3 });
  });

  it('a config file over the size bound is refused', () => {
    const big = path.join(dir, 'big.conf');
    fs.writeFileSync(big, `[program:x]\ncommand=/bin/true\n;${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    const { file, config } = load('includesbig', `[supervisord]\n[include]\nfiles = ${big}\n`);
    const e = errorOf(config);
    expect(e.message).toBe(`config file ${big} is larger than 16 MiB`);
    expect(e.source).toMatchObject({ file, line: 3 });
  });

  it(`numprocs above ${MAX_NUMPROCS} is a config error at its line`, () => {
    const { file, config } = load('numprocs', '[supervisord]\n[program:x]\ncommand=/bin/true\nprocess_name=%(program_name)s_%(process_num)d\nnumprocs=100000000\n');
    const e = errorOf(config);
    expect(e.source).toMatchObject({ file, line: 5 });
    expect(formatConfigError(e)).toMatch(/numprocs 100000000 is more than svinit allows \(10000\)/);
    expect(load('numprocs-ok', `[supervisord]\n[program:x]\ncommand=/bin/true\nprocess_name=%(program_name)s_%(process_num)d\nnumprocs=${MAX_NUMPROCS}\n`).config().groups[0].processes).toHaveLength(MAX_NUMPROCS);
  });
});
