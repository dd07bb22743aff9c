// Every broken config yields supervisord's message plus the file, line, section and key.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError, loadConfig } from '../../../src/config/index.js';
import { BROKEN_CONFIGS } from './broken-configs.js';
import { useTempDir } from '../../helpers/temp-dir.js';

// The file's temp dir, removed after its tests.
const dir = useTempDir('svinit-badconf-').path;

function errorFor(name: string, text: string): ConfigError {
  const file = path.join(dir, `${name}.conf`);
  fs.writeFileSync(file, text);
  try {
    loadConfig(file, { env: { HOME: '/root' }, cwd: dir });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`${name}: no error`);
}

describe('broken configs', () => {
  it('has at least 30 cases', () => expect(BROKEN_CONFIGS.length).toBeGreaterThanOrEqual(30));

  for (const c of BROKEN_CONFIGS) {
    it(`${c.name}: ${c.expected ?? '(expansion error)'}`, () => {
      const e = errorFor(c.name, c.text);
      const file = path.join(dir, `${c.name}.conf`);
      const text = formatConfigError(e);
      const first = text.split('\n')[0];
      if (c.expected) expect(first).toBe(c.expected.replace('FILE', file));
      else expect(first).toMatch(/^Error: Format string '\/bin\/echo %\(ENV_NOPE_X\)s' for 'program:x.command' contains names \('ENV_NOPE_X'\) which cannot be expanded\. Available names: ENV_HOME, group_name, here, host_node_name, numprocs, process_num, program_name in section 'program:x'/);
      // Where: the file always, the line whenever the error is in a line of the file.
      expect(e.source?.file).toBe(file);
      expect(text).toContain(`at ${file}`);
      if (!['nosupervisord'].includes(c.name)) expect(e.source!.line).toBeGreaterThan(0);
      expect(text.endsWith('For help, use svinit -h')).toBe(true);
    });
  }

  it('names the key and its line for a bad value', () => {
    const e = errorFor('keyline', '[supervisord]\n\n[program:web]\ncommand=/bin/true\nautostart=perhaps\n');
    expect(e.section).toBe('program:web');
    expect(e.key).toBe('autostart');
    expect(e.source!.line).toBe(5);
    expect(formatConfigError(e)).toContain(`keyline.conf:5 [program:web] key 'autostart'`);
  });

  it('locates an error inside an included file', () => {
    fs.mkdirSync(path.join(dir, 'conf.d'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'conf.d', 'x.ini'), '[program:inc]\ncommand=/bin/true\nstartretries=many\n');
    const e = errorFor('inc', '[supervisord]\n[include]\nfiles=conf.d/*.ini\n');
    expect(e.message).toBe(`invalid literal for int() with base 10: 'many' in section 'program:inc' (file: '${path.join(dir, 'conf.d', 'x.ini')}')`);
    expect(e.source).toEqual({ file: path.join(dir, 'conf.d', 'x.ini'), line: 3 });
  });
});
