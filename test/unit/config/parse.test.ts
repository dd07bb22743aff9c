// supervisord's parsing rules, defaults and expansions (supervisord's docs, "Configuration File").

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultConfigPaths,
  findConfigFile,
  groupConfigEquals,
  loadConfig,
  makeNamespec,
  parseByteSize,
  parseEnvironment,
  parseSignal,
  signalName,
  splitCommand,
  splitNamespec,
} from '../../../src/config/index.js';
import { useTempDir } from '../../helpers/temp-dir.js';

// The file's temp dir, removed after its tests.
const dir = useTempDir('svinit-conf-').path;
let n = 0;
function load(text: string, env: Record<string, string> = { HOME: '/root' }) {
  const file = path.join(dir, `c${n++}.conf`);
  fs.writeFileSync(file, text);
  return loadConfig(file, { env, cwd: dir, hostname: 'box' });
}

describe('INI rules', () => {
  it('accepts = and :, continuation lines, comments, case-insensitive keys, merged duplicate sections', () => {
    const c = load(`[supervisord]
; full-line comment
# another
[program:a]
COMMAND: /bin/echo one ; inline comment
  two
    three#not-a-comment
priority = 5
[program:a]
priority=7
`);
    const p = c.groups[0].processes[0];
    expect(p.command).toBe('/bin/echo one\ntwo\nthree#not-a-comment');
    expect(p.priority).toBe(7);
  });

  it('%% is a literal percent in every key', () => {
    const c = load('[supervisord]\n[program:a]\ncommand=/bin/echo 100%% %%h:%%p\n');
    expect(c.groups[0].processes[0].command).toBe('/bin/echo 100% %h:%p');
  });
});

describe('defaults', () => {
  it('[supervisord] and [program:x] defaults are supervisord\'s', () => {
    const c = load('[supervisord]\n[program:x]\ncommand=/bin/true\n');
    expect(c.supervisord).toMatchObject({
      logfile: path.join(dir, 'supervisord.log'),
      logfileMaxbytes: 50 * 1024 * 1024,
      logfileBackups: 10,
      loglevel: 'info',
      pidfile: path.join(dir, 'supervisord.pid'),
      umask: 0o22,
      nodaemon: false,
      silent: false,
      minfds: 1024,
      minprocs: 200,
      nocleanup: false,
      childlogdir: os.tmpdir(),
      identifier: 'supervisor',
      stripAnsi: false,
    });
    const g = c.groups[0];
    expect(g).toMatchObject({ name: 'x', kind: 'program', priority: 999 });
    expect(g.processes[0]).toMatchObject({
      name: 'x',
      priority: 999,
      autostart: true,
      autorestart: 'unexpected',
      startsecs: 1,
      startretries: 3,
      exitcodes: [0],
      stopsignal: 15,
      stopwaitsecs: 10,
      stopasgroup: false,
      killasgroup: false,
      redirectStderr: false,
      umask: null,
      directory: null,
      serverurl: null,
      user: null,
    });
    expect(g.processes[0].stdout).toEqual({ logfile: { kind: 'auto' }, logfileMaxbytes: 50 * 1024 * 1024, logfileBackups: 10, captureMaxbytes: 0, eventsEnabled: false, syslog: false });
  });

  it('eventlisteners default to group priority -1 and buffer_size 10', () => {
    const c = load('[supervisord]\n[eventlistener:l]\ncommand=/bin/cat\nevents=PROCESS_STATE,tick_5\n');
    expect(c.groups[0]).toMatchObject({ name: 'l', kind: 'eventlistener', priority: -1, eventListener: { events: ['PROCESS_STATE', 'TICK_5'], bufferSize: 10 } });
    expect(c.groups[0].processes[0].priority).toBe(999);
  });

  it('stopasgroup implies killasgroup; signals and byte sizes parse like supervisord', () => {
    const c = load('[supervisord]\n[program:x]\ncommand=/bin/true\nstopasgroup=true\nstopsignal=sigquit\nstdout_logfile_maxbytes=1KB\n');
    expect(c.groups[0].processes[0]).toMatchObject({ stopasgroup: true, killasgroup: true, stopsignal: 3 });
    expect(c.groups[0].processes[0].stdout.logfileMaxbytes).toBe(1024);
    expect(parseSignal('0')).toBe(0);
    expect(parseSignal('HUP')).toBe(1);
    expect(signalName(15)).toBe('TERM');
    expect(parseByteSize('3gb')).toBe(3 * 1024 ** 3);
    expect(() => parseByteSize('1M')).toThrow();
  });
});

