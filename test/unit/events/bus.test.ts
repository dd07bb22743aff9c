// The event bus on the engine's clock: TICK events at period boundaries, driven by a fake clock.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EngineFacts } from '../../../src/engine/facts.js';
import { EventBus } from '../../../src/events/bus.js';
import type { SupervisorEvent } from '../../../src/events/types.js';
import { MemoryLogger } from '../../helpers/engine-fakes.js';
import { FakeClock } from '../../helpers/fake-clock.js';

function busWithPool(clock: FakeClock, events: string[]): { bus: EventBus; facts: EventEmitter<EngineFacts>; got: SupervisorEvent[] } {
  const bus = new EventBus({ identifier: 'supervisor', logger: new MemoryLogger(), clock });
  const facts = new EventEmitter<EngineFacts>();
  bus.attach(facts);
  bus.addPool('listener', { events, bufferSize: 10, resultHandler: 'supervisor.dispatchers:default_handler' });
  const got: SupervisorEvent[] = [];
  bus.pool('listener')!.accept = (e) => void got.push(e);
  return { bus, facts, got };
}

describe('EventBus ticks', () => {
  it('emits TICK_5 each time the clock enters a new 5-second slice, once RUNNING', () => {
    const clock = new FakeClock(1_700_000_001_000); // 1 s into a 5 s slice
    const { bus, facts, got } = busWithPool(clock, ['TICK_5']);
    clock.advance(10_000);
    expect(got).toEqual([]); // not RUNNING yet: no timer
    facts.emit('supervisorState', 'RUNNING');
    clock.advance(4_100);
    expect(got.map((e) => [e.type, e.payload])).toEqual([['TICK_5', 'when:1700000015']]);
    clock.advance(10_000);
    expect(got.map((e) => e.payload)).toEqual(['when:1700000015', 'when:1700000020', 'when:1700000025']);
    bus.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('arms no timer when no pool wants ticks', () => {
    const clock = new FakeClock();
    const { facts } = busWithPool(clock, ['PROCESS_STATE']);
    facts.emit('supervisorState', 'RUNNING');
    expect(clock.pendingTimers()).toBe(0);
  });
});
