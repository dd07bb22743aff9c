// The liveness state machine under the fake clock: initial delay, interval, threshold, restart,
// status text, and checks that stop when the process leaves RUNNING.

import { beforeEach, describe, expect, it } from 'vitest';
import type { LivenessSettings } from '../../../src/config/liveness.js';
import { readLivenessKeys } from '../../../src/config/liveness.js';
import type { CheckOutcome } from '../../../src/engine/checks.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { LivenessMonitor, type LivenessSubject } from '../../../src/engine/liveness.js';
import { ProcessState as S } from '../../../src/engine/states.js';
import { MemoryLogger } from '../../helpers/engine-fakes.js';

class Subject implements LivenessSubject {
  state = S.STOPPED;
  group: string;
  constructor(
    public name: string,
    public config: { liveness: LivenessSettings | null },
  ) {
    this.group = name;
  }
}

const settings = (over: Partial<LivenessSettings> = {}): LivenessSettings => ({
  target: { kind: 'http', url: 'http://127.0.0.1:1/health' },
  intervalSecs: 10,
  timeoutSecs: 5,
  initialDelaySecs: 0,
  failureThreshold: 3,
  ...over,
});

let clock: FakeClock;
let logger: MemoryLogger;
let checks: Array<{ at: number; timeoutMs: number }>;
let answer: CheckOutcome;
let restarts: Array<{ name: string; reason: string }>;
let monitor: LivenessMonitor<Subject>;

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
const advance = async (ms: number) => {
  clock.advance(ms);
  await flush();
};
const enter = (p: Subject, to: S) => {
  p.state = to;
  monitor.onStateChange(p, to);
};

beforeEach(() => {
  clock = new FakeClock(0);
  logger = new MemoryLogger();
  checks = [];
  answer = { ok: true, detail: 'ok' };
  restarts = [];
  monitor = new LivenessMonitor<Subject>({
    clock,
    logger,
    check: async (_p, _t, timeoutMs) => {
      checks.push({ at: clock.now(), timeoutMs });
      return answer;
    },
    restart: (p, reason) => restarts.push({ name: p.name, reason }),
  });
});

