// The wire as svctl speaks it, checked against a fake server: XML-RPC POST /RPC2 with
// `Host: localhost` on unix sockets, Basic auth only with both credentials, one keep-alive
// connection, faults and HTTP errors, connection failures in supervisorctl's words, and the
// streaming GET behind tail -f.

import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFault, encodeResponse } from '../../../src/rpc/xmlrpc.js';
import { connectionFailure, ProtocolError, RpcClient, RpcFault, streamLog } from '../../../src/ctl/transport.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: object;
}
import { useTempDir } from '../../helpers/temp-dir.js';

// The file's temp dir, removed after its tests.
const dir = useTempDir('svctl-transport-').path;
const sock = path.join(dir, 'fake.sock');
const seen: Seen[] = [];
let server: http.Server;
let stream: http.ServerResponse | null = null;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: req.socket });
      if (req.url === '/logtail/app/stdout') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first\n');
        stream = res;
        return;
      }
      if (req.url === '/logtail/nosuch/stdout') {
        res.writeHead(404);
        res.end();
        return;
      }
      if (body.includes('needsauth') && !req.headers.authorization) {
        res.writeHead(401, 'Unauthorized');
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(body.includes('boom') ? encodeFault(10, 'BAD_NAME: boom') : encodeResponse('3.0'));
    });
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
});
afterAll(() => {
  stream?.end();
  server.close();
});

describe('RpcClient', () => {
  it('POSTs /RPC2 as text/xml with Host: localhost over a unix socket, on one kept-alive connection', async () => {
    seen.length = 0;
    const c = new RpcClient({ serverurl: `unix://${sock}`, username: null, password: null });
    expect(await c.call('supervisor.getVersion')).toBe('3.0');
    expect(await c.call('supervisor.getVersion')).toBe('3.0');
    c.close();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/RPC2' });
    expect(seen[0].headers).toMatchObject({ host: 'localhost', 'content-type': 'text/xml' });
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].body).toContain('<methodName>supervisor.getVersion</methodName>');
    expect(seen[1].socket).toBe(seen[0].socket);
  });

  it('sends Basic auth only when both username and password are set', async () => {
    seen.length = 0;
    for (const [username, password] of [
      ['u', null],
      [null, 'p'],
      ['u', 'p'],
    ] as const) {
      const c = new RpcClient({ serverurl: `unix://${sock}`, username, password });
      await c.call('x.y');
      c.close();
    }
    expect(seen.map((s) => s.headers.authorization)).toEqual([undefined, undefined, `Basic ${Buffer.from('u:p').toString('base64')}`]);
  });

  it('raises faults and HTTP errors as supervisorctl sees them', async () => {
    const c = new RpcClient({ serverurl: `unix://${sock}`, username: null, password: null });
    const fault = await c.call('boom').catch((e) => e);
    expect(fault).toBeInstanceOf(RpcFault);
    expect(fault).toMatchObject({ faultCode: 10, faultString: 'BAD_NAME: boom', message: "<Fault 10: 'BAD_NAME: boom'>" });
    const denied = await c.call('needsauth').catch((e) => e);
    expect(denied).toBeInstanceOf(ProtocolError);
    expect(denied.message).toBe('<ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>');
    // The connection survives a 401 for the next call.
    expect(await c.call('supervisor.getVersion')).toBe('3.0');
    c.close();
  });

  it('classifies a missing socket and a refused port', async () => {
    const missing = await new RpcClient({ serverurl: `unix://${dir}/missing.sock`, username: null, password: null }).call('x.y').catch((e) => e);
    expect(connectionFailure(missing)).toBe('no such file');
    const refused = await new RpcClient({ serverurl: 'http://127.0.0.1:1', username: null, password: null }).call('x.y').catch((e) => e);
    expect(connectionFailure(refused)).toBe('refused connection');
    expect(connectionFailure(new Error('other'))).toBeNull();
  });
});

describe('streamLog', () => {
  it('GETs with supervisor HTTP client headers and hands over data as it arrives', async () => {
    seen.length = 0;
    let got = '';
    const s = streamLog({ serverurl: `unix://${sock}`, username: null, password: 'pw' }, '/logtail/app/stdout', (d) => (got += d), () => undefined);
    await expect.poll(() => got, { timeout: 5000 }).toBe('first\n');
    stream!.write('second\n');
    await expect.poll(() => got, { timeout: 5000 }).toBe('first\nsecond\n');
    expect(seen[0].headers).toMatchObject({ 'user-agent': 'Supervisor HTTP Client', 'accept-encoding': 'chunked', connection: 'keep-alive' });
    // HTTPHandler's quirk: a password alone is enough to send credentials.
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from('None:pw').toString('base64')}`);
    s.close();
    await s.done;
  });

  it('reports a non-200 status as supervisorctl does, and ends', async () => {
    const errors: string[] = [];
    const s = streamLog({ serverurl: `unix://${sock}`, username: null, password: null }, '/logtail/nosuch/stdout', () => undefined, (l) => errors.push(l));
    await s.done;
    expect(errors).toEqual([`unix://${sock}/logtail/nosuch/stdout Cannot read, status code 404`]);
  });
});
