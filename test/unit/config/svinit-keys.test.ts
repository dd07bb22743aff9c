// svinit's own [supervisord] keys and bounds: read with file:line errors like supervisord's keys.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError, loadConfig } from '../../../src/config/index.js';
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
