// The event bus beside the engine: turns the engine's facts into supervisord events, numbers
// them, feeds every subscribed listener pool, and emits TICK_5/60/3600 at period boundaries with
// one timer (not a poll).

import type { EventEmitter } from 'node:events';
import type { EventListenerSettings } from '../config/types.js';
import { realClock } from '../engine/clock.js';
import type { EngineFacts, ListenerPort } from '../engine/facts.js';
import type { Clock, TimerHandle } from '../engine/types.js';
import type { ActivityLogger } from '../logging/types.js';
import { processCommunicationEvent, processLogEvent, processStateEvent } from './payload.js';
import { ListenerPool } from './pool.js';
import type { SupervisorEvent } from './types.js';

const TICKS = [5, 60, 3600];

export interface EventBusOptions {
  identifier: string;
  logger: ActivityLogger;
  /** The engine's clock (a fake one in tests). */
  clock?: Clock;
}

export class EventBus {
  private readonly pools = new Map<string, ListenerPool>();
  private serial = -1;
  private tickTimer: TimerHandle | null = null;
  private lastTicks = new Map<number, number>();
  private readonly clock: Clock;
  private running = false;
  /** A listener broke the protocol and is UNKNOWN: the daemon restarts it. */
  onListenerUnknown: (port: ListenerPort) => void = () => undefined;

  constructor(private readonly opts: EventBusOptions) {
    this.clock = opts.clock ?? realClock;
  }

  attach(facts: EventEmitter<EngineFacts>): void {
    facts.on('processState', (f) => {
      const e = processStateEvent(f);
      if (e) this.notify(e.type, e.payload);
      // A listener reaching RUNNING can take events now.
      this.pools.get(f.group)?.dispatch();
    });
    facts.on('processLog', (f) => {
      const e = processLogEvent(f);
      this.notify(e.type, e.payload);
    });
    facts.on('processCommunication', (f) => {
      const e = processCommunicationEvent(f);
      this.notify(e.type, e.payload);
    });
    facts.on('supervisorState', (s) => {
      this.notify(s === 'RUNNING' ? 'SUPERVISOR_STATE_CHANGE_RUNNING' : 'SUPERVISOR_STATE_CHANGE_STOPPING', '');
      this.running = s === 'RUNNING';
      if (this.running) this.startTicks();
    });
    facts.on('groupAdded', (g) => this.notify('PROCESS_GROUP_ADDED', `groupname:${g}\n`));
    facts.on('groupRemoved', (g) => this.notify('PROCESS_GROUP_REMOVED', `groupname:${g}\n`));
    facts.on('remoteCommunication', ({ type, data }) => this.notify('REMOTE_COMMUNICATION', `type:${type}\n${data}`));
    facts.on('listenerStarted', (port) => this.pools.get(port.group)?.started(port));
    facts.on('listenerOutput', (port, chunk) => this.pools.get(port.group)?.output(port, chunk));
    facts.on('listenerExited', (port) => this.pools.get(port.group)?.exited(port));
  }

  addPool(name: string, settings: EventListenerSettings): void {
    const pool = new ListenerPool(name, { events: settings.events, bufferSize: settings.bufferSize }, this.opts.identifier, this.opts.logger, () => ++this.serial);
    pool.onUnknown = (port) => this.onListenerUnknown(port);
    this.pools.set(name, pool);
    if (this.running) this.startTicks();
  }

  removePool(name: string): void {
    this.pools.delete(name);
  }

  pool(name: string): ListenerPool | undefined {
    return this.pools.get(name);
  }

  /** Offers an event to every pool subscribed to its type (or a parent type). */
  notify(type: string, payload: string): void {
    let event: SupervisorEvent | null = null;
    for (const pool of this.pools.values()) {
      if (!pool.subscribes(type)) continue;
      event ??= { type, payload };
      pool.accept(event);
    }
  }

  /** supervisord's tick(): one event per period when the wall clock enters a new timeslice. */
  private startTicks(): void {
    // No listener wants ticks: no timer, so an idle svinit sleeps.
    if (this.tickTimer || ![...this.pools.values()].some((p) => TICKS.some((t) => p.subscribes(`TICK_${t}`)))) return;
    const nowS = Math.floor(this.clock.now() / 1000);
    for (const p of TICKS) this.lastTicks.set(p, nowS - (nowS % p));
    this.scheduleTick();
  }

  private scheduleTick(): void {
    const nowMs = this.clock.now();
    const next = Math.min(...TICKS.map((p) => (this.lastTicks.get(p)! + p) * 1000));
    this.tickTimer = this.clock.setTimeout(() => this.tick(), Math.max(0, next - nowMs) + 5);
  }

  tick(): void {
    const nowS = Math.floor(this.clock.now() / 1000);
    for (const p of TICKS) {
      const slice = nowS - (nowS % p);
      if (slice !== this.lastTicks.get(p)) {
        this.lastTicks.set(p, slice);
        this.notify(`TICK_${p}`, `when:${slice}`);
      }
    }
    this.scheduleTick();
  }

  close(): void {
    if (this.tickTimer) this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = null;
  }
}
