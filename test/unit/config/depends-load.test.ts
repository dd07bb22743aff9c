// The depends_on, readiness and essential keys through the loader: typed values on each process,
// and every mistake a config error with file, line, section and key.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError, loadConfig } from '../../../src/config/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-depends-conf-'));
let n = 0;
function write(text: string): string {
  const file = path.join(dir, `c${n++}.conf`);
  fs.writeFileSync(file, `[supervisord]\n${text}`);
  return file;
}
const load = (text: string) => loadConfig(write(text), { env: { HOME: '/root' }, cwd: dir });

function error(text: string): { e: ConfigError; file: string; formatted: string } {
  const file = write(text);
  try {
    loadConfig(file, { env: { HOME: '/root' }, cwd: dir });
  } catch (e) {
    if (e instanceof ConfigError) return { e, file, formatted: formatConfigError(e) };
    throw e;
  }
  throw new Error('no error');
}

describe('loading', () => {
  it('puts the parsed keys on every process and warns about none of them', () => {
    const c = load(`[program:db]
command=/bin/true
ready_check=tcp://127.0.0.1:%(ENV_HOME)s
[program:web]
command=/bin/true
numprocs=2
process_name=%(program_name)s_%(process_num)s
depends_on=db:ready, jobs
essential=true
ready_log_regex=^listening
ready_timeout=5
[program:migrate]
command=/bin/true
[group:jobs]
programs=migrate
`.replace('%(ENV_HOME)s', '5432'));
    const web = c.groups.find((g) => g.name === 'web')!.processes;
    expect(web.map((p) => p.dependsOn)).toEqual([
      [{ name: 'db', condition: 'running', written: 'ready' }, { name: 'jobs', condition: 'running', written: 'running' }],
      [{ name: 'db', condition: 'running', written: 'ready' }, { name: 'jobs', condition: 'running', written: 'running' }],
    ]);
    expect(web[0]).toMatchObject({ essential: true, readiness: { method: { kind: 'log', regex: '^listening' }, timeoutSecs: 5 } });
    expect(web[0].dependsOnSource?.line).toBe(9);
    expect(c.groups.find((g) => g.name === 'db')!.processes[0].readiness?.method).toEqual({
      kind: 'check',
      target: { kind: 'tcp', host: '127.0.0.1', port: 5432 },
      intervalSecs: 1,
    });
    expect(c.warnings).toEqual([]);
  });

  it('expands %(program_name)s in the values', () => {
    const c = load(`[program:api]
command=/bin/true
ready_check=unix:///run/%(program_name)s.sock
`);
    expect(c.groups[0].processes[0].readiness?.method).toMatchObject({ target: { kind: 'unix', path: '/run/api.sock' } });
  });
});

describe('mistakes are config errors at their line', () => {
  it('an unknown name in depends_on', () => {
    const { e, file, formatted } = error(`[program:app]
command=/bin/true
depends_on=dbb
`);
    expect(e.message).toBe('[program:app] depends_on names unknown program or group dbb');
    expect(e.source).toEqual({ file, line: 4 });
    expect(formatted).toContain(`at ${file}:4 [program:app] key 'depends_on'`);
  });

  it('a cycle, named in full', () => {
    const { e, file } = error(`[program:a]
command=/bin/true
depends_on=c
[program:b]
command=/bin/true
depends_on=a
[program:c]
command=/bin/true
depends_on=b:started
`);
    expect(e.message).toBe('depends_on makes a dependency cycle: a -> c -> b -> a');
    expect(e.source).toEqual({ file, line: 4 });
  });

  it('an unknown condition, a bad ready_check, notification_fd 2, readiness on an event listener', () => {
    const cases: Array<[string, RegExp, number, string]> = [
      ['[program:a]\ncommand=/bin/true\ndepends_on=b:healthy\n[program:b]\ncommand=/bin/true\n', /unknown condition "healthy" for b in depends_on \(expected started, .*\) in section 'program:a'/, 4, 'depends_on'],
      ['[program:a]\ncommand=/bin/true\nready_check=tcp://nohost\n', /malformed ready_check "tcp:\/\/nohost"/, 4, 'ready_check'],
      ['[program:a]\ncommand=/bin/true\nnotification_fd=2\n', /notification_fd must be a descriptor number from 3/, 4, 'notification_fd'],
      ['[eventlistener:l]\ncommand=/bin/true\nevents=TICK_5\nready_log_regex=READY\n', /ready_log_regex is not allowed in an \[eventlistener\] section/, 5, 'ready_log_regex'],
      ['[program:a]\ncommand=/bin/true\nready_check=exec:true\nready_log_regex=x\n', /only one way of telling readiness per program/, 5, 'ready_log_regex'],
      ['[program:a]\ncommand=/bin/true\nessential=sometimes\n', /not a valid boolean value/, 4, 'essential'],
    ];
    for (const [text, message, line, key] of cases) {
      const { e, file } = error(text);
      expect(e.message).toMatch(message);
      expect(e.source).toEqual({ file, line });
      expect(e.key).toBe(key);
    }
  });
});
