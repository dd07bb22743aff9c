// The state machine with readiness configured, under the fake clock: RUNNING means started and
// ready; not ready within ready_timeout is a failed start (BACKOFF, then FATAL).

import { beforeEach, describe, expect, it } from 'vitest';
import type { Readiness } from '../../../src/config/depends.js';
import type { Config } from '../../../src/config/types.js';
import type { FakeClock } from '../../../src/engine/clock.js';
import type { ProcessStateFact } from '../../../src/engine/facts.js';
import { ProcessState as S } from '../../../src/engine/states.js';
import { bootSupervisor, engineFakes, type FakeSpawner, type MemoryLogger, makeConfig, programGroup } from '../../helpers/engine-fakes.js';

let clock: FakeClock;
let spawner: FakeSpawner;
let logger: MemoryLogger;
let transitions: ProcessStateFact[];
beforeEach(() => ({ clock, spawner, logger, transitions } = engineFakes()));

const boot = (config: Config) => bootSupervisor(config, { clock, spawner, logger, transitions });
const flush = () => new Promise<void>((r) => setImmediate(r));
const states = (name: string) => transitions.filter((t) => t.name === name).map((t) => S[t.to]);
const logReady = (timeoutSecs = 10): Readiness => ({ method: { kind: 'log', regex: '^ready$' }, timeoutSecs });

describe('readiness instead of startsecs', () => {
  it('stays STARTING past startsecs and becomes RUNNING when the log line comes', async () => {
    const sup = boot(makeConfig([programGroup('db', { startsecs: 1, readiness: logReady() })]));
    clock.advance(5000);
    expect(sup.getProcessInfo('db').statename).toBe('STARTING');
    spawner.last().stdout.write('starting\nready\n');
    await flush();
    expect(sup.getProcessInfo('db').statename).toBe('RUNNING');
    expect(logger.has('success: db entered RUNNING state, stdout line matched ready_log_regex: ready')).toBe(true);
    clock.advance(60_000);
    expect(states('db')).toEqual(['STARTING', 'RUNNING']);
  });

  it('not ready within ready_timeout: stopped, BACKOFF, retried, FATAL after startretries', async () => {
    const sup = boot(makeConfig([programGroup('db', { startretries: 1, readiness: logReady(3) })]));
    clock.advance(3000);
    await flush();
    expect(logger.has('not ready: db (not ready within 3 seconds (ready_timeout))')).toBe(true);
    expect(spawner.kills).toEqual([{ pid: 1000, signal: 15 }]);
    expect(sup.getProcessInfo('db')).toMatchObject({ statename: 'BACKOFF', description: 'not ready within 3 seconds (ready_timeout)' });
    clock.advance(1001); // backoff 1 s, then the second try
    expect(spawner.children.length).toBe(2);
    clock.advance(3000);
    await flush();
    clock.advance(0);
    expect(sup.getProcessInfo('db').statename).toBe('FATAL');
    expect(states('db')).toEqual(['STARTING', 'STOPPING', 'BACKOFF', 'STARTING', 'STOPPING', 'BACKOFF', 'FATAL']);
    expect(logger.has('gave up: db entered FATAL state, too many start retries too quickly')).toBe(true);
  });

  it('a program that ignores the stop signal is killed after stopwaitsecs and still goes to BACKOFF', async () => {
    spawner.stubborn.add(1000);
    const sup = boot(makeConfig([programGroup('db', { stopwaitsecs: 2, readiness: logReady(1) })]));
    clock.advance(1000);
    await flush();
    expect(sup.getProcessInfo('db').statename).toBe('STOPPING');
    clock.advance(2000);
    await flush();
    expect(spawner.kills.map((k) => k.signal)).toEqual([15, 9]);
    expect(sup.getProcessInfo('db').statename).toBe('BACKOFF');
  });

  it('an exit before ready is a failed start however long it ran', async () => {
    const sup = boot(makeConfig([programGroup('db', { startsecs: 1, readiness: logReady(600) })]));
    clock.advance(30_000);
    spawner.last().exit(0);
    await flush();
    expect(sup.getProcessInfo('db')).toMatchObject({ statename: 'BACKOFF', description: 'Exited too quickly (process log may have details)' });
  });

  it('a stop while STARTING is an ordinary stop, and a late ready line changes nothing', async () => {
    const sup = boot(makeConfig([programGroup('db', { readiness: logReady() })]));
    const child = spawner.last();
    await sup.stopProcess('db', true);
    child.stdout.write('ready\n');
    await flush();
    expect(sup.getProcessInfo('db').statename).toBe('STOPPED');
    clock.advance(60_000);
    expect(states('db')).toEqual(['STARTING', 'STOPPING', 'STOPPED']);
  });

  it('startProcess with wait resolves when the program is ready', async () => {
    const sup = boot(makeConfig([programGroup('db', { autostart: false, readiness: logReady() })]));
    let done = false;
    const p = sup.startProcess('db', true).then(() => (done = true));
    clock.advance(5000);
    await flush();
    expect(done).toBe(false);
    spawner.last().stderr.write('ready\n');
    await p;
    expect(sup.getProcessInfo('db').statename).toBe('RUNNING');
  });
});

describe('notify_socket', () => {
  it('gives the program a NOTIFY_SOCKET; READY=1 makes it RUNNING and STATUS= shows in the description', async () => {
    const sockets: Array<{ path: string; send: (text: string) => void; closed: boolean }> = [];
    const sup = bootSupervisor(makeConfig([programGroup('db', { readiness: { method: { kind: 'notify' }, timeoutSecs: 60 } })]), { clock, spawner, logger, transitions }, {
      notifySocket: (path, onDatagram) => {
        const s = { path, send: onDatagram, closed: false };
        sockets.push(s);
        return { close: () => (s.closed = true) };
      },
    });
    expect(sockets).toHaveLength(1);
    expect(spawner.last().req.env.NOTIFY_SOCKET).toBe(sockets[0].path);
    sockets[0].send('STATUS=loading\n');
    expect(sup.getProcessInfo('db')).toMatchObject({ statename: 'STARTING', description: 'loading' });
    sockets[0].send('READY=1\nSTATUS=serving');
    expect(sup.getProcessInfo('db').description).toMatch(/^pid 1000, uptime 0:00:00, serving$/);
    expect(logger.has('success: db entered RUNNING state, sent READY=1 to NOTIFY_SOCKET')).toBe(true);
    await sup.stopProcess('db', true);
    expect(sockets[0].closed).toBe(true);
  });

  it('without a way to receive datagrams the spawn fails, as a failed exec does, and says why in the process log', () => {
    const written: string[] = [];
    const log = { write: (b: Buffer) => written.push(b.toString()), flush() {}, close: async () => {}, reopen() {}, clear() {} };
    const sup = bootSupervisor(makeConfig([programGroup('db', { startretries: 0, readiness: { method: { kind: 'notify' }, timeoutSecs: 60 } })]), { clock, spawner, logger, transitions }, {
      openChannelLog: () => log as never,
    });
    expect(spawner.children).toHaveLength(0);
    expect(sup.getProcessInfo('db').statename).toBe('FATAL');
    expect(written.join('')).toContain("supervisor: couldn't open NOTIFY_SOCKET (it needs svinit's native addon)");
  });
});