describe('expansions', () => {
  it('expands here, ENV_, program_name, group_name, host_node_name, process_num and numprocs', () => {
    const c = load(
      `[supervisord]
environment=GLOBAL="g v"
[program:w]
command=/bin/echo %(here)s %(ENV_HOME)s %(ENV_GLOBAL)s %(program_name)s %(group_name)s %(host_node_name)s %(process_num)02d/%(numprocs)d %(ENV_LOCAL)s
numprocs=2
numprocs_start=3
process_name=%(program_name)s_%(process_num)d
environment=LOCAL=l%(process_num)d
directory=/tmp
stdout_logfile=%(here)s/%(program_name)s-%(process_num)d.log
`,
    );
    const [a, b] = c.groups[0].processes;
    expect(a.name).toBe('w_3');
    expect(b.name).toBe('w_4');
    expect(a.command).toBe(`/bin/echo ${dir} /root g v w w box 03/2 l3`);
    expect(b.environment).toEqual({ GLOBAL: 'g v', LOCAL: 'l4' });
    expect(a.stdout.logfile).toEqual({ kind: 'file', path: path.join(dir, 'w-3.log') });
  });

  it('process_num is not available in keys read once per section', () => {
    expect(() => load('[supervisord]\n[program:x]\ncommand=/bin/true\npriority=%(process_num)d\n')).toThrow(/contains names \('process_num'\)/);
  });

  it('[group:x] makes group_name the group and namespecs group:name', () => {
    const c = load('[supervisord]\n[program:a]\ncommand=/bin/echo %(group_name)s\n[program:b]\ncommand=/bin/true\n[group:g]\nprograms=b,a\npriority=1\n');
    expect(c.groups.map((g) => g.name)).toEqual(['g']);
    expect(c.groups[0].processes.map((p) => `${p.groupName}:${p.name}`)).toEqual(['g:b', 'g:a']);
    expect(c.groups[0].processes[1].command).toBe('/bin/echo g');
  });
});

describe('[include]', () => {
  it('reads globs relative to the main file in sorted order and merges later sections', () => {
    const sub = fs.mkdtempSync(path.join(dir, 'inc-'));
    fs.writeFileSync(path.join(sub, 'b.conf'), '[program:p]\ncommand=/bin/echo %(here)s\n');
    fs.writeFileSync(path.join(sub, 'a.conf'), '[program:p]\ncommand=/bin/echo first\npriority=3\n');
    const c = load(`[supervisord]\n[include]\nfiles=${path.basename(sub)}/*.conf nomatch/*.x\n`);
    expect(c.groups[0].processes[0].command).toBe(`/bin/echo ${sub}`);
    expect(c.groups[0].priority).toBe(3);
    expect(c.infos).toEqual([`Included extra file "${path.join(sub, 'a.conf')}" during parsing`, `Included extra file "${path.join(sub, 'b.conf')}" during parsing`]);
    expect(c.warnings.map((w) => w.message)).toContain(`No file matches via include "${path.join(dir, 'nomatch/*.x')}"`);
  });
});

describe('warnings', () => {
  it('warns about unknown keys with file and line', () => {
    const c = load('[supervisord]\n[program:x]\ncommand=/bin/true\nautostrat=false\n');
    const w = c.warnings.find((x) => x.message.includes('autostrat'))!;
    expect(w.message).toBe("unknown key 'autostrat' in section [program:x] ignored");
    expect(w.source!.line).toBe(4);
  });

  it('warns for AUTO logs without rollover and redirect_stderr with a stderr file', () => {
    const c = load('[supervisord]\n[program:x]\ncommand=/bin/true\nstdout_logfile_maxbytes=0\nredirect_stderr=true\nstderr_logfile=/tmp/e.log\n');
    const msgs = c.warnings.map((w) => w.message);
    expect(msgs).toContain('For [program:x], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally');
    expect(msgs).toContain('For [program:x], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored');
    expect(c.groups[0].processes[0].stderr.logfile).toEqual({ kind: 'none' });
  });
});

