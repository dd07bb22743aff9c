// One attempt of each check kind against real sockets, servers and commands.

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/engine/checks.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-checks-'));
const servers: Array<net.Server | http.Server> = [];
afterAll(() => {
  for (const s of servers) s.close();
});

function listen<T extends net.Server>(server: T, where: number | string = 0): Promise<T> {
  servers.push(server);
  return new Promise((resolve) => server.listen(where, '127.0.0.1' as never, () => resolve(server)));
}

/** A port nothing listens on: bound, read, closed. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('tcp', () => {
  it('succeeds when the port accepts and fails with the errno when it does not', async () => {
    const server = await listen(net.createServer((c) => c.destroy()));
    const port = (server.address() as net.AddressInfo).port;
    expect(await runCheck({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 5000 })).toMatchObject({ ok: true });
    const closed = await freePort();
    const r = await runCheck({ kind: 'tcp', host: '127.0.0.1', port: closed }, { timeoutMs: 5000 });
    expect(r).toEqual({ ok: false, detail: `tcp://127.0.0.1:${closed}: ECONNREFUSED` });
  });
});

describe('unix', () => {
  it('connects to a listening unix socket; a missing one fails', async () => {
    const sock = path.join(dir, 'ok.sock');
    const server = net.createServer((c) => c.destroy());
    servers.push(server);
    await new Promise<void>((r) => server.listen(sock, () => r()));
    expect(await runCheck({ kind: 'unix', path: sock }, { timeoutMs: 5000 })).toMatchObject({ ok: true });
    const r = await runCheck({ kind: 'unix', path: path.join(dir, 'none.sock') }, { timeoutMs: 5000 });
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('ENOENT');
  });
});

describe('http', () => {
  it('2xx and 3xx succeed, 4xx/5xx fail, a silent server times out', async () => {
    const server = await listen(
      http.createServer((req, res) => {
        if (req.url === '/silent') return; // never answers
        const status = Number(req.url!.slice(1));
        res.writeHead(status, status >= 300 && status < 400 ? { location: '/200' } : {});
        res.end();
      }),
    );
    const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    expect((await runCheck({ kind: 'http', url: `${base}/200` }, { timeoutMs: 5000 })).ok).toBe(true);
    expect((await runCheck({ kind: 'http', url: `${base}/204` }, { timeoutMs: 5000 })).ok).toBe(true);
    expect((await runCheck({ kind: 'http', url: `${base}/302` }, { timeoutMs: 5000 })).ok).toBe(true);
    expect(await runCheck({ kind: 'http', url: `${base}/404` }, { timeoutMs: 5000 })).toEqual({ ok: false, detail: `${base}/404: HTTP 404` });
    expect((await runCheck({ kind: 'http', url: `${base}/503` }, { timeoutMs: 5000 })).ok).toBe(false);
    const silent = await runCheck({ kind: 'http', url: `${base}/silent` }, { timeoutMs: 300 });
    expect(silent).toEqual({ ok: false, detail: `${base}/silent: no answer within 300 ms` });
  });
});

describe('exec', () => {
  it('exit 0 succeeds; another code fails with the last line of output', async () => {
    expect((await runCheck({ kind: 'exec', command: 'true' }, { timeoutMs: 5000 })).ok).toBe(true);
    const r = await runCheck({ kind: 'exec', command: 'echo not yet >&2; exit 3' }, { timeoutMs: 5000 });
    expect(r).toEqual({ ok: false, detail: 'exec:echo not yet >&2; exit 3: exit status 3: not yet' });
  });

  it('runs with the given environment and directory', async () => {
    const r = await runCheck({ kind: 'exec', command: 'test "$READY_FILE" = x && test "$PWD" = "' + dir + '"' }, { timeoutMs: 5000, env: { READY_FILE: 'x', PATH: process.env.PATH! }, cwd: dir });
    expect(r.ok).toBe(true);
  });

  it('kills a hung command and everything it started at the timeout', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const r = await runCheck({ kind: 'exec', command: `sleep 1000 & echo $! > ${pidFile}; wait` }, { timeoutMs: 500 });
    expect(r).toEqual({ ok: false, detail: `exec:sleep 1000 & echo $! > ${pidFile}; wait: killed after 500 ms without an answer` });
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    const alive = () => {
      try {
        process.kill(grandchild, 0);
        return !/^\S+ \S+ Z/.test(fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
      } catch {
        return false;
      }
    };
    await expect.poll(alive, { timeout: 10_000 }).toBe(false);
  });
});
