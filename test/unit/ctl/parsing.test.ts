// supervisorctl's small parsers: cmd.Cmd's parseline, namespecs, Python repr, the -s URL check,
// the status table, and the config resolution with svinit's fallbacks.

import { describe, expect, it } from 'vitest';
import { formatStatuses } from '../../../src/ctl/commands-process.js';
import { formatChanges, formatConfigInfo } from '../../../src/ctl/commands-config.js';
import { namespec, parseline, words, type ProcessInfo } from '../../../src/ctl/controller.js';
import { fallbackServerUrl, isUrl, resolveCtlOptions } from '../../../src/ctl/options.js';
import { completionText } from '../../../src/ctl/shell.js';
import { pyRepr } from '../../../src/ctl/transport.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('parseline', () => {
  it('splits the command at the first non-identifier character', () => {
    expect(parseline('  status  a  b ')).toEqual({ cmd: 'status', arg: 'a  b', line: 'status  a  b' });
    expect(parseline('foo-bar')).toEqual({ cmd: 'foo', arg: '-bar', line: 'foo-bar' });
    expect(parseline('? tail')).toEqual({ cmd: 'help', arg: 'tail', line: 'help  tail' });
    expect(parseline('!ls')).toEqual({ cmd: null, arg: '', line: '!ls' });
    expect(parseline('   ')).toEqual({ cmd: null, arg: '', line: '' });
    expect(parseline('-x').cmd).toBe('');
  });
  it('words splits on any whitespace', () => {
    expect(words(' a\tb  c\n')).toEqual(['a', 'b', 'c']);
    expect(words('')).toEqual([]);
  });
  it('namespec prints a missing process name as None, as Python does', () => {
    expect(namespec('hello', 'hello')).toBe('hello');
    expect(namespec('grp', 'a')).toBe('grp:a');
    expect(namespec('grp', null)).toBe('grp:None');
  });
});

describe('Python text', () => {
  it('pyRepr quotes like repr(str)', () => {
    expect(pyRepr('hello')).toBe("'hello'");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('a\tb\n')).toBe("'a\\tb\\n'");
    expect(pyRepr('\x1b')).toBe("'\\x1b'");
  });
  it('isUrl follows supervisor.datatypes.url', () => {
    for (const ok of ['unix:///x', 'http://h:1', 'foo:bar', 'http:///p']) expect(isUrl(ok), ok).toBe(true);
    for (const bad of ['foo', 'http://', 'unix://', 'x://', 'a:']) expect(isUrl(bad), bad).toBe(false);
  });
});

const info = (group: string, name: string, statename: string, state: number, description: string): ProcessInfo => ({
  group,
  name,
  statename,
  state,
  description,
  start: 0,
  stop: 0,
  now: 0,
  spawnerr: '',
  exitstatus: 0,
  stdout_logfile: '',
  stderr_logfile: '',
  pid: 0,
});

describe('output formats', () => {
  const infos = [info('hello', 'hello', 'RUNNING', 20, 'pid 1, uptime 0:00:01'), info('grp', 'a', 'FATAL', 200, 'Exited too quickly (process log may have details)')];
  it('status: a 33-wide name column and a 10-wide state column, no colour off a terminal', () => {
    expect(formatStatuses(infos, false)).toEqual([
      'hello                            RUNNING   pid 1, uptime 0:00:01',
      'grp:a                            FATAL     Exited too quickly (process log may have details)',
    ]);
  });
  it('status: the name column grows with the longest name', () => {
    const long = 'g'.repeat(20);
    expect(formatStatuses([info(long, 'p'.repeat(20), 'STOPPED', 0, 'Not started')], false)[0]).toBe(`${long}:${'p'.repeat(20)}   STOPPED   Not started`);
  });
  it('status: colours on a terminal, same columns', () => {
    const [running, fatal] = formatStatuses(infos, true);
    expect(running).toBe('hello                            \x1b[32mRUNNING\x1b[0m   pid 1, uptime 0:00:01');
    expect(fatal).toContain('\x1b[31mFATAL\x1b[0m     Exited');
    expect(formatStatuses([info('x', 'x', 'STOPPED', 0, 'Not started')], true)[0]).not.toContain('\x1b');
  });
  it('avail and reread', () => {
    expect(formatConfigInfo({ group: 'grp', name: 'a', inuse: true, autostart: false, group_prio: 999, process_prio: 5 })).toBe(
      'grp:a                            in use    manual    999:5',
    );
    expect(formatChanges([['new'], ['b'], ['a']])).toEqual(['a: disappeared', 'b: changed', 'new: available']);
    expect(formatChanges([[], [], []])).toEqual(['No config updates to processes']);
  });
  it('completion works on the word after the last delimiter, keeping : * -', () => {
    expect(completionText('start grp:*')).toBe('grp:*');
    expect(completionText('stop my-ap')).toBe('my-ap');
    expect(completionText('status ')).toBe('');
  });
});

describe('resolveCtlOptions', () => {
  const ctx = (env: Record<string, string> = {}, exists = (_: string) => false) => ({ env, cwd: '/nonexistent', argv0: '/nonexistent/bin/svctl', exists });
  it('with nothing configured, tries svinit sockets, then http://localhost:9001', () => {
    expect(resolveCtlOptions({}, ctx()).serverurl).toBe('http://localhost:9001');
    expect(resolveCtlOptions({}, ctx({}, (p) => p === '/tmp/supervisor.sock')).serverurl).toBe('unix:///tmp/supervisor.sock');
    expect(resolveCtlOptions({}, ctx({}, (p) => p === '/run/svinit.sock' || p === '/tmp/svinit.sock')).serverurl).toBe('unix:///run/svinit.sock');
    expect(fallbackServerUrl((p) => p === '/tmp/svinit.sock')).toBe('unix:///tmp/svinit.sock');
  });
  it('-s, -u, -p override; the prompt defaults to supervisor', () => {
    const o = resolveCtlOptions({ serverurl: 'http://h:1', username: 'u', password: 'p' }, ctx());
    expect(o).toMatchObject({ serverurl: 'http://h:1', username: 'u', password: 'p', prompt: 'supervisor' });
  });
  it('reads [supervisorctl] from -c or $SVINIT_CONFIG; a found file without the section is skipped, an explicit one is an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svctl-unit-'));
    const withCtl = path.join(dir, 'a.conf');
    const without = path.join(dir, 'b.conf');
    fs.writeFileSync(withCtl, '[supervisorctl]\nserverurl=unix://%(here)s/x.sock\nprompt=app\nusername=u\npassword=p\n');
    fs.writeFileSync(without, '[supervisord]\n');
    expect(resolveCtlOptions({ configuration: withCtl }, ctx())).toMatchObject({ serverurl: `unix://${dir}/x.sock`, prompt: 'app', username: 'u', password: 'p' });
    expect(resolveCtlOptions({}, ctx({ SVINIT_CONFIG: withCtl })).prompt).toBe('app');
    expect(resolveCtlOptions({}, ctx({ SVINIT_CONFIG: without })).serverurl).toBe('http://localhost:9001');
    expect(() => resolveCtlOptions({ configuration: without }, ctx())).toThrow('.ini file does not include supervisorctl section');
    expect(() => resolveCtlOptions({ configuration: path.join(dir, 'none.conf') }, ctx())).toThrow(/could not find config file/);
  });
});
