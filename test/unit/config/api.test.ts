// The config module's API beyond loadConfig's parsing: [supervisorctl] for the control client
// (against supervisorctl's own ClientOptions), single-command mode, reread equality, users,
// command-line overrides, warnings and the printed error.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configForCommand,
  formatConfigError,
  groupConfigEquals,
  loadConfig,
  loadCtlConfig,
  processConfigEquals,
  resolveUser,
  splitCommand,
} from '../../../src/config/index.js';
import { useTempDir } from '../../helpers/temp-dir.js';

// The file's temp dir, removed after its tests.
const dir = useTempDir('svinit-api-').path;
let n = 0;
function write(text: string, name = `c${n++}.conf`): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
const load = (text: string, overrides = {}) => loadConfig(write(text), { env: { HOME: '/root' }, cwd: dir, hostname: 'box', overrides });

/** supervisorctl's ClientOptions on the same file: what it would connect with. */
function ctlOracle(file: string, env: Record<string, string>): Record<string, unknown> {
  const script = `
import json, sys
from supervisor.options import ClientOptions
o = ClientOptions()
def usage(msg): raise SystemExit('Error: ' + str(msg))
o.usage = usage
o.realize(args=['-c', sys.argv[1], 'status'])
print(json.dumps({'serverurl': o.serverurl, 'username': o.username, 'password': o.password, 'prompt': o.prompt, 'historyFile': o.history_file}))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8', env: { ...env, PATH: '/usr/bin:/bin' }, cwd: dir, timeout: 30_000 });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

describe('loadCtlConfig', () => {
  it("gives supervisorctl's defaults without a file", () => {
    expect(loadCtlConfig(null)).toEqual({ serverurl: 'http://localhost:9001', username: null, password: null, prompt: 'supervisor', historyFile: null });
  });

  const cases: Array<[string, string]> = [
    ['unix-here', '[supervisorctl]\nserverurl=unix://%(here)s/sub/../sv.sock\nusername=%(ENV_U)s\npassword=p%%w\nprompt=box\nhistory_file=%(here)s/hist\n'],
    ['no-supervisord-section', '[supervisorctl]\nserverurl=http://127.0.0.1:9002\n'],
    ['defaults-in-section', '[supervisorctl]\n'],
    ['tilde-history', '[supervisorctl]\nhistory_file=~/.sv_history\n'],
    ['relative-unix', '[supervisorctl]\nserverurl=unix://run/sv.sock\n'],
  ];
  for (const [name, text] of cases)
    it(`${name}: same as supervisorctl`, () => {
      const file = write(text, `ctl-${name}.conf`);
      const env = { HOME: '/root', U: 'alice' };
      // supervisorctl normalises relative paths against its cwd (dir here), as svinit does.
      expect(loadCtlConfig(file, env, dir)).toEqual(ctlOracle(file, env));
    });

  it('requires the [supervisorctl] section when a file is given', () => {
    const file = write('[supervisord]\n');
    expect(() => loadCtlConfig(file, {})).toThrow('.ini file does not include supervisorctl section');
    expect(ctlOracle(file, {}).error).toBe('Error: .ini file does not include supervisorctl section');
  });

  it('names a missing file as given, like supervisord and supervisorctl', () => {
    expect(() => loadCtlConfig('nope.conf', {}, dir)).toThrow('could not find config file nope.conf');
    expect(() => loadConfig('nope.conf', { env: {}, cwd: dir })).toThrow('could not find config file nope.conf');
  });

  it('loadConfig exposes [supervisorctl] too, and ignores mistakes in it as supervisord does', () => {
    expect(load('[supervisord]\n[supervisorctl]\nserverurl=unix:///tmp/x.sock\n').supervisorctl?.serverurl).toBe('unix:///tmp/x.sock');
    expect(load('[supervisord]\n[supervisorctl]\nserverurl=%(nope)s\n').supervisorctl).toBeNull();
    expect(load('[supervisord]\n').supervisorctl).toBeNull();
  });
});

describe('configForCommand (svinit -- cmd args…)', () => {
  it('makes one program main that runs once and writes to the container streams', () => {
    const c = configForCommand(['/bin/echo', 'hi']);
    expect(c.groups).toHaveLength(1);
    expect(c.httpServers).toEqual([]);
    expect(c.groups[0]).toMatchObject({ name: 'main', kind: 'program' });
    const p = c.groups[0].processes[0];
    expect(p).toMatchObject({ name: 'main', groupName: 'main', autostart: true, autorestart: false, startsecs: 0, stopwaitsecs: 10, stopasgroup: true, killasgroup: true, stopsignal: 15 });
    expect(p.stdout).toMatchObject({ logfile: { kind: 'file', path: '/dev/stdout' }, logfileMaxbytes: 0 });
    expect(p.stderr).toMatchObject({ logfile: { kind: 'file', path: '/dev/stderr' }, logfileMaxbytes: 0 });
    expect(c.supervisord).toMatchObject({ nodaemon: true, logfile: '/dev/stderr', logfileMaxbytes: 0 });
  });

  it('keeps argv exactly through the spawn-time shlex split', () => {
    const argvs = [
      ['/bin/sh', '-c', 'echo "a b"; exit 3'],
      ['printf', "it's", '', ' lead', 'tab\there', 'back\\slash', '$HOME', '%(x)s', 'semi;colon', '*'],
      ['x', 'new\nline', '"', "'"],
    ];
    for (const argv of argvs) expect(splitCommand(configForCommand(argv).groups[0].processes[0].command)).toEqual(argv);
  });

  it('takes command-line overrides and refuses an empty command', () => {
    expect(configForCommand(['true'], { overrides: { loglevel: 'debug', logfile: undefined } }).supervisord).toMatchObject({ loglevel: 'debug', logfile: '/dev/stderr' });
    expect(() => configForCommand([])).toThrow(ConfigError);
  });
});

describe('reread equality', () => {
  const group = (body: string) => load(`[supervisord]\n${body}`).groups[0];
  const base = '[program:x]\ncommand=/bin/true\n';

  it('equal configs are equal; every parsed key counts', () => {
    expect(groupConfigEquals(group(base), group(base))).toBe(true);
    for (const extra of ['priority=5', 'autostart=false', 'startsecs=3', 'stopsignal=INT', 'exitcodes=0,1', 'environment=A=1', 'directory=/tmp', 'umask=077', 'serverurl=http://x:1', 'stdout_logfile_maxbytes=1KB', 'stderr_capture_maxbytes=1', 'stdout_syslog=true', 'user=nobody']) {
      const changed = group(`${base}${extra}\n`);
      expect(processConfigEquals(group(base).processes[0], changed.processes[0]), extra).toBe(false);
    }
  });

  it('an AUTO log file equals any log file; NONE and a path differ', () => {
    expect(groupConfigEquals(group(base), group(`${base}stdout_logfile=${dir}/x.log\n`))).toBe(true);
    expect(groupConfigEquals(group(`${base}stdout_logfile=NONE\n`), group(`${base}stdout_logfile=${dir}/x.log\n`))).toBe(false);
  });

  it('compares the uid, not how the user was written', () => {
    expect(groupConfigEquals(group(`${base}user=nobody\n`), group(`${base}user=65534\n`))).toBe(true);
  });

  it('a changed group priority, process count, listener events or fcgi socket is a change', () => {
    expect(groupConfigEquals(group(base), group(`${base}priority=1\n`))).toBe(false);
    expect(groupConfigEquals(group(`${base}numprocs=1\nprocess_name=x%(process_num)d\n`), group(`${base}numprocs=2\nprocess_name=x%(process_num)d\n`))).toBe(false);
    const l = (events: string, buffer = 10) => group(`[eventlistener:l]\ncommand=/bin/cat\nevents=${events}\nbuffer_size=${buffer}\n`);
    expect(groupConfigEquals(l('TICK_5,PROCESS_STATE'), l('PROCESS_STATE,TICK_5'))).toBe(true);
    expect(groupConfigEquals(l('TICK_5'), l('TICK_60'))).toBe(false);
    expect(groupConfigEquals(l('TICK_5'), l('TICK_5', 3))).toBe(false);
    const f = (sock: string) => group(`[fcgi-program:f]\ncommand=/bin/cat\nsocket=${sock}\n`);
    expect(groupConfigEquals(f('tcp://h:1'), f('tcp://H:1'))).toBe(true);
    expect(groupConfigEquals(f('tcp://h:1'), f('tcp://h:2'))).toBe(false);
  });
});

describe('users', () => {
  it('resolves names and uids from /etc/passwd', () => {
    expect(resolveUser('root')).toMatchObject({ name: 'root', uid: 0, gid: 0 });
    expect(resolveUser('65534')).toMatchObject({ name: 'nobody', uid: 65534 });
    expect(() => resolveUser('nosuchuserxyz')).toThrow('Invalid user name nosuchuserxyz');
    expect(() => resolveUser('54321')).toThrow('Invalid user id 54321');
  });

  it('user= fills uid and gid of the process', () => {
    const p = load('[supervisord]\n[program:x]\ncommand=/bin/true\nuser=www-data\n').groups[0].processes[0];
    expect(p).toMatchObject({ user: 'www-data', uid: 33, gid: 33 });
  });
});

describe('command-line overrides', () => {
  it('beat the file; undefined ones do not erase it', () => {
    const c = load('[supervisord]\nloglevel=debug\nidentifier=file\nminfds=10\n', { loglevel: 'warn', identifier: undefined, nodaemon: true });
    expect(c.supervisord).toMatchObject({ loglevel: 'warn', identifier: 'file', minfds: 10, nodaemon: true });
  });

  it('logfile and pidfile are made absolute against the cwd; syslog stays', () => {
    expect(load('[supervisord]\nlogfile=a.log\npidfile=b.pid\n').supervisord).toMatchObject({ logfile: path.join(dir, 'a.log'), pidfile: path.join(dir, 'b.pid') });
    expect(load('[supervisord]\nlogfile=syslog\n').supervisord.logfile).toBe('syslog');
    expect(load('[supervisord]\n', { logfile: 'cli.log', pidfile: 'run/../cli.pid' }).supervisord).toMatchObject({ logfile: path.join(dir, 'cli.log'), pidfile: path.join(dir, 'cli.pid') });
  });
});

describe('formatConfigError', () => {
  it("prints supervisord's line, where it is and what the key accepts", () => {
    const file = write('[supervisord]\n[program:web]\ncommand=/bin/true\nautostart=perhaps\n', 'fmt.conf');
    const e = (() => {
      try {
        loadConfig(file, { env: {}, cwd: dir });
      } catch (x) {
        return x as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(formatConfigError(e).split('\n')).toEqual([
      `Error: not a valid boolean value: 'perhaps' in section 'program:web' (file: '${file}')`,
      `  at ${file}:4 [program:web] key 'autostart'`,
      '  expected: a boolean: true/false, yes/no, on/off or 1/0',
      'For help, use svinit -h',
    ]);
  });

  it('gives the line of a parse error', () => {
    const file = write('[supervisord]\n[program:x]\n  = oops\n', 'parse.conf');
    const e = (() => {
      try {
        loadConfig(file, { env: {}, cwd: dir });
      } catch (x) {
        return x as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.source).toEqual({ file, line: 3 });
    expect(e.section).toBe('program:x');
    expect(formatConfigError(e)).toContain(`at ${file}:3`);
  });
});

describe('warnings and ordering', () => {
  it('unknown keys and sections are warned about with their line', () => {
    const c = load('[supervisord]\nlogfle=x\n[program:x]\ncommand=/bin/true\nautostrat=1\n[programs:y]\ncommand=/bin/true\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory=supervisor.rpcinterface:make_main_rpcinterface\n[rpcinterface:twiddler]\nsupervisor.rpcinterface_factory=supervisor_twiddler.rpcinterface:make_twiddler_rpcinterface\n');
    const msgs = c.warnings.map((w) => `${w.message} @${w.source?.line}`);
    expect(msgs).toEqual(expect.arrayContaining(["unknown key 'logfle' in section [supervisord] ignored @2", "unknown key 'autostrat' in section [program:x] ignored @5", 'unknown section [programs:y] ignored @6']));
    // Plugin sections take any keys; a factory svinit does not have is a warning, not an error.
    expect(msgs.filter((m) => m.includes('rpcinterface'))).toEqual(['supervisor_twiddler.rpcinterface:make_twiddler_rpcinterface of [rpcinterface:twiddler] is not available in svinit: the namespace is not served @11']);
    expect(c.rpcInterfaces).toEqual(['supervisor', 'twiddler']);
  });

  it('numprocs names processes from process_name; groups go by (priority, name)', () => {
    const c = load('[supervisord]\n[program:w]\ncommand=/bin/true\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=3\n[program:a]\ncommand=/bin/true\npriority=1000\n[program:b]\ncommand=/bin/true\npriority=1\n');
    expect(c.groups.map((g) => g.name)).toEqual(['b', 'w', 'a']);
    expect(c.groups[1].processes.map((p) => [p.name, p.processNum, p.groupName])).toEqual([
      ['w_00', 0, 'w'],
      ['w_01', 1, 'w'],
      ['w_02', 2, 'w'],
    ]);
  });
});
