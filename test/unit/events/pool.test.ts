// The listener protocol and pool buffering, with fake listener processes.

import { describe, expect, it } from 'vitest';
import type { ListenerPort } from '../../../src/engine/facts.js';
import { EventListenerState } from '../../../src/engine/states.js';
import { envelope } from '../../../src/events/payload.js';
import { ListenerPool } from '../../../src/events/pool.js';
import { isSubtype } from '../../../src/events/types.js';
import { MemoryLogger } from '../../helpers/engine-fakes.js';

function port(name: string, opts: { running?: boolean; epipe?: boolean } = {}): ListenerPort & { got: string[] } {
  const got: string[] = [];
  return {
    name,
    group: 'pool',
    pid: 1,
    got,
    isRunning: () => opts.running ?? true,
    writeStdin: (b) => {
      if (opts.epipe) return false;
      got.push(b.toString());
      return true;
    },
  };
}

function pool(bufferSize = 10, events = ['PROCESS_STATE']) {
  const logger = new MemoryLogger();
  let serial = -1;
  const p = new ListenerPool('pool', { events, bufferSize }, 'supervisor', logger, () => ++serial);
  const unknown: string[] = [];
  p.onUnknown = (port) => unknown.push(port.name);
  return { p, logger, unknown };
}

const ev = (n: number) => ({ type: 'PROCESS_STATE_RUNNING', payload: `processname:p${n} groupname:p${n} from_state:STARTING pid:${n}` });

describe('listener protocol', () => {
  it('READY → BUSY → ACKNOWLEDGED; RESULT and READY may arrive in one write or split anywhere', () => {
    const { p } = pool();
    const l = port('l');
    p.started(l);
    p.output(l, Buffer.from('REA'));
    expect(p.listenerState(l)).toBe(EventListenerState.ACKNOWLEDGED);
    p.output(l, Buffer.from('DY\n'));
    expect(p.listenerState(l)).toBe(EventListenerState.READY);
    p.accept(ev(1));
    expect(p.listenerState(l)).toBe(EventListenerState.BUSY);
    expect(l.got[0]).toBe(`ver:3.0 server:supervisor serial:0 pool:pool poolserial:0 eventname:PROCESS_STATE_RUNNING len:${ev(1).payload.length}\n${ev(1).payload}`);
    p.output(l, Buffer.from('RESULT 2\nO'));
    p.output(l, Buffer.from('KREADY\n'));
    expect(p.listenerState(l)).toBe(EventListenerState.READY);
  });

  it('FAIL re-queues the same event at the head', () => {
    const { p, logger } = pool();
    const l = port('l');
    p.started(l);
    p.output(l, Buffer.from('READY\n'));
    p.accept(ev(1));
    p.accept(ev(2));
    p.output(l, Buffer.from('RESULT 4\nFAILREADY\n'));
    expect(logger.has('WARN l: event was rejected')).toBe(true);
    expect(l.got[1]).toMatch(/serial:0 pool:pool poolserial:0 /);
  });

  it('garbage, output while READY and bad result lines make a listener UNKNOWN', () => {
    const { p, logger, unknown } = pool();
    const a = port('a');
    const b = port('b');
    const c = port('c');
    for (const x of [a, b, c]) p.started(x);
    p.output(a, Buffer.from('HELLO!\n'));
    p.output(b, Buffer.from('READY\nspurious'));
    p.output(c, Buffer.from('READY\n'));
    p.accept(ev(1));
    p.output(c, Buffer.from('RESULT x\n'));
    expect([a, b, c].map((x) => p.listenerState(x))).toEqual([EventListenerState.UNKNOWN, EventListenerState.UNKNOWN, EventListenerState.UNKNOWN]);
    expect(logger.has("WARN c: bad result line: 'RESULT x'")).toBe(true);
    expect(logger.has('a: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol')).toBe(true);
    return new Promise<void>((r) => queueMicrotask(() => (expect(unknown).toEqual(['a', 'b', 'c']), r())));
  });

  it('a listener dying while BUSY gives its event back; EPIPE tries the next listener', () => {
    const { p } = pool();
    const broken = port('broken', { epipe: true });
    const l = port('l');
    p.started(broken);
    p.started(l);
    p.output(broken, Buffer.from('READY\n'));
    p.output(l, Buffer.from('READY\n'));
    p.accept(ev(1));
    expect(l.got).toHaveLength(1);
    p.exited(l);
    p.started(l);
    p.output(l, Buffer.from('READY\n'));
    expect(l.got).toHaveLength(2);
    expect(l.got[1]).toBe(l.got[0]);
  });

  it('only RUNNING listeners get events, and a full buffer drops the oldest', () => {
    const { p, logger } = pool(2);
    const starting = port('s', { running: false });
    p.started(starting);
    p.output(starting, Buffer.from('READY\n'));
    p.accept(ev(1));
    p.accept(ev(2));
    p.accept(ev(3));
    expect(starting.got).toHaveLength(0);
    expect(p.queue.map((e) => e.serial)).toEqual([1, 2]);
    expect(logger.has('ERRO pool pool event buffer overflowed, discarding event 0')).toBe(true);
  });
});

describe('event types and envelope', () => {
  it('subscribing to a type includes its subtypes', () => {
    expect(isSubtype('PROCESS_STATE_EXITED', 'PROCESS_STATE')).toBe(true);
    expect(isSubtype('TICK_5', 'EVENT')).toBe(true);
    expect(isSubtype('TICK_5', 'PROCESS_STATE')).toBe(false);
  });
  it('len counts characters, not bytes', () => {
    expect(envelope('s', 1, 'p', 2, 'REMOTE_COMMUNICATION', 'type:x\nhé')).toBe('ver:3.0 server:s serial:1 pool:p poolserial:2 eventname:REMOTE_COMMUNICATION len:9\ntype:x\nhé');
  });
});
