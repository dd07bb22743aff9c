// The XML-RPC API of the real svinit, driven by Python's xmlrpc.client through supervisor's own
// transport: every method, every fault it can raise, both servers with auth, and hostile input.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDaemon, waitFor, type Daemon } from '../../helpers/daemon.js';

type Fault = { fault: { faultCode: number; faultString: string } };
let d: Daemon;
let port = 0;
const PASSWORD = 's3cret';

beforeAll(async () => {
  port = await freePort();
  const sha = crypto.createHash('sha1').update(PASSWORD).digest('hex');
  d = await startDaemon(
    (dir) => `
[inet_http_server]
port=127.0.0.1:${port}
username=admin
password={SHA}${sha}
[program:cat]
command=/bin/cat
startsecs=0
[program:sleeper]
command=/bin/sleep 1000
startsecs=0
[program:stubborn]
command=/bin/sh -c "trap '' TERM; while :; do sleep 0.1; done"
startsecs=0
stopwaitsecs=30
[program:off]
command=/bin/sleep 1000
autostart=false
[program:missing]
command=/no/such/binary
autostart=false
[program:notexec]
command=${dir}
autostart=false
[program:dies]
command=/bin/false
autostart=false
startsecs=2
startretries=0
[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=w_%(process_num)d
startsecs=0
`,
  );
  await d.waitForLog(/success: w_1 entered RUNNING/);
});
afterAll(async () => {
  await d?.stop('SIGKILL');
});

