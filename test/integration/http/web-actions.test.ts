// The web UI's actions against the real svinit: they run only on a same-origin POST, and the
// redirect after one is relative (the Host header a client sends is never echoed back).

import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../../helpers/daemon.js';

let d: Daemon;

beforeAll(async () => {
  d = await startDaemon(
    () => `
[program:web]
command=/bin/sleep 1000
startsecs=0
`,
  );
  await d.waitForLog(/success: web entered RUNNING/);
});
afterAll(async () => {
  await d?.stop('SIGKILL');
});

function request(method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method, path, headers: { 'Content-Length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const state = async () => (await d.rpc<{ statename: string }>('supervisor.getProcessInfo', 'web')).statename;

describe('web UI actions', () => {
  it('GET and HEAD with an action in the query run nothing', async () => {
    expect((await request('GET', '/index.html?processname=web&action=stop')).status).toBe(200);
    expect((await request('HEAD', '/?processname=web&action=stop')).status).toBe(200);
    expect((await request('GET', '/index.html?action=stopall')).status).toBe(200);
    expect(await state()).toBe('RUNNING');
  });

  it('a POST from another origin is refused', async () => {
    const form = 'processname=web&action=stop';
    const headers = { Host: 'svinit.local', 'Content-Type': 'application/x-www-form-urlencoded' };
    expect((await request('POST', '/index.html', { ...headers, Origin: 'http://evil.example' }, form)).status).toBe(403);
    expect((await request('POST', '/index.html', { ...headers, Origin: 'null' }, form)).status).toBe(403);
    expect((await request('POST', '/index.html', { ...headers, 'Sec-Fetch-Site': 'cross-site' }, form)).status).toBe(403);
    expect(await state()).toBe('RUNNING');
  });

  it('a same-origin POST runs the action and redirects relatively, whatever the Host header says', async () => {
    const res = await request('POST', '/index.html', { Host: 'evil.example:1234', Origin: 'http://evil.example:1234', 'Content-Type': 'application/x-www-form-urlencoded' }, 'processname=web&action=stop');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('index.html?message=Process%20web%20stopped');
    expect(await state()).toBe('STOPPED');
    const page = await request('GET', `/${res.headers.location}`);
    expect(page.body).toContain('<div class="message" id="message">Process web stopped</div>');
    expect(page.body).toContain('<button type="submit" name="action" value="start"');
    const start = await request('POST', '/', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'processname=web&action=start');
    expect(start.status).toBe(303);
    expect(await state()).toBe('RUNNING');
  }, 120_000);

  it('an oversized form is refused', async () => {
    // Announced as too big: refused on the headers (the body is not even sent).
    const status = await new Promise<string>((resolve) => {
      const s = net.connect(d.socket, () => s.write('POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 65536\r\n\r\naction=stopall&x='));
      let text = '';
      s.on('data', (c) => {
        text += c;
        if (text.includes('\r\n')) {
          resolve(text);
          s.destroy();
        }
      });
      s.on('error', () => resolve(text));
      s.on('close', () => resolve(text));
    });
    expect(status).toMatch(/^HTTP\/1\.1 413 /);
    expect(await state()).toBe('RUNNING');
  });
});
