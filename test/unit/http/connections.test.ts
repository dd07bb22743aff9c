// The HTTP servers in-process with short time-outs and a small cap: idle and half-sent requests
// are closed on both sides, and the connection cap refuses, logs once and recovers.

import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorApi } from '../../../src/engine/types.js';
import { connectionCap, MAX_CONNECTIONS_PER_SERVER, RESERVED_FDS } from '../../../src/http/connections.js';
import { startHttpServers, type HttpServers } from '../../../src/http/server.js';
import type { ActivityLogger } from '../../../src/logging/types.js';
import { encodeRequest } from '../../../src/rpc/xmlrpc.js';
import { waitFor } from '../../helpers/daemon.js';

const api = new Proxy({} as SupervisorApi, { get: (_t, key) => (key === 'assertRunning' ? () => undefined : undefined) });

function fakeLogger(lines: string[]): ActivityLogger {
  const log = (level: string) => (msg: string) => void lines.push(`${level} ${msg}`);
  return { critical: log('CRIT'), error: log('ERRO'), warn: log('WARN'), info: log('INFO'), debug: log('DEBG'), trace: log('TRAC'), blather: log('BLAT'), isEnabled: () => true, path: null, reopen: () => undefined, clear: () => undefined, close: async () => undefined };
}

let servers: HttpServers | null = null;
const lines: string[] = [];
afterEach(async () => {
  await servers?.close();
  servers = null;
  lines.length = 0;
});

async function start(opts: { maxConnections?: number; username?: string }): Promise<number> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  servers = await startHttpServers([{ section: 'inet_http_server', kind: 'inet', host: '127.0.0.1', port, username: opts.username ?? null, password: opts.username ? 'pw' : null }], {
    api,
    logger: fakeLogger(lines),
    mainLogPath: () => null,
    timeouts: { headersMs: 300, keepAliveMs: 300, bodyMs: 300, checkMs: 100 },
    maxConnections: opts.maxConnections,
  });
  return port;
}

/** A client that keeps its own side open after the server's FIN, so only the server can close. */
function halfOpenClient(port: number, send = ''): Promise<{ socket: net.Socket; ended: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      if (send) socket.write(send);
      resolve({ socket, ended: new Promise((r) => socket.once('end', () => r())) });
    });
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
  });
}

function getVersion(port: number, auth?: string): Promise<number> {
  const body = encodeRequest('supervisor.getAPIVersion', []);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) };
    if (auth) headers.Authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/RPC2', agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('time-outs close both sides', () => {
  it('a connection that never sends a request is closed, and its slot is free again', async () => {
    const port = await start({ maxConnections: 1 });
    const idle = await halfOpenClient(port);
    await idle.ended;
    // With the cap at 1, a server that only half-closed the idle connection would refuse this one.
    expect(await waitFor(() => getVersion(port), 'a request after the idle connection timed out', 20_000)).toBe(200);
    idle.socket.destroy();
  });

  it('an authenticated request with an unfinished body is closed', async () => {
    const port = await start({ maxConnections: 1, username: 'admin' });
    const auth = Buffer.from('admin:pw').toString('base64');
    const slow = await halfOpenClient(port, `POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${auth}\r\nContent-Length: 1000\r\n\r\n<methodCall>`);
    await slow.ended;
    expect(await waitFor(() => getVersion(port, 'admin:pw'), 'a request after the stalled body timed out', 20_000)).toBe(200);
    expect(lines.some((l) => /^WARN HTTP POST \/RPC2: request refused \(408\): body not received within 300 ms/.test(l))).toBe(true);
    slow.socket.destroy();
  });
});

describe('bodies that go wrong are one WARN line', () => {
  it('a chunked body over the limit is a 413; a client that aborts mid-body is one line; no stacks', async () => {
    const port = await start({});
    const chunk = 'x'.repeat(64 * 1024);
    const over = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
        const more = () => {
          while (s.writable && s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`));
          if (s.writable) s.once('drain', more);
        };
        more();
      });
      let text = '';
      s.on('data', (c) => (text += c));
      s.on('error', () => resolve(text));
      s.on('close', () => resolve(text));
    });
    expect(over).toMatch(/^HTTP\/1\.1 413 /);
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<methodCall>', () => s.destroy());
        s.on('close', () => resolve());
      });
    });
    await waitFor(() => lines.some((l) => /^WARN HTTP POST \/RPC2: request refused \(400\): body not received/.test(l)), 'the abort line');
    expect(lines.filter((l) => /^WARN HTTP POST \/RPC2: request refused \(413\): body is over the 2097152-byte limit$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^ERRO|\n\s+at /.test(l))).toEqual([]);
  });
});

describe('connection cap', () => {
  it('is derived from the descriptor limit', () => {
    expect(connectionCap(1, Infinity)).toBe(MAX_CONNECTIONS_PER_SERVER);
    expect(connectionCap(1, 256)).toBe(256 - RESERVED_FDS);
    expect(connectionCap(2, 256)).toBe((256 - RESERVED_FDS) / 2);
    expect(connectionCap(1, 100)).toBe(8);
  });

  it('refuses connections beyond the cap with one log line, and recovers when they close', async () => {
    const port = await start({ maxConnections: 3 });
    const held = await Promise.all([1, 2, 3].map(() => halfOpenClient(port)));
    const extra = await Promise.all([1, 2].map(() => halfOpenClient(port)));
    await Promise.all(extra.map((c) => c.ended));
    expect(lines.filter((l) => /refusing new ones until some close/.test(l))).toHaveLength(1);
    for (const c of [...held, ...extra]) c.socket.destroy();
    expect(await waitFor(() => getVersion(port), 'a request once the held connections closed', 20_000)).toBe(200);
    await waitFor(() => lines.some((l) => /accepting new ones again/.test(l)), 'the recovery line');
  });
});