describe('supervisor.* through xmlrpc.client', () => {
  it('state and identity', async () => {
    expect(await d.rpc('supervisor.getAPIVersion')).toBe('3.0');
    expect(await d.rpc('supervisor.getVersion')).toBe('3.0');
    expect(await d.rpc('supervisor.getSupervisorVersion')).toBe('4.2.5');
    expect(await d.rpc('supervisor.getIdentification')).toBe('supervisor');
    expect(await d.rpc('supervisor.getState')).toEqual({ statecode: 1, statename: 'RUNNING' });
    expect(await d.rpc('supervisor.getPID')).toBe(d.proc.pid);
  });

  it('process info structs have supervisord\'s exact keys and types', async () => {
    const info = await d.rpc<Record<string, unknown>>('supervisor.getProcessInfo', 'sleeper');
    expect(Object.keys(info).sort()).toEqual(['description', 'exitstatus', 'group', 'logfile', 'name', 'now', 'pid', 'spawnerr', 'start', 'state', 'statename', 'stderr_logfile', 'stdout_logfile', 'stop'].sort());
    expect(info).toMatchObject({ name: 'sleeper', group: 'sleeper', state: 20, statename: 'RUNNING', spawnerr: '', exitstatus: 0, stop: 0 });
    expect(info.description).toMatch(/^pid \d+, uptime 0:00:\d\d$/);
    const all = await d.rpc<Array<{ group: string; name: string }>>('supervisor.getAllProcessInfo');
    expect(all.map((i) => `${i.group}:${i.name}`)).toEqual([
      'cat:cat', 'dies:dies', 'missing:missing', 'notexec:notexec', 'off:off', 'sleeper:sleeper', 'stubborn:stubborn', 'w:w_0', 'w:w_1',
    ]);
    const conf = await d.rpc<Array<Record<string, unknown>>>('supervisor.getAllConfigInfo');
    const off = conf.find((c) => c.name === 'off')!;
    expect(Object.keys(off).sort()).toEqual(
      ['autostart', 'command', 'directory', 'exitcodes', 'group', 'group_prio', 'inuse', 'killasgroup', 'name', 'process_prio', 'redirect_stderr', 'serverurl', 'startretries', 'startsecs', 'stderr_capture_maxbytes', 'stderr_events_enabled', 'stderr_logfile', 'stderr_logfile_backups', 'stderr_logfile_maxbytes', 'stderr_syslog', 'stdout_capture_maxbytes', 'stdout_events_enabled', 'stdout_logfile', 'stdout_logfile_backups', 'stdout_logfile_maxbytes', 'stdout_syslog', 'stopsignal', 'stopwaitsecs', 'uid'].sort(),
    );
    expect(off).toMatchObject({ autostart: false, directory: 'none', uid: 'none', serverurl: 'auto', exitcodes: [0], stopsignal: 15, inuse: true, group_prio: 999, process_prio: 999 });
  });

  it('start, stop and signal, with their faults', async () => {
    expect(await d.rpc('supervisor.startProcess', 'off')).toBe(true);
    expect(await d.rpc<Fault>('supervisor.startProcess', 'off')).toEqual({ fault: { faultCode: 60, faultString: 'ALREADY_STARTED: off' } });
    expect(await d.rpc('supervisor.stopProcess', 'off')).toBe(true);
    expect(await d.rpc<Fault>('supervisor.stopProcess', 'off')).toEqual({ fault: { faultCode: 70, faultString: 'NOT_RUNNING: off' } });
    expect(await d.rpc<Fault>('supervisor.startProcess', 'missing')).toEqual({ fault: { faultCode: 20, faultString: "NO_FILE: can't find command '/no/such/binary'" } });
    expect((await d.rpc<Fault>('supervisor.startProcess', 'notexec')).fault).toMatchObject({ faultCode: 21, faultString: expect.stringMatching(/^NOT_EXECUTABLE: command at '.*' is a directory$/) });
    expect(await d.rpc<Fault>('supervisor.startProcess', 'dies')).toEqual({ fault: { faultCode: 50, faultString: 'SPAWN_ERROR: dies' } });
    expect(await d.rpc<Fault>('supervisor.startProcess', 'nosuch')).toEqual({ fault: { faultCode: 10, faultString: 'BAD_NAME: nosuch' } });
    expect(await d.rpc<Fault>('supervisor.signalProcess', 'sleeper', 'NOTASIG')).toEqual({ fault: { faultCode: 11, faultString: 'BAD_SIGNAL: NOTASIG' } });
    expect(await d.rpc('supervisor.signalProcess', 'sleeper', 'CONT')).toBe(true);
    expect(await d.rpc('supervisor.signalProcess', 'sleeper', '18')).toBe(true);
    expect(await d.rpc<Fault>('supervisor.signalProcess', 'off', 'HUP')).toEqual({ fault: { faultCode: 70, faultString: 'NOT_RUNNING: off' } });
    // Starting a process that is still STOPPING: abnormal termination.
    expect(await d.rpc('supervisor.stopProcess', 'stubborn', false)).toBe(true);
    expect(await d.rpc<Fault>('supervisor.startProcess', 'stubborn')).toEqual({ fault: { faultCode: 40, faultString: 'ABNORMAL_TERMINATION: stubborn' } });
    expect(await d.rpc('supervisor.signalProcess', 'stubborn', 'KILL')).toBe(true);
  });

  it('group and all operations return result structs', async () => {
    expect(await d.rpc('supervisor.stopProcessGroup', 'w')).toEqual([
      { name: 'w_0', group: 'w', status: 80, description: 'OK' },
      { name: 'w_1', group: 'w', status: 80, description: 'OK' },
    ]);
    expect(await d.rpc('supervisor.stopProcessGroup', 'w')).toEqual([]);
    expect(await d.rpc('supervisor.startProcess', 'w:*')).toEqual([
      { name: 'w_0', group: 'w', status: 80, description: 'OK' },
      { name: 'w_1', group: 'w', status: 80, description: 'OK' },
    ]);
    expect(await d.rpc('supervisor.signalProcessGroup', 'w', 'CONT')).toHaveLength(2);
    expect(await d.rpc<Fault>('supervisor.startProcessGroup', 'nogroup')).toEqual({ fault: { faultCode: 10, faultString: 'BAD_NAME: nogroup' } });
    const all = await d.rpc<Array<{ name: string; status: number }>>('supervisor.signalAllProcesses', 'CONT');
    expect(all.every((r) => r.status === 80)).toBe(true);
    const started = await d.rpc<Array<{ name: string; status: number }>>('supervisor.startAllProcesses', true);
    expect(started.find((r) => r.name === 'missing')).toMatchObject({ status: 20 });
  });

  it('logs: read, tail, clear, stdin', async () => {
    expect(await d.rpc('supervisor.sendProcessStdin', 'cat', 'hello from stdin\n')).toBe(true);
    await waitFor(async () => (await d.rpc<string>('supervisor.readProcessStdoutLog', 'cat', 0, 0)) === 'hello from stdin\n', 'cat echoed');
    expect(await d.rpc('supervisor.readProcessLog', 'cat', 0, 5)).toBe('hello');
    expect(await d.rpc('supervisor.readProcessStdoutLog', 'cat', -6, 0)).toBe('stdin\n');
    expect(await d.rpc('supervisor.tailProcessStdoutLog', 'cat', 0, 5)).toEqual(['stdin\n'.slice(1), 17, true]);
    expect(await d.rpc('supervisor.tailProcessLog', 'cat', 100, 5)).toEqual(['', 17, false]);
    expect(await d.rpc('supervisor.readProcessStderrLog', 'cat', 0, 0)).toBe('');
    expect(await d.rpc('supervisor.tailProcessStderrLog', 'cat', 0, 10)).toEqual(['', 0, false]);
    expect(await d.rpc<Fault>('supervisor.readProcessStdoutLog', 'cat', -1, 5)).toEqual({ fault: { faultCode: 3, faultString: 'BAD_ARGUMENTS' } });
    expect(await d.rpc<Fault>('supervisor.readProcessStdoutLog', 'w', 0, 0)).toEqual({ fault: { faultCode: 10, faultString: 'BAD_NAME: w' } });
    expect(await d.rpc('supervisor.clearProcessLogs', 'cat')).toBe(true);
    expect(await d.rpc('supervisor.readProcessStdoutLog', 'cat', 0, 0)).toBe('');
    expect(await d.rpc('supervisor.clearProcessLog', 'cat')).toBe(true);
    expect((await d.rpc<unknown[]>('supervisor.clearAllProcessLogs')).length).toBe(9);
    expect(typeof (await d.rpc('supervisor.readLog', -200, 0))).toBe('string');
    expect(typeof (await d.rpc('supervisor.readMainLog', 0, 10))).toBe('string');
    expect(await d.rpc('supervisor.clearLog')).toBe(true);
    expect(await d.rpc<Fault>('supervisor.sendProcessStdin', 'missing', 'x')).toEqual({ fault: { faultCode: 70, faultString: 'NOT_RUNNING: missing' } });
    expect(await d.rpc<Fault>('supervisor.sendProcessStdin', 'cat', 5)).toEqual({ fault: { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' } });
    expect(await d.rpc('supervisor.sendRemoteCommEvent', 'type', 'data')).toBe(true);
  });

  it('config: reread, add, remove, and CANT_REREAD', async () => {
    expect(await d.rpc('supervisor.reloadConfig')).toEqual([[[], [], []]]);
    expect(await d.rpc<Fault>('supervisor.addProcessGroup', 'off')).toEqual({ fault: { faultCode: 90, faultString: 'ALREADY_ADDED: off' } });
    expect(await d.rpc<Fault>('supervisor.addProcessGroup', 'nosuch')).toEqual({ fault: { faultCode: 10, faultString: 'BAD_NAME: nosuch' } });
    expect(await d.rpc<Fault>('supervisor.removeProcessGroup', 'sleeper')).toEqual({ fault: { faultCode: 91, faultString: 'STILL_RUNNING: sleeper' } });
    await d.rpc('supervisor.stopProcess', 'off');
    expect(await d.rpc('supervisor.removeProcessGroup', 'off')).toBe(true);
    expect(await d.rpc('supervisor.reloadConfig')).toEqual([[['off'], [], []]]);
    expect(await d.rpc('supervisor.addProcessGroup', 'off')).toBe(true);
    const good = fs.readFileSync(d.conf, 'utf8');
    fs.writeFileSync(d.conf, `${good}\n[program:broken]\nautostart=maybe\ncommand=/bin/true\n`);
    try {
      const r = await d.rpc<Fault>('supervisor.reloadConfig');
      expect(r.fault.faultCode).toBe(92);
      expect(r.fault.faultString).toMatch(/^CANT_REREAD: not a valid boolean value: 'maybe' in section 'program:broken'/);
    } finally {
      fs.writeFileSync(d.conf, good);
    }
  });

  it('system.*: listMethods, methodHelp, methodSignature, multicall', async () => {
    const methods = await d.rpc<string[]>('system.listMethods');
    expect(methods).toHaveLength(41);
    expect(methods).toEqual([...methods].sort());
    for (const alias of ['supervisor.getVersion', 'supervisor.readMainLog', 'supervisor.readProcessLog', 'supervisor.tailProcessLog', 'supervisor.clearProcessLog']) expect(methods).toContain(alias);
    expect(typeof (await d.rpc('system.methodHelp', 'supervisor.startProcess'))).toBe('string');
    expect(await d.rpc('system.methodSignature', 'supervisor.tailProcessStdoutLog')).toEqual(['array', 'string', 'int', 'int']);
    expect(await d.rpc('system.methodSignature', 'supervisor.startProcess')).toEqual(['boolean', 'string', 'boolean']);
    expect(await d.rpc('system.methodSignature', 'supervisor.getAllConfigInfo')).toEqual(['array']);
    expect(await d.rpc<Fault>('system.methodHelp', 'supervisor.nothing')).toEqual({ fault: { faultCode: 4, faultString: 'SIGNATURE_UNSUPPORTED' } });
    const multi = await d.rpc<unknown[]>('system.multicall', [
      { methodName: 'supervisor.getPID', params: [] },
      { methodName: 'supervisor.getProcessInfo', params: ['nosuch'] },
      { methodName: 'system.multicall', params: [[]] },
      { params: [] },
    ]);
    expect(multi).toEqual([
      d.proc.pid,
      { faultCode: 10, faultString: 'BAD_NAME: nosuch' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
    ]);
  });

  it('bad method names and arity', async () => {
    expect(await d.rpc<Fault>('supervisor.nothing')).toEqual({ fault: { faultCode: 1, faultString: 'UNKNOWN_METHOD' } });
    expect(await d.rpc<Fault>('supervisor._private')).toEqual({ fault: { faultCode: 1, faultString: 'UNKNOWN_METHOD' } });
    expect(await d.rpc<Fault>('nonamespace')).toEqual({ fault: { faultCode: 1, faultString: 'UNKNOWN_METHOD' } });
    expect(await d.rpc<Fault>('a.b.c')).toEqual({ fault: { faultCode: 1, faultString: 'UNKNOWN_METHOD' } });
    expect(await d.rpc<Fault>('supervisor.getPID', 1)).toEqual({ fault: { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' } });
    expect(await d.rpc<Fault>('supervisor.startProcess')).toEqual({ fault: { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' } });
    expect(await d.rpc<Fault>('supervisor.readLog', 'a', 'b')).toEqual({ fault: { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' } });
  });
});

/** One raw HTTP exchange over the unix socket; resolves with the status code (0 = connection closed without an answer). */
function raw(request: string | Buffer, opts: { socketPath?: string; port?: number; timeoutMs?: number } = {}): Promise<number> {
  return new Promise((resolve) => {
    const s = opts.port ? net.connect(opts.port, '127.0.0.1') : net.connect(opts.socketPath ?? d.socket);
    let data = '';
    const done = () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve(m ? Number(m[1]) : 0);
      s.destroy();
    };
    s.on('data', (c) => {
      data += c.toString('latin1');
      if (/\r\n\r\n/.test(data)) done();
    });
    s.on('error', done);
    s.on('close', done);
    s.setTimeout(opts.timeoutMs ?? 5000, done);
    s.write(request);
  });
}

const post = (body: string | Buffer, extra = '') => {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from(`POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: ${b.length}\r\n${extra}\r\n`), b]);
};
const call = (method: string, params = '') => `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params}</params></methodCall>`;
const p = (v: string) => `<param><value>${v}</value></param>`;

describe('hostile and malformed requests', () => {
  const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><methodCall><methodName>&lol3;</methodName></methodCall>`;
  const cases: Array<[string, string | Buffer, number[]]> = [
    ['XXE external entity', post(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><methodCall><methodName>supervisor.getPID</methodName><params>${p('<string>&e;</string>')}</params></methodCall>`), [400]],
    ['billion laughs', post(lol), [400]],
    ['empty body', post(''), [400]],
    ['not XML', post('hello world'), [400]],
    ['truncated XML', post('<?xml version="1.0"?><methodCall><methodName>supervisor.getPID</methodName><par'), [400]],
    ['unclosed tags', post('<methodCall><methodName>supervisor.getPID</methodName><params>'), [400]],
    ['no methodName', post('<methodCall><params></params></methodCall>'), [400]],
    ['empty methodName', post('<methodCall><methodName></methodName></methodCall>'), [400]],
    ['wrong root element', post('<methodResponse><params/></methodResponse>'), [400]],
    ['deep nesting', post(call('system.multicall', p('<array><data><value>'.repeat(5000) + '<int>1</int>' + '</value></data></array>'.repeat(5000)))), [400]],
    ['oversized body', post(Buffer.alloc(3 * 1024 * 1024, 'a')), [413, 0]],
    ['missing Content-Length', 'POST /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n', [411, 400]],
    ['bad Content-Length', 'POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', [400]],
    ['GET /RPC2', 'GET /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n', [400]],
    ['PUT /RPC2', 'PUT /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n', [400]],
    ['DELETE /RPC2', 'DELETE /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n', [400]],
    ['garbage request line', 'FOO BAR BAZ QUX\r\n\r\n', [400, 0]],
    ['binary garbage', Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]), [400, 0]],
    ['huge header', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`, [431, 400, 0]],
    ['bad chunked encoding', 'POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n', [400, 0]],
    ['int overflow', post(call('supervisor.readLog', p('<int>99999999999999999999999</int>') + p('<int>0</int>'))), [200]],
    ['bad int', post(call('supervisor.readLog', p('<int>12abc</int>') + p('<int>0</int>'))), [400]],
    ['bad boolean', post(call('supervisor.startProcess', p('<string>off</string>') + p('<boolean>2</boolean>'))), [400]],
    ['bad double', post(call('supervisor.readLog', p('<double>x</double>') + p('<int>0</int>'))), [400]],
    ['bad dateTime', post(call('supervisor.getPID', p('<dateTime.iso8601>yesterday</dateTime.iso8601>'))), [400]],
    ['unknown value type', post(call('supervisor.getPID', p('<foo>1</foo>'))), [400]],
    ['struct member without name', post(call('system.multicall', p('<array><data><value><struct><member><value><int>1</int></value></member></struct></value></data></array>'))), [400]],
    ['struct member without value', post(call('system.multicall', p('<array><data><value><struct><member><name>a</name></member></struct></value></data></array>'))), [400]],
    ['param without value', post(call('supervisor.getPID', '<param></param>')), [400]],
    ['invalid UTF-8', post(Buffer.concat([Buffer.from('<methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value><string>'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('</string></value></param></params></methodCall>')])), [200, 400]],
    ['NUL byte', post('<methodCall><methodName>supervisor.get\0PID</methodName></methodCall>'), [400]],
    ['two root elements', post('<methodCall><methodName>supervisor.getPID</methodName></methodCall><methodCall/>'), [400]],
    ['text outside root', post('junk<methodCall><methodName>supervisor.getPID</methodName></methodCall>'), [400]],
    ['int as method param type', post(call('supervisor.startProcess', p('<int>5</int>'))), [200]],
    ['array as name', post(call('supervisor.startProcess', p('<array><data></data></array>'))), [200]],
    ['struct as name', post(call('supervisor.stopProcess', p('<struct></struct>'))), [200]],
    ['too many params', post(call('supervisor.getState', p('<int>1</int>') + p('<int>2</int>'))), [200]],
    ['unknown method', post(call('supervisor.rm_rf')), [200]],
    ['dunder method', post(call('supervisor.__init__')), [200]],
    ['three-part method', post(call('supervisor.rpc.getPID')), [200]],
    ['system method through supervisor', post(call('supervisor.listMethods')), [200]],
    ['multicall of non-structs', post(call('system.multicall', p('<array><data><value><int>1</int></value><value><string>x</string></value></data></array>'))), [200]],
    ['multicall with a non-array params', post(call('system.multicall', p('<array><data><value><struct><member><name>methodName</name><value>supervisor.getPID</value></member><member><name>params</name><value><int>3</int></value></member></struct></value></data></array>'))), [200]],
    ['multicall of 1,000 calls', post(call('system.multicall', p(`<array><data>${'<value><struct><member><name>methodName</name><value>supervisor.getPID</value></member></struct></value>'.repeat(1000)}</data></array>`))), [200]],
    ['signal a stopped process by group spec', post(call('supervisor.signalProcess', p('<string>sleeper:*</string>') + p('<string>CONT</string>'))), [200]],
    ['logtail path traversal', 'GET /logtail/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n', [404]],
    ['logtail bad percent-encoding', 'GET /logtail/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n', [404]],
    ['logtail unknown channel', 'GET /logtail/cat/nope HTTP/1.1\r\nHost: x\r\n\r\n', [404]],
    ['logtail unknown process', 'GET /logtail/nosuch HTTP/1.1\r\nHost: x\r\n\r\n', [404]],
    ['logtail POST', 'POST /logtail/cat HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n', [400]],
    ['web action by GET (shows the page, runs nothing)', 'GET /index.html?processname=cat&action=stop HTTP/1.1\r\nHost: x\r\n\r\n', [200]],
    ['web action on unknown process', 'POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 32\r\n\r\nprocessname=nosuch&action=stop\r\n', [303]],
    ['web unknown action', 'POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\n\r\nprocessname=cat&action=explode', [303]],
    ['web action from another origin', 'POST /index.html HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\nContent-Length: 27\r\n\r\nprocessname=cat&action=stop', [403]],
    ['unknown path', 'GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n', [404]],
  ];

  it(`answers ${cases.length} hostile requests with a fault or a 4xx, and keeps every program running`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const before = await d.rpc<Array<{ name: string; pid: number; statename: string }>>('supervisor.getAllProcessInfo');
    for (const [label, request, expected] of cases) {
      const status = await raw(request);
      expect(expected, `${label}: got ${status}`).toContain(status);
    }
    // Slowloris: a request that never finishes does not block anyone else.
    const slow = net.connect(d.socket);
    slow.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<method');
    expect(await d.rpc('supervisor.getAPIVersion')).toBe('3.0');
    slow.destroy();
    const after = await d.rpc<Array<{ name: string; pid: number; statename: string }>>('supervisor.getAllProcessInfo');
    const running = (xs: typeof before) => xs.filter((x) => x.statename === 'RUNNING').map((x) => `${x.name}:${x.pid}`);
    expect(running(after)).toEqual(running(before));
    expect(d.proc.exitCode).toBeNull();
  }, 60_000);
});

describe('authentication', () => {
  const basic = (u: string, pw: string) => `Authorization: Basic ${Buffer.from(`${u}:${pw}`).toString('base64')}\r\n`;
  it('the inet server needs credentials; the {SHA} password matches the plain one', async () => {
    expect(await raw(post(call('supervisor.getPID')), { port })).toBe(401);
    expect(await raw(post(call('supervisor.getPID'), basic('admin', 'wrong')), { port })).toBe(401);
    expect(await raw(post(call('supervisor.getPID'), basic('root', PASSWORD)), { port })).toBe(401);
    expect(await raw(post(call('supervisor.getPID'), 'Authorization: Basic !!!notbase64\r\n'), { port })).toBe(401);
    expect(await raw('GET / HTTP/1.1\r\nHost: x\r\n\r\n', { port })).toBe(401);
    expect(await raw('GET /logtail/cat HTTP/1.1\r\nHost: x\r\n\r\n', { port })).toBe(401);
    expect(await raw(post(call('supervisor.getPID'), basic('admin', PASSWORD)), { port })).toBe(200);
    const res = await new Promise<http.IncomingMessage>((resolve) => http.get({ port, host: '127.0.0.1', path: '/' }, resolve));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="default"');
    res.resume();
  });

  it('the unix socket with a username needs credentials too', async () => {
    const authed = await startDaemon(
      (dir) => `
[unix_http_server]
file=${path.join(dir, 'auth.sock')}
username=user
password=123
[program:x]
command=/bin/sleep 1000
startsecs=0
`,
    );
    try {
      const sock = path.join(authed.dir, 'auth.sock');
      expect(await raw(post(call('supervisor.getPID')), { socketPath: sock })).toBe(401);
      expect(await raw(post(call('supervisor.getPID'), basic('user', '12')), { socketPath: sock })).toBe(401);
      expect(await raw(post(call('supervisor.getPID'), basic('user', '123')), { socketPath: sock })).toBe(200);
    } finally {
      await authed.stop('SIGKILL');
    }
  });
});

describe('shutdown state', () => {
  it('supervisor.* fail with SHUTDOWN_STATE while stopping; system.* keep working', async () => {
    await d.rpc('supervisor.startProcess', 'stubborn').catch(() => undefined);
    await waitFor(async () => (await d.rpc<{ statename: string }>('supervisor.getProcessInfo', 'stubborn')).statename === 'RUNNING', 'stubborn running');
    expect(await d.rpc('supervisor.shutdown')).toBe(true);
    expect(await d.rpc<Fault>('supervisor.getAllProcessInfo')).toEqual({ fault: { faultCode: 6, faultString: 'SHUTDOWN_STATE' } });
    expect(await d.rpc('supervisor.sendRemoteCommEvent', 'a', 'b')).toBe(true);
    expect((await d.rpc<string[]>('system.listMethods')).length).toBe(41);
  });
});