describe('environment= syntax', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['A=1,B=2', { A: '1', B: '2' }],
    ['A=1, B=2,', { A: '1', B: '2' }],
    ['A="x y",B=\'a,b\'', { A: 'x y', B: 'a,b' }],
    ['A=x#y', { A: 'x' }],
    ['A=""', { A: '' }],
    ['PATH=/usr/bin:/bin,X=a.b+c-d', { PATH: '/usr/bin:/bin', X: 'a.b+c-d' }],
    ['A=1;B=2', { A: '1', B: '2' }],
  ];
  for (const [text, expected] of cases) it(text, () => expect(parseEnvironment(text)).toEqual(expected));
  it('rejects pairs without a separator', () => expect(() => parseEnvironment('A=1 B=2')).toThrow("Unexpected end of key/value pairs in value 'A=1 B=2'"));
});

describe('command splitting (POSIX shlex)', () => {
  const cases: Array<[string, string[]]> = [
    ['/bin/echo a b', ['/bin/echo', 'a', 'b']],
    ['sh -c "echo hi; exit 3"', ['sh', '-c', 'echo hi; exit 3']],
    ["echo 'a \"b\"' c", ['echo', 'a "b"', 'c']],
    ['echo a\\ b', ['echo', 'a b']],
    ['echo "a\\"b" "c\\d"', ['echo', 'a"b', 'c\\d']],
    ['echo ""', ['echo', '']],
    ['  spaced   out  ', ['spaced', 'out']],
  ];
  for (const [cmd, argv] of cases) it(cmd, () => expect(splitCommand(cmd)).toEqual(argv));
  it('fails on an unclosed quote', () => expect(() => splitCommand('echo "oops')).toThrow('No closing quotation'));
});

describe('namespecs and search order', () => {
  it('splits and makes namespecs like supervisord', () => {
    expect(splitNamespec('g:p')).toEqual(['g', 'p']);
    expect(splitNamespec('g:*')).toEqual(['g', null]);
    expect(splitNamespec('g:')).toEqual(['g', null]);
    expect(splitNamespec('p')).toEqual(['p', 'p']);
    expect(makeNamespec('p', 'p')).toBe('p');
    expect(makeNamespec('g', 'p')).toBe('g:p');
  });

  it('searches supervisord\'s default paths in order', () => {
    const paths = defaultConfigPaths('/opt/sv/bin/svinit', '/work');
    expect(paths).toEqual([
      '/opt/sv/etc/supervisord.conf',
      '/opt/sv/supervisord.conf',
      '/work/supervisord.conf',
      '/work/etc/supervisord.conf',
      '/etc/supervisord.conf',
      '/etc/supervisor/supervisord.conf',
    ]);
    expect(findConfigFile('/opt/sv/bin/svinit', '/work', (p) => p === '/work/etc/supervisord.conf' || p === '/etc/supervisord.conf')).toBe('/work/etc/supervisord.conf');
    expect(findConfigFile('/x/bin/svinit', '/w', () => false)).toBeNull();
  });

  it('compares groups as reread does: AUTO logs equal anything', () => {
    const a = load('[supervisord]\n[program:x]\ncommand=/bin/true\n').groups[0];
    const b = load(`[supervisord]\n[program:x]\ncommand=/bin/true\nstdout_logfile=${dir}/x.log\n`).groups[0];
    const c = load('[supervisord]\n[program:x]\ncommand=/bin/false\n').groups[0];
    expect(groupConfigEquals(a, b)).toBe(true);
    expect(groupConfigEquals(a, c)).toBe(false);
  });
});
