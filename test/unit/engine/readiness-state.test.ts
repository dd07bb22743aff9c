// The state machine with readiness configured, under the fake clock: RUNNING means started and
// ready; not ready within ready_timeout is a failed start (BACKOFF, then FATAL).

import { describe, expect, it } from 'vitest';
import type { Readiness } from '../../../src/config/depends.js';
import type { Config } from '../../../src/config/types.js';
import { ProcessState as S } from '../../../src/engine/states.js';
import { engineTest, makeConfig, programGroup } from '../../helpers/engine-fakes.js';

const t = engineTest();

const boot = (config: Config) => t.boot(config);
const flush = () => new Promise<void>((r) => setImmediate(r));
const states = (name: string) => t.transitions.filter((t) => t.name === name).map((t) => S[t.to]);
const logReady = (timeoutSecs = 10): Readiness => ({ method: { kind: 'log', regex: '^ready$' }, timeoutSecs });

describe('readiness instead of startsecs', () => {
  it('stays STARTING past startsecs and becomes RUNNING when the log line comes', async () => {
    const sup = boot(makeConfig([programGroup('db', { startsecs: 1, readiness: logReady() })]));
    t.clock.advance(5000);
    expect(sup.getProcessInfo('db').statename).toBe('STARTING');
    t.spawner.last().stdout.write('starting\nready\n');
    await flush();
    expect(sup.getProcessInfo('db').statename).toBe('RUNNING');
    expect(t.logger.has('success: db entered RUNNING state, stdout line matched ready_log_regex: ready')).toBe(true);
    t.clock.advance(60_000);
    expect(states('db')).toEqual(['STARTING', 'RUNNING']);
  });

  it('not ready within ready_timeout: stopped, BACKOFF, retried, FATAL after startretries', async () => {
    const sup = boot(makeConfig([programGroup('db', { startretries: 1, readiness: logReady(3) })]));
    t.clock.advance(3000);
    await flush();
    expect(t.logger.has('not ready: db (not ready within 3 seconds (ready_timeout))')).toBe(true);
    expect(t.spawner.kills).toEqual([{ pid: 1000, signal: 15 }]);
    expect(sup.getProcessInfo('db')).toMatchObject({ statename: 'BACKOFF', description: 'not ready within 3 seconds (ready_timeout)' });
    t.clock.advance(1001); // backoff 1 s, then the second try
    expect(t.spawner.children.length).toBe(2);
    t.clock.advance(3000);
    await flush();
    t.clock.advance(0);
    expect(sup.getProcessInfo('db').statename).toBe('FATAL');
    expect(states('db')).toEqual(['STARTING', 'STOPPING', 'BACKOFF', 'STARTING', 'STOPPING', 'BACKOFF', 'FATAL']);
    expect(t.logger.has('gave up: db entered FATAL state, too many start retries too quickly')).toBe(true);
  });

  it('a program that ignores the stop signal is killed after stopwaitsecs and still goes to BACKOFF', async () => {
    t.spawner.stubborn.add(1000);
    const sup = boot(makeConfig([programGroup('db', { stopwaitsecs: 2, readiness: logReady(1) })]));
    t.clock.advance(1000);
    await flush();
    expect(sup.getProcessInfo('db').statename).toBe('STOPPING');
    t.clock.advance(2000);
    await flush();
    expect(t.spawner.kills.map((k) => k.signal)).toEqual([15, 9]);
    expect(sup.getProcessInfo('db').statename).toBe('BACKOFF');
  });

  it('an exit before ready is a failed start however long it ran', async () => {
    const sup = boot(makeConfig([programGroup('db', { startsecs: 1, readiness: logReady(600) })]));
    t.clock.advance(30_000);
    t.spawner.last().exit(0);
    await flush();
    expect(sup.getProcessInfo('db')).toMatchObject({ statename: 'BACKOFF', description: 'Exited too quickly (process log may have details)' });
  });

  it('a stop while STARTING is an ordinary stop, and a late ready line changes nothing', async () => {
    const sup = boot(makeConfig([programGroup('db', { readiness: logReady() })]));
    const child = t.spawner.last();
    await sup.stopProcess('db', true);
    child.stdout.write('ready\n');
    await flush();
    expect(sup.getProcessInfo('db').statename).toBe('STOPPED');
    t.clock.advance(60_000);
    expect(states('db')).toEqual(['STARTING', 'STOPPING', 'STOPPED']);
  });

  it('startProcess with wait resolves when the program is ready', async () => {
    const sup = boot(makeConfig([programGroup('db', { autostart: false, readiness: logReady() })]));
    let done = false;
    const p = sup.startProcess('db', true).then(() => (done = true));
    t.clock.advance(5000);
    await flush();
    expect(done).toBe(false);
    t.spawner.last().stderr.write('ready\n');
    await p;
    expect(sup.getProcessInfo('db').statename).toBe('RUNNING');
  });
});

describe('notify_socket', () => {
  it('gives the program a NOTIFY_SOCKET; READY=1 makes it RUNNING and STATUS= shows in the description', async () => {
    const sockets: Array<{ path: string; send: (text: string) => void; closed: boolean }> = [];
    const sup = t.boot(makeConfig([programGroup('db', { readiness: { method: { kind: 'notify' }, timeoutSecs: 60 } })]), {
      notifySocket: (path, onDatagram) => {
        const s = { path, send: onDatagram, closed: false };
        sockets.push(s);
        return { close: () => (s.closed = true) };
      },
    });
    expect(sockets).toHaveLength(1);
    expect(t.spawner.last().req.env.NOTIFY_SOCKET).toBe(sockets[0].path);
    sockets[0].send('STATUS=loading\n');
    expect(sup.getProcessInfo('db')).toMatchObject({ statename: 'STARTING', description: 'loading' });
    sockets[0].send('READY=1\nSTATUS=serving');
    expect(sup.getProcessInfo('db').description).toMatch(/^pid 1000, uptime 0:00:00, serving$/);
    expect(t.logger.has('success: db entered RUNNING state, sent READY=1 to NOTIFY_SOCKET')).toBe(true);
    await sup.stopProcess('db', true);
    expect(sockets[0].closed).toBe(true);
  });

  it('without a way to receive datagrams the spawn fails, as a failed exec does, and says why in the process log', () => {
    const written: string[] = [];
    const log = { write: (b: Buffer) => written.push(b.toString()), flush() {}, close: async () => {}, reopen() {}, clear() {} };
    const sup = t.boot(makeConfig([programGroup('db', { startretries: 0, readiness: { method: { kind: 'notify' }, timeoutSecs: 60 } })]), {
      openChannelLog: () => log as never,
    });
    expect(t.spawner.children).toHaveLength(0);
    expect(sup.getProcessInfo('db').statename).toBe('FATAL');
    expect(written.join('')).toContain("supervisor: couldn't open NOTIFY_SOCKET (it needs svinit's native addon)");
  });
});
