// svinit at a low open-file limit: 400 idle connections against nofile=256 must neither kill it
// nor take the descriptors its programs need. The connection cap (sized from the limit) refuses
// the excess with one log line, a crashed program is still restarted meanwhile, and svinit serves
// again once the connections close.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SVINIT, tmpDir, waitFor } from '../../helpers/daemon.js';

let proc: ChildProcess | null = null;
afterAll(() => {
  proc?.kill('SIGKILL');
});

function rpcOk(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const body = "<?xml version='1.0'?><methodCall><methodName>supervisor.getState</methodName></methodCall>";
    const s = net.connect(socket, () => s.write(`POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
    let text = '';
    s.on('data', (c) => (text += c));
    s.on('close', () => resolve(text.startsWith('HTTP/1.1 200') && text.includes('RUNNING')));
    s.on('error', () => resolve(false));
  });
}

describe('the open-file limit', () => {
  it('400 idle connections under nofile=256: svinit lives, logs once, keeps restarting programs, serves again', async () => {
    const dir = tmpDir();
    const socket = path.join(dir, 'sv.sock');
    const conf = path.join(dir, 'supervisord.conf');
    // minfds below the limit, or svinit (as root) would raise it.
    fs.writeFileSync(conf, `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\nminfds=64\n[unix_http_server]\nfile=${socket}\n[program:sleeper]\ncommand=/bin/sleep 1000\nstartsecs=0\n`);
    proc = spawn('prlimit', ['--nofile=256:256', '--', process.execPath, SVINIT, '-n', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SVINIT_CONTAINER: '0' } });
    let out = '';
    proc.stdout!.on('data', (c) => (out += c));
    proc.stderr!.on('data', (c) => (out += c));
    const count = (re: RegExp) => out.split('\n').filter((l) => re.test(l)).length;
    await waitFor(() => count(/spawned: 'sleeper'/) === 1 && rpcOk(socket), 'svinit up', 30_000);

    const clients: net.Socket[] = [];
    for (let i = 0; i < 400; i++) {
      const s = net.connect(socket);
      s.on('error', () => undefined);
      s.on('data', () => undefined);
      clients.push(s);
    }
    await waitFor(() => count(/connections open, the most it takes; refusing new ones until some close/) === 1, 'the cap line', 30_000);
    // The descriptors a restart needs (pipes, and the reaper's look at /proc) are still there.
    const pid = Number(/spawned: 'sleeper' with pid (\d+)/.exec(out)![1]);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => count(/spawned: 'sleeper'/) === 2, 'sleeper restarted during the flood', 30_000);
    expect(proc.exitCode).toBeNull();

    for (const s of clients) s.destroy();
    await waitFor(() => rpcOk(socket), 'an answer after the connections closed', 30_000);
    expect(count(/refusing new ones until some close/)).toBe(1);
    expect(out).not.toMatch(/EMFILE|Error:|\n\s+at /);
    expect(proc.exitCode).toBeNull();
  }, 120_000);
});
