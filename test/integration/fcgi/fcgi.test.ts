// [fcgi-program:x]: svinit opens the socket and every process of the group accepts on it as fd 0.

import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startDaemon, waitFor, type Daemon } from '../../helpers/daemon.js';

let d: Daemon | undefined;
afterAll(async () => {
  await d?.stop('SIGKILL');
});

const rec = (type: number, id: number, content = Buffer.alloc(0)) => {
  const h = Buffer.alloc(8);
  h.writeUInt8(1, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(id, 2);
  h.writeUInt16BE(content.length, 4);
  return Buffer.concat([h, content]);
};

/** One FastCGI request (BEGIN_REQUEST, empty PARAMS, empty STDIN); resolves with the STDOUT body. */
function fcgiRequest(target: { path: string } | { port: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = 'path' in target ? net.connect(target.path) : net.connect(target.port, '127.0.0.1');
    let data = Buffer.alloc(0);
    s.on('data', (c) => (data = Buffer.concat([data, c])));
    s.on('end', () => {
      let out = '';
      for (let off = 0; off + 8 <= data.length; ) {
        const type = data.readUInt8(off + 1);
        const len = data.readUInt16BE(off + 4);
        const pad = data.readUInt8(off + 6);
        if (type === 6) out += data.subarray(off + 8, off + 8 + len).toString();
        off += 8 + len + pad;
      }
      resolve(out);
    });
    s.on('error', reject);
    const begin = Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]);
    s.write(Buffer.concat([rec(1, 1, begin), rec(4, 1), rec(5, 1)]));
  });
}

describe('fcgi-program', () => {
  it('three processes share one unix socket and each answers requests', async () => {
    d = await startDaemon(
      (dir) => `
[fcgi-program:resp]
command=/usr/bin/python3 ${path.join(ROOT, 'test/fixtures/fcgi-responder.py')}
socket=unix://${dir}/fcgi.sock
socket_mode=0770
numprocs=3
process_name=%(program_name)s_%(process_num)d
startsecs=0
`,
    );
    await d.waitForLog(/success: resp_2 entered RUNNING/);
    // RUNNING (startsecs=0) comes before Python reaches accept(): ask until each process has answered.
    const pids = new Set<string>();
    const socket = path.join(d.dir, 'fcgi.sock');
    await waitFor(async () => {
      const body = await fcgiRequest({ path: socket });
      expect(body).toMatch(/^Content-Type: text\/plain\r\n\r\npid \d+$/);
      pids.add(body.split('pid ')[1]);
      return pids.size === 3;
    }, 'each of the three processes answered a request', 60_000, 20);
    const infos = await d.rpc<Array<{ name: string; pid: number }>>('supervisor.getAllProcessInfo');
    expect(infos.map((i) => i.name)).toEqual(['resp_0', 'resp_1', 'resp_2']);
    expect([...pids].sort()).toEqual(infos.map((i) => String(i.pid)).sort());
    // A restarted process gets the same socket.
    await d.rpc('supervisor.stopProcess', 'resp:resp_0');
    await d.rpc('supervisor.startProcess', 'resp:resp_0');
    expect(await fcgiRequest({ path: path.join(d.dir, 'fcgi.sock') })).toMatch(/pid \d+$/);
  });
});
