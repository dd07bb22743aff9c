// Readiness of one spawn under the fake clock: check polling, log lines, notification fd, sd_notify
// messages and ready_timeout.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CheckTarget, Readiness } from '../../../src/config/depends.js';
import type { CheckOutcome } from '../../../src/engine/checks.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { ReadinessWatch } from '../../../src/engine/readiness.js';

const flush = () => new Promise((r) => setImmediate(r));

function setup(readiness: Readiness, answers: boolean[] = []) {
  const clock = new FakeClock();
  const events: string[] = [];
  const attempts: number[] = [];
  const watch = new ReadinessWatch(readiness, {
    clock,
    runCheck: async (_t: CheckTarget, timeoutMs: number): Promise<CheckOutcome> => {
      attempts.push(clock.now());
      expect(timeoutMs).toBeGreaterThanOrEqual(1000);
      const ok = answers.shift() ?? false;
      return { ok, detail: ok ? 'up' : 'ECONNREFUSED' };
    },
    onReady: (how) => events.push(`ready: ${how}`),
    onNotReady: (why) => events.push(`not ready: ${why}`),
    onStatus: (text) => events.push(`status: ${text}`),
  });
  return { clock, events, attempts, watch };
}

const check = (intervalSecs = 1, timeoutSecs = 60): Readiness => ({
  method: { kind: 'check', target: { kind: 'tcp', host: 'db', port: 5432 }, intervalSecs },
  timeoutSecs,
});

describe('ready_check', () => {
  it('polls every interval until the check succeeds', async () => {
    const { clock, events, attempts, watch } = setup(check(2), [false, false, true]);
    const t0 = clock.now();
    watch.begin();
    await flush();
    expect(attempts).toEqual([t0]);
    clock.advance(1999);
    await flush();
    expect(attempts.length).toBe(1);
    clock.advance(1);
    await flush();
    clock.advance(2000);
    await flush();
    expect(attempts).toEqual([t0, t0 + 2000, t0 + 4000]);
    expect(events).toEqual(['ready: ready_check tcp://db:5432 succeeded']);
    expect(clock.pendingTimers()).toBe(0);
    expect(watch.settled).toBe(true);
  });

  it('gives up at ready_timeout with the last failure', async () => {
    const { clock, events, watch } = setup(check(1, 3));
    watch.begin();
    for (let i = 0; i < 4; i++) {
      await flush();
      clock.advance(1000);
    }
    await flush();
    expect(events).toEqual(['not ready: not ready within 3 seconds (ready_timeout): ECONNREFUSED']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('reports nothing once cancelled, even for an attempt in flight', async () => {
    const { clock, events, watch } = setup(check(), [true]);
    watch.begin();
    watch.cancel();
    await flush();
    clock.advance(120_000);
    expect(events).toEqual([]);
  });
});

describe('ready_log_regex', () => {
  const log: Readiness = { method: { kind: 'log', regex: 'listening on port \\d+$' }, timeoutSecs: 60 };

  it('matches complete lines as bytes arrive, on either channel', () => {
    const { events, watch } = setup(log);
    watch.begin();
    watch.output('stdout', Buffer.from('starting\nlistening on po'));
    expect(events).toEqual([]);
    watch.output('stderr', Buffer.from('rt 80 (wrong channel)\n'));
    expect(events).toEqual([]);
    watch.output('stdout', Buffer.from('rt 8080\r\nmore'));
    expect(events).toEqual(['ready: stdout line matched ready_log_regex: listening on port 8080']);
    watch.output('stdout', Buffer.from('listening on port 1\n'));
    expect(events.length).toBe(1);
  });

  it('a multi-byte character split across chunks still matches', () => {
    const { events, watch } = setup({ method: { kind: 'log', regex: '^prêt$' }, timeoutSecs: 60 });
    watch.begin();
    const bytes = Buffer.from('prêt\n');
    watch.output('stderr', bytes.subarray(0, 3));
    watch.output('stderr', bytes.subarray(3));
    expect(events).toEqual(['ready: stderr line matched ready_log_regex: prêt']);
  });

  it('times out when no line matches', () => {
    const { clock, events, watch } = setup({ ...log, timeoutSecs: 5 });
    watch.begin();
    watch.output('stdout', Buffer.from('nope\n'));
    clock.advance(5000);
    expect(events).toEqual(['not ready: not ready within 5 seconds (ready_timeout)']);
  });
});

describe('notification_fd', () => {
  const fd: Readiness = { method: { kind: 'fd', fd: 3 }, timeoutSecs: 60 };

  it('is ready at the first newline', async () => {
    const { events, watch } = setup(fd);
    const pipe = new PassThrough();
    watch.begin();
    watch.watchNotificationFd(pipe);
    pipe.write('almost');
    await flush();
    expect(events).toEqual([]);
    pipe.write('\n');
    await flush();
    expect(events).toEqual(['ready: wrote a newline to notification_fd']);
  });

  it('end-of-file before a newline means never ready', async () => {
    const { events, watch } = setup(fd);
    const pipe = new PassThrough();
    watch.begin();
    watch.watchNotificationFd(pipe);
    pipe.end('x');
    await flush();
    expect(events).toEqual(['not ready: closed notification_fd without writing a newline']);
  });
});

describe('sd_notify', () => {
  it('READY=1 means ready and STATUS= is passed on', () => {
    const { events, watch } = setup({ method: { kind: 'notify' }, timeoutSecs: 60 });
    watch.begin();
    watch.notifyMessage(Buffer.from('STATUS=loading tables\nMAINPID=42'));
    watch.notifyMessage(Buffer.from('READY=1\nSTATUS=serving'));
    expect(events).toEqual(['status: loading tables', 'ready: sent READY=1 to NOTIFY_SOCKET', 'status: serving']);
  });
});
