// svctl in-process against a fake supervisord: colours only on a terminal, tab completion of
// actions and names, the shell's history file, Ctrl-C in the shell and during tail -f, and the
// option parsing that stops at the action.

import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/svctl.js';
import { COMMANDS } from '../../../src/ctl/commands.js';
import { Controller } from '../../../src/ctl/controller.js';
import { decodeRequest, encodeResponse, type XmlRpcValue } from '../../../src/rpc/xmlrpc.js';
import { useTempDir } from '../../helpers/temp-dir.js';

// The file's temp dir, removed after its tests.
const dir = useTempDir('svctl-shell-').path;
const sock = path.join(dir, 'fake.sock');
const url = `unix://${sock}`;
const calls: string[] = [];
let tailing: http.ServerResponse | null = null;

const proc = (group: string, name: string, statename: string, state: number) => ({
  group,
  name,
  statename,
  state,
  description: state === 20 ? 'pid 7, uptime 0:00:01' : 'Not started',
  pid: state === 20 ? 7 : 0,
  start: 0,
  stop: 0,
  now: 0,
  spawnerr: '',
  exitstatus: 0,
  logfile: '',
  stdout_logfile: '',
  stderr_logfile: '',
});
const INFOS = [proc('grp', 'a', 'RUNNING', 20), proc('web', 'web', 'FATAL', 200), proc('w', 'w_00', 'STOPPED', 0)];
const RESULTS: Record<string, XmlRpcValue> = {
  'supervisor.getVersion': '3.0',
  'supervisor.getSupervisorVersion': '4.2.5',
  'supervisor.getAllProcessInfo': INFOS,
};

let server: http.Server;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200);
      res.write('log line\n');
      tailing = res;
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { method } = decodeRequest(body);
      calls.push(method);
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(encodeResponse(RESULTS[method] ?? true));
    });
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
});
afterAll(() => {
  tailing?.end();
  server.close();
});

function io(opts: { isTTY?: boolean; input?: string | null } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.resume();
  if (opts.input !== null) stdin.end(opts.input ?? '');
  return { stdout, stderr, stdin, isTTY: opts.isTTY ?? false, signals: new EventEmitter(), env: {}, cwd: dir, out: () => out };
}

describe('svctl in-process', () => {
  it('colours states only when stdout is a terminal', async () => {
    const tty = io({ isTTY: true });
    expect(await main(['-s', url, 'status'], tty)).toBe(3);
    expect(tty.out()).toContain('\x1b[32mRUNNING\x1b[0m   pid 7');
    expect(tty.out()).toContain('\x1b[31mFATAL\x1b[0m     Not started');
    const pipe = io();
    expect(await main(['-s', url, 'status'], pipe)).toBe(3);
    expect(pipe.out()).not.toContain('\x1b');
    expect(pipe.out().split('\n')[0]).toBe('grp:a                            RUNNING   pid 7, uptime 0:00:01');
  });

  it('stops option parsing at the action: tail -f goes to tail, and Ctrl-C ends it with a newline', async () => {
    const t = io({ input: null });
    const running = main(['-s', url, 'tail', '-f', 'web'], t);
    await expect.poll(() => t.out(), { timeout: 5000 }).toBe('==> Press Ctrl-C to exit <==\nlog line\n');
    t.signals.emit('SIGINT');
    expect(await running).toBe(0);
    expect(t.out()).toBe('==> Press Ctrl-C to exit <==\nlog line\n\n');
  });

  it('-h prints the usage and exits 0; option errors exit 2 in getopt words', async () => {
    const h = io();
    expect(await main(['-h'], h)).toBe(0);
    expect(h.out()).toMatch(/^svctl -- control applications/);
    const errs: string[] = [];
    for (const args of [['-x'], ['--nope'], ['-s'], ['-c', 'a', '-c', 'b'], ['-s', 'foo']]) {
      const e = io();
      let err = '';
      e.stderr.on('data', (c: Buffer) => (err += c.toString()));
      expect(await main(args, e), args.join(' ')).toBe(2);
      errs.push(err.split('\n')[0]);
    }
    expect(errs).toEqual([
      'Error: option -x not recognized',
      'Error: option --nope not recognized',
      'Error: option -s requires argument',
      "Error: conflicting command line option '-c'",
      "Error: invalid value for -s 'foo': value 'foo' is not a URL",
    ]);
  });

  it('the shell runs status first and leaves on Ctrl-C', async () => {
    fs.writeFileSync(path.join(dir, 'ctl.conf'), `[supervisorctl]\nserverurl=${url}\nprompt=app\n`);
    const s = io({ input: null });
    const running = main(['-c', path.join(dir, 'ctl.conf')], s);
    await expect.poll(() => s.out(), { timeout: 5000 }).toMatch(/w:w_00 +STOPPED +Not started\napp> $/);
    s.stdin.write('version\n');
    await expect.poll(() => s.out(), { timeout: 5000 }).toMatch(/app> 4\.2\.5\napp> $/);
    s.signals.emit('SIGINT');
    expect(await running).toBe(0);
    expect(s.out()).toMatch(/app> \n$/);
  });

  it('on a terminal, the shell reads and extends history_file', async () => {
    const history = path.join(dir, 'history');
    fs.writeFileSync(history, 'old command\n');
    fs.writeFileSync(path.join(dir, 'hist.conf'), `[supervisorctl]\nserverurl=${url}\nhistory_file=${history}\n`);
    const s = io({ input: null, isTTY: true });
    Object.assign(s.stdin, { isTTY: true, setRawMode: () => s.stdin });
    const running = main(['-c', path.join(dir, 'hist.conf')], s);
    await expect.poll(() => s.out(), { timeout: 5000 }).toContain('supervisor> ');
    s.stdin.write('version\r');
    await expect.poll(() => s.out(), { timeout: 5000 }).toContain('4.2.5');
    s.stdin.end();
    expect(await running).toBe(0);
    expect(fs.readFileSync(history, 'utf8')).toBe('old command\nversion\n');
  });
});

describe('completion', () => {
  const ctl = new Controller(
    { serverurl: url, username: null, password: null, interactive: true, prompt: 'supervisor', historyFile: null },
    { stdout: new PassThrough(), stderr: new PassThrough(), isTTY: false, interrupts: new EventEmitter(), readLine: async () => null },
    COMMANDS,
  );
  afterAll(() => ctl.close());

  it('completes actions, then group or process names by action', async () => {
    expect(await ctl.complete('st', 'st')).toEqual(['start ', 'status ', 'stop ']);
    expect(await ctl.complete('', '')).toContain('maintail ');
    expect(await ctl.complete('ta', 'help ta')).toEqual(['tail ']);
    expect(await ctl.complete('', 'start ')).toEqual(['grp:a ', 'grp:* ', 'web ', 'w:w_00 ', 'w:* ']);
    expect(await ctl.complete('w', 'stop w')).toEqual(['web ', 'w:w_00 ', 'w:* ']);
    expect(await ctl.complete('web:', 'stop web:')).toEqual(['web:web ', 'web:* ']);
    expect(await ctl.complete('', 'update ')).toEqual(['grp ', 'web ', 'w ']);
    expect(await ctl.complete('', 'version ')).toEqual([]);
  });

  it('asks the server once per command line, however often Tab is pressed', async () => {
    calls.length = 0;
    await ctl.onecmd('version');
    await ctl.complete('', 'start ');
    await ctl.complete('g', 'start g');
    expect(calls.filter((c) => c === 'supervisor.getAllProcessInfo')).toHaveLength(1);
  });
});
