// The descriptor guards over TCP, with the limit lowered under a running svinit (prlimit --pid).
// test/integration/http/fd-limit.test.ts starts svinit at the low limit, so its cap is sized from
// it; here the cap was sized from nofile=4096 and must follow the limit down (libuv hides accept's
// EMFILE: without that, 400 idle TCP connections to [inet_http_server] take every descriptor in
// silence). Then the limit goes below what is already open, so the reaper's look at /proc really
// fails with EMFILE while an orphan exits. svinit must stay alive, keep its programs running, log
// each condition once, reap the orphan and answer XML-RPC again once the connections close.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SVINIT, tmpDir, waitFor } from '../../helpers/daemon.js';

let proc: ChildProcess | null = null;
const clients: net.Socket[] = [];
afterAll(() => {
  for (const s of clients) s.destroy();
  proc?.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function rpcOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const body = "<?xml version='1.0'?><methodCall><methodName>supervisor.getState</methodName></methodCall>";
    const s = net.connect(port, '127.0.0.1', () => s.write(`POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
    let text = '';
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (c) => (text += c));
    s.on('close', () => resolve(text.startsWith('HTTP/1.1 200') && text.includes('RUNNING')));
    s.on('error', () => resolve(false));
  });
}

const openFds = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length;

describe('out of descriptors over TCP', () => {
  it('400 idle connections past a lowered nofile=256: svinit lives, keeps its programs, logs once, reaps, serves again', async () => {
    const dir = tmpDir();
    const port = await freePort();
    const conf = path.join(dir, 'supervisord.conf');
    // Started at nofile=4096: the cap (1024) is far above what the lowered limit allows.
    // `orphaner` leaves an orphan behind on SIGUSR1 (a subshell's background sleep).
    fs.writeFileSync(
      conf,
      `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\nminfds=64\n` +
        `[inet_http_server]\nport=127.0.0.1:${port}\n` +
        `[program:sleeper]\ncommand=/bin/sleep 1000\nstartsecs=0\n` +
        `[program:orphaner]\ncommand=/bin/sh -c 'trap "(sleep 1 &)" USR1; while :; do sleep 0.2; done'\nstartsecs=0\n`,
    );
    proc = spawn('prlimit', ['--nofile=4096:4096', '--', process.execPath, SVINIT, '-n', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SVINIT_CONTAINER: '0' } });
    let out = '';
    proc.stdout!.on('data', (c) => (out += c));
    proc.stderr!.on('data', (c) => (out += c));
    const count = (re: RegExp) => out.split('\n').filter((l) => re.test(l)).length;
    await waitFor(async () => count(/spawned: 'sleeper'/) === 1 && count(/spawned: 'orphaner'/) === 1 && (await rpcOk(port)), 'svinit up', 30_000);
    const pid = proc.pid!;
    const sleeper = Number(/spawned: 'sleeper' with pid (\d+)/.exec(out)![1]);
    const orphaner = Number(/spawned: 'orphaner' with pid (\d+)/.exec(out)![1]);

    execFileSync('prlimit', ['--pid', String(pid), '--nofile=256:256']);
    for (let i = 0; i < 400; i++) {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      s.on('data', () => undefined);
      clients.push(s);
    }
    // (256 - 128 kept for programs) / 1 server.
    await waitFor(() => count(/'inet_http_server': 128 connections open, the most it takes; refusing new ones until some close/) === 1, 'the cap line', 30_000);
    expect(openFds(pid)).toBeLessThan(256 - 64);

    // Now below what is open: every new descriptor fails, and an orphan exits.
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${openFds(pid) - 10}:256`]);
    process.kill(orphaner, 'SIGUSR1');
    await waitFor(() => count(/cannot list svinit's children to reap orphans \(EMFILE/) === 1, 'the reaper line', 30_000);
    await new Promise((r) => setTimeout(r, 2500)); // the reaper retries each second: still one line
    expect(count(/cannot list svinit's children/)).toBe(1);
    expect(count(/reaped unknown pid/)).toBe(0);
    expect(proc.exitCode).toBeNull();

    execFileSync('prlimit', ['--pid', String(pid), '--nofile=256:256']);
    for (const s of clients.splice(0)) s.destroy();
    await waitFor(() => rpcOk(port), 'an XML-RPC answer after the connections closed', 30_000);
    await waitFor(() => count(/reaped unknown pid \d+/) >= 1, 'the orphan reaped once the descriptors are back', 30_000);
    // Its programs never stopped: the same pids, still running, never respawned.
    for (const p of [sleeper, orphaner]) expect(fs.existsSync(`/proc/${p}`)).toBe(true);
    expect(count(/spawned: /)).toBe(2);
    expect(count(/the most it takes/)).toBe(1);
    expect(out).not.toMatch(/\n\s+at |CRIT.*(Error|exception)/);
    expect(proc.exitCode).toBeNull();
  }, 120_000);
});