describe('liveness checks', () => {
  it('check after the initial delay, then every interval, only while RUNNING', async () => {
    const p = new Subject('web', { liveness: settings({ initialDelaySecs: 30 }) });
    enter(p, S.STARTING);
    await advance(60_000);
    expect(checks).toEqual([]);
    enter(p, S.RUNNING);
    await advance(29_999);
    expect(checks).toEqual([]);
    await advance(1);
    expect(checks).toEqual([{ at: 90_000, timeoutMs: 5000 }]);
    // Each attempt is asynchronous: the next one is armed when its result is in.
    await advance(10_000);
    await advance(10_000);
    expect(checks.map((c) => c.at)).toEqual([90_000, 100_000, 110_000]);
    enter(p, S.STOPPING);
    await advance(60_000);
    expect(checks).toHaveLength(3);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('restarts after failure_threshold failures in a row and logs why; a success in between resets the count', async () => {
    const p = new Subject('api', { liveness: settings() });
    enter(p, S.RUNNING);
    answer = { ok: false, detail: 'http://127.0.0.1:1/health: ECONNREFUSED' };
    await advance(0);
    await advance(10_000);
    expect(monitor.description(p)).toBe('liveness check failed 2/3: http://127.0.0.1:1/health: ECONNREFUSED');
    answer = { ok: true, detail: 'ok' };
    await advance(10_000);
    expect(monitor.description(p)).toBeNull();
    answer = { ok: false, detail: 'http://127.0.0.1:1/health: HTTP 500' };
    await advance(10_000);
    await advance(10_000);
    expect(restarts).toEqual([]);
    await advance(10_000);
    expect(restarts).toEqual([{ name: 'api', reason: 'liveness check failed 3 times in a row: http://127.0.0.1:1/health: HTTP 500' }]);
    expect(logger.has("liveness check of 'api' failed (1/3): http://127.0.0.1:1/health: HTTP 500")).toBe(true);
    expect(logger.has("restarting 'api': liveness check failed 3 times in a row: http://127.0.0.1:1/health: HTTP 500")).toBe(true);
    // No more checks until the restarted process is RUNNING again.
    const before = checks.length;
    await advance(60_000);
    expect(checks).toHaveLength(before);
    enter(p, S.STOPPING);
    enter(p, S.STOPPED);
    enter(p, S.STARTING);
    expect(monitor.description(p)).toBe('restarted after failed liveness checks: http://127.0.0.1:1/health: HTTP 500');
    enter(p, S.RUNNING);
    answer = { ok: true, detail: 'ok' };
    await advance(0);
    expect(checks).toHaveLength(before + 1);
    expect(monitor.description(p)).toBeNull();
  });

  it('drops a result that arrives after the process left RUNNING', async () => {
    let release: (o: CheckOutcome) => void = () => undefined;
    const slow = new LivenessMonitor<Subject>({
      clock,
      logger,
      check: () => new Promise<CheckOutcome>((r) => (release = r)),
      restart: (p, reason) => restarts.push({ name: p.name, reason }),
    });
    const p = new Subject('slow', { liveness: settings({ failureThreshold: 1 }) });
    p.state = S.RUNNING;
    slow.onStateChange(p, S.RUNNING);
    await advance(0);
    p.state = S.STOPPING;
    slow.onStateChange(p, S.STOPPING);
    release({ ok: false, detail: 'late' });
    await flush();
    expect(restarts).toEqual([]);
    expect(slow.description(p)).toBeNull();
  });

  it('leaves processes without liveness_check alone, and forgets removed ones', async () => {
    const none = new Subject('plain', { liveness: null });
    enter(none, S.RUNNING);
    await advance(100_000);
    expect(checks).toEqual([]);
    const p = new Subject('gone', { liveness: settings() });
    enter(p, S.RUNNING);
    monitor.forget(p);
    await advance(100_000);
    expect(checks).toEqual([]);
  });
});

describe('liveness keys', () => {
  const reader = (values: Record<string, string>) => (k: string) => values[k] ?? null;

  it('applies the defaults 10 s, 5 s, 0, 3', () => {
    expect(readLivenessKeys(reader({ liveness_check: 'tcp://127.0.0.1:8080' }), 'program')).toEqual({
      target: { kind: 'tcp', host: '127.0.0.1', port: 8080 },
      intervalSecs: 10,
      timeoutSecs: 5,
      initialDelaySecs: 0,
      failureThreshold: 3,
    });
    expect(readLivenessKeys(reader({}), 'program')).toBeNull();
  });

  it('reads every key', () => {
    const s = readLivenessKeys(
      reader({
        liveness_check: 'exec:test -f /tmp/alive',
        liveness_check_interval: '2',
        liveness_check_timeout: '0.5',
        liveness_check_initial_delay: '15',
        liveness_check_failure_threshold: '5',
      }),
      'program',
    );
    expect(s).toEqual({ target: { kind: 'exec', command: 'test -f /tmp/alive' }, intervalSecs: 2, timeoutSecs: 0.5, initialDelaySecs: 15, failureThreshold: 5 });
  });

  it.each([
    [{ liveness_check: 'ftp://x' }, /malformed liveness_check/],
    [{ liveness_check: 'tcp://127.0.0.1:8080', liveness_check_interval: '0' }, /liveness_check_interval must be a number of seconds greater than 0/],
    [{ liveness_check: 'tcp://127.0.0.1:8080', liveness_check_timeout: 'soon' }, /liveness_check_timeout must be/],
    [{ liveness_check: 'tcp://127.0.0.1:8080', liveness_check_failure_threshold: '0' }, /at least 1/],
    [{ liveness_check_interval: '3' }, /liveness_check_interval is set but there is no liveness_check/],
  ])('rejects %j', (values, message) => {
    expect(() => readLivenessKeys(reader(values as Record<string, string>), 'program')).toThrow(message);
  });

  it('refuses liveness on an event listener', () => {
    expect(() => readLivenessKeys(reader({ liveness_check: 'tcp://127.0.0.1:1' }), 'eventlistener')).toThrow(/not allowed in an \[eventlistener\]/);
  });
});
