// Event listeners under the real svinit: childutils listeners get supervisord's envelopes and
// payloads; FAIL redelivers; overflow drops the oldest; ticks, capture mode, PROCESS_LOG and
// remote communication arrive; a garbage listener is restarted; a silent one stalls nobody else;
// a crash-alert listener works the same under svinit and under the real supervisord.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, spawnOnConfig, startDaemon, tmpDir, waitFor, type Daemon } from '../../helpers/daemon.js';

const FIX = path.join(ROOT, 'test/fixtures');
const running: Daemon[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop('SIGKILL');
});
async function daemon(conf: (dir: string) => string): Promise<Daemon> {
  const d = await startDaemon(conf);
  running.push(d);
  return d;
}

interface Received {
  headers: Record<string, string>;
  payload: string;
}
function received(file: string): Received[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [head, payload] = line.split('\t');
      const headers = Object.fromEntries(head.split(' ').map((kv) => kv.split(/:(.*)/s).slice(0, 2)));
      return { headers, payload: payload.replace(/\\n/g, '\n') };
    });
}
const payloadFields = (p: string) => Object.fromEntries(p.split('\n')[0].split(' ').map((kv) => kv.split(/:(.*)/s).slice(0, 2)));

describe('event listeners', () => {
  it('a childutils listener receives PROCESS_STATE events with supervisord\'s headers and payloads', async () => {
    const d = await daemon(
      (dir) => `
[eventlistener:lis]
command=/usr/bin/python3 ${FIX}/listener.py ${dir}/events.txt
events=PROCESS_STATE
[program:ok]
command=/bin/sh -c "sleep 0.3; exit 0"
startsecs=0
autorestart=false
[program:quick]
command=/bin/false
startretries=1
[program:long]
command=/bin/sleep 1000
startsecs=0
`,
    );
    const file = path.join(d.dir, 'events.txt');
    await waitFor(() => received(file).some((e) => e.headers.eventname === 'PROCESS_STATE_FATAL'), 'FATAL event', 10_000);
    await d.rpc('supervisor.stopProcess', 'long');
    await waitFor(() => received(file).some((e) => e.headers.eventname === 'PROCESS_STATE_STOPPED'), 'STOPPED event', 5_000);
    const events = received(file);
    for (const e of events) {
      expect(e.headers.ver).toBe('3.0');
      expect(e.headers.server).toBe('supervisor');
      expect(e.headers.pool).toBe('lis');
      expect(Number(e.headers.len)).toBe([...e.payload].length);
    }
    const serials = events.map((e) => Number(e.headers.poolserial));
    expect(serials).toEqual([...serials].sort((a, b) => a - b));
    const of = (name: string, type: string) => events.filter((e) => e.headers.eventname === type && payloadFields(e.payload).processname === name).map((e) => payloadFields(e.payload));
    expect(of('ok', 'PROCESS_STATE_STARTING')[0]).toEqual({ processname: 'ok', groupname: 'ok', from_state: 'STOPPED', tries: '0' });
    expect(of('ok', 'PROCESS_STATE_RUNNING')[0]).toMatchObject({ from_state: 'STARTING', pid: expect.stringMatching(/^[1-9]\d*$/) });
    expect(of('ok', 'PROCESS_STATE_EXITED')[0]).toMatchObject({ from_state: 'RUNNING', expected: '1', pid: expect.stringMatching(/^[1-9]\d*$/) });
    expect(of('quick', 'PROCESS_STATE_BACKOFF').map((p) => p.tries)).toEqual(['1', '2']);
    expect(of('quick', 'PROCESS_STATE_FATAL')[0]).toEqual({ processname: 'quick', groupname: 'quick', from_state: 'BACKOFF' });
    expect(of('long', 'PROCESS_STATE_STOPPING')[0]).toMatchObject({ from_state: 'RUNNING' });
    expect(of('long', 'PROCESS_STATE_STOPPED')[0]).toMatchObject({ from_state: 'STOPPING', pid: expect.stringMatching(/^[1-9]\d*$/) });
  });

  it('a listener written in Node gets the same events', async () => {
    const d = await daemon((dir) => {
      fs.writeFileSync(
        path.join(dir, 'nl.js'),
        `const fs=require('fs');let buf='';let want=null;process.stdout.write('READY\\n');
process.stdin.on('data',d=>{buf+=d;for(;;){if(want===null){const i=buf.indexOf('\\n');if(i<0)return;const h=buf.slice(0,i);buf=buf.slice(i+1);want={h,len:Number(/len:(\\d+)/.exec(h)[1])};}
if(buf.length<want.len)return;const p=buf.slice(0,want.len);buf=buf.slice(want.len);fs.appendFileSync('${dir}/node-events.txt',want.h+'\\t'+p.replace(/\\n/g,'\\\\n')+'\\n');want=null;process.stdout.write('RESULT 2\\nOKREADY\\n');}});`,
      );
      return `
[eventlistener:nodelis]
command=${process.execPath} ${dir}/nl.js
events=PROCESS_STATE_RUNNING,PROCESS_STATE_EXITED
[program:blip]
command=/bin/sh -c "sleep 0.2; exit 4"
startsecs=0
autorestart=false
`;
    });
    const file = path.join(d.dir, 'node-events.txt');
    await waitFor(() => received(file).some((e) => e.headers.eventname === 'PROCESS_STATE_EXITED'), 'EXITED via the Node listener', 10_000);
    const exited = received(file).find((e) => e.headers.eventname === 'PROCESS_STATE_EXITED')!;
    expect(payloadFields(exited.payload)).toMatchObject({ processname: 'blip', expected: '0' });
  });

  it('FAIL makes svinit redeliver the same event', async () => {
    const d = await daemon(
      (dir) => `
[eventlistener:picky]
command=/usr/bin/python3 ${FIX}/listener.py ${dir}/events.txt fail-first
events=PROCESS_STATE_EXITED
[program:one]
command=/bin/sh -c "sleep 0.2; exit 0"
startsecs=0
autorestart=false
`,
    );
    const file = path.join(d.dir, 'events.txt');
    await waitFor(() => received(file).length >= 2, 'the event twice', 10_000);
    const [first, second] = received(file);
    expect(second.headers.serial).toBe(first.headers.serial);
    expect(second.payload).toBe(first.payload);
    expect(d.output()).toMatch(/WARN picky: event was rejected/);
  });

  it('buffer overflow drops the oldest event and says so', async () => {
    const d = await daemon(
      () => `
[eventlistener:slow]
command=${FIX}/silent-listener.sh
events=PROCESS_STATE
buffer_size=2
[program:p1]
command=/bin/true
startsecs=0
autorestart=false
[program:p2]
command=/bin/true
startsecs=0
autorestart=false
`,
    );
    await d.waitForLog(/ERRO pool slow event buffer overflowed, discarding event \d+/);
  });

  it('TICK_5 arrives on a 5-second boundary', async () => {
    const d = await daemon(
      (dir) => `
[eventlistener:ticker]
command=/usr/bin/python3 ${FIX}/listener.py ${dir}/events.txt
events=TICK_5
`,
    );
    const file = path.join(d.dir, 'events.txt');
    await waitFor(() => received(file).length >= 1, 'a TICK_5', 8_000, 100);
    const tick = received(file)[0];
    expect(tick.headers.eventname).toBe('TICK_5');
    expect(Number(/^when:(\d+)$/.exec(tick.payload)![1]) % 5).toBe(0);
  });

  it('capture mode, PROCESS_LOG and sendRemoteCommEvent reach listeners', async () => {
    const d = await daemon(
      (dir) => `
[eventlistener:all]
command=/usr/bin/python3 ${FIX}/listener.py ${dir}/events.txt
events=PROCESS_COMMUNICATION,PROCESS_LOG,REMOTE_COMMUNICATION
[program:talker]
command=/bin/sh -c "sleep 0.5; echo plain line; printf '<!--XSUPERVISOR:BEGIN-->captured message<!--XSUPERVISOR:END-->'; echo after; exec sleep 1000"
startsecs=0
stdout_capture_maxbytes=1KB
stdout_events_enabled=true
`,
    );
    const file = path.join(d.dir, 'events.txt');
    await waitFor(() => received(file).some((e) => e.headers.eventname === 'PROCESS_COMMUNICATION_STDOUT'), 'capture event', 10_000);
    expect(await d.rpc('supervisor.sendRemoteCommEvent', 'mytype', 'some data')).toBe(true);
    await waitFor(() => received(file).some((e) => e.headers.eventname === 'REMOTE_COMMUNICATION'), 'remote event', 5_000);
    const events = received(file);
    const comm = events.find((e) => e.headers.eventname === 'PROCESS_COMMUNICATION_STDOUT')!;
    expect(comm.payload).toMatch(/^processname:talker groupname:talker pid:\d+\ncaptured message$/);
    const logs = events.filter((e) => e.headers.eventname === 'PROCESS_LOG_STDOUT').map((e) => e.payload).join('');
    expect(logs).toMatch(/^processname:talker groupname:talker pid:\d+ channel:stdout\nplain line/);
    expect(events.find((e) => e.headers.eventname === 'REMOTE_COMMUNICATION')!.payload).toBe('type:mytype\nsome data');
    // The captured block is not in the normal log.
    const log = await d.rpc<string>('supervisor.readProcessStdoutLog', 'talker', 0, 0);
    expect(log).toContain('plain line');
    expect(log).not.toContain('captured message');
  });

  it('a garbage-writing listener goes UNKNOWN and is restarted; a silent one stalls only its own pool', async () => {
    const d = await daemon(
      (dir) => `
[eventlistener:garbage]
command=${FIX}/garbage-listener.sh
events=PROCESS_STATE
[eventlistener:silent]
command=${FIX}/silent-listener.sh
events=PROCESS_STATE
[eventlistener:good]
command=/usr/bin/python3 ${FIX}/listener.py ${dir}/events.txt
events=PROCESS_STATE_RUNNING
buffer_size=100
[program:worker]
command=/bin/sleep 1000
startsecs=0
`,
    );
    await d.waitForLog(/garbage: has entered the UNKNOWN state and will no longer receive events/);
    await d.waitForLog(/restarting event listener garbage after a protocol violation/);
    await waitFor(() => d.logCount(/spawned: 'garbage'/) >= 2, 'garbage listener restarted', 10_000);
    const file = path.join(d.dir, 'events.txt');
    await waitFor(() => received(file).some((e) => payloadFields(e.payload).processname === 'worker'), 'good pool got worker events', 10_000);
    const worker = await d.rpc<{ statename: string }>('supervisor.getProcessInfo', 'worker');
    expect(worker.statename).toBe('RUNNING');
  });
});

describe('a crash-alert listener works unchanged under svinit and supervisord', () => {
  for (const kind of ['svinit', 'supervisord'] as const) {
    it(kind, async () => {
      const dir = tmpDir('svinit-crash-');
      const { proc } = spawnOnConfig(
        kind,
        dir,
        `[eventlistener:crashalert]
command=/usr/bin/python3 ${FIX}/crashalert.py ${dir}/alerts.txt
events=PROCESS_STATE_EXITED
[program:crasher]
command=/bin/sh -c "sleep 1.5; exit 9"
autorestart=false
[program:fine]
command=/bin/sh -c "sleep 1.5; exit 0"
autorestart=false
`,
      );
      try {
        const alerts = path.join(dir, 'alerts.txt');
        await waitFor(() => fs.existsSync(alerts) && fs.readFileSync(alerts, 'utf8').includes('crasher'), 'crash alert', 15_000, 100);
        expect(fs.readFileSync(alerts, 'utf8')).toMatch(/^Process crasher in group crasher exited unexpectedly \(pid \d+\) from state RUNNING\n$/);
      } finally {
        proc.kill('SIGKILL');
      }
    });
  }
});
