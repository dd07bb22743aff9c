// An event listener pool (supervisord's EventListenerPool + PEventListenerDispatcher): a bounded
// FIFO of events, and for each listener process the READY / BUSY / ACKNOWLEDGED / UNKNOWN protocol
// spoken over its stdin and stdout.

import type { ListenerPort } from '../engine/facts.js';
import { EventListenerState } from '../engine/states.js';
import type { ActivityLogger } from '../logging/types.js';
import { envelope } from './payload.js';
import { isSubtype, type SupervisorEvent } from './types.js';

const READY = Buffer.from('READY\n');
const RESULT = 'RESULT ';

interface Listener {
  port: ListenerPort;
  state: EventListenerState;
  buffer: Buffer;
  event: SupervisorEvent | null;
  resultLen: number | null;
  result: Buffer;
}

export interface PoolSettings {
  events: string[];
  bufferSize: number;
}

export class ListenerPool {
  readonly queue: SupervisorEvent[] = [];
  private serial = -1;
  private readonly listeners = new Map<ListenerPort, Listener>();
  /** Called when a listener breaks the protocol (svinit restarts it; supervisord leaves it be). */
  onUnknown: (port: ListenerPort) => void = () => undefined;

  constructor(
    readonly name: string,
    private readonly settings: PoolSettings,
    private readonly identifier: string,
    private readonly logger: ActivityLogger,
    private readonly nextGlobalSerial: () => number,
  ) {}

  subscribes(type: string): boolean {
    return this.settings.events.some((s) => isSubtype(type, s));
  }

  /** supervisord's _acceptEvent: serials on first acceptance, oldest dropped when full. */
  accept(event: SupervisorEvent, head = false): void {
    event.serial ??= this.nextGlobalSerial();
    event.poolSerials ??= new Map();
    if (!event.poolSerials.has(this.name)) event.poolSerials.set(this.name, ++this.serial);
    else this.logger.debug(`rebuffering event ${event.serial} for pool ${this.name} (buf size=${this.queue.length}, max=${this.settings.bufferSize})`);
    if (this.queue.length >= this.settings.bufferSize) {
      const dropped = this.queue.shift();
      if (dropped) this.logger.error(`pool ${this.name} event buffer overflowed, discarding event ${dropped.serial}`);
    }
    if (head) this.queue.unshift(event);
    else this.queue.push(event);
    this.dispatch();
  }

  /** A listener process was (re)spawned: it starts ACKNOWLEDGED, waiting for READY. */
  started(port: ListenerPort): void {
    this.listeners.set(port, { port, state: EventListenerState.ACKNOWLEDGED, buffer: Buffer.alloc(0), event: null, resultLen: null, result: Buffer.alloc(0) });
  }

  /** A listener died: an event it was busy with goes back to the head of the queue. */
  exited(port: ListenerPort): void {
    const l = this.listeners.get(port);
    if (!l) return;
    const event = l.event;
    l.event = null;
    l.state = EventListenerState.ACKNOWLEDGED;
    l.buffer = Buffer.alloc(0);
    if (event) this.accept(event, true);
  }

  output(port: ListenerPort, chunk: Buffer): void {
    const l = this.listeners.get(port);
    if (!l) return;
    l.buffer = Buffer.concat([l.buffer, chunk]);
    this.handleOutput(l);
    this.dispatch();
  }

  private changeState(l: Listener, to: EventListenerState): void {
    this.logger.debug(`${l.port.name}: ${EventListenerState[l.state]} -> ${EventListenerState[to]}`);
    l.state = to;
    if (to === EventListenerState.UNKNOWN) {
      this.logger.warn(
        `${l.port.name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`,
      );
      queueMicrotask(() => this.onUnknown(l.port));
    }
  }

  private reject(l: Listener): void {
    const event = l.event;
    l.event = null;
    if (event) this.accept(event, true);
  }

  /** supervisord's handle_listener_state_change, looping while the buffer holds decisions. */
  private handleOutput(l: Listener): void {
    for (;;) {
      const data = l.buffer;
      if (!data.length) return;
      if (l.state === EventListenerState.UNKNOWN) {
        l.buffer = Buffer.alloc(0);
        return;
      }
      if (l.state === EventListenerState.ACKNOWLEDGED) {
        if (data.length < READY.length) return;
        if (data.subarray(0, READY.length).equals(READY)) {
          this.changeState(l, EventListenerState.READY);
          l.buffer = data.subarray(READY.length);
          l.event = null;
          continue;
        }
        this.changeState(l, EventListenerState.UNKNOWN);
        l.buffer = Buffer.alloc(0);
        l.event = null;
        return;
      }
      if (l.state === EventListenerState.READY) {
        // Output while READY is a protocol violation.
        this.changeState(l, EventListenerState.UNKNOWN);
        l.buffer = Buffer.alloc(0);
        l.event = null;
        return;
      }
      // BUSY: a `RESULT <len>\n` line, then exactly len bytes.
      if (l.resultLen === null) {
        const nl = data.indexOf(0x0a);
        if (nl === -1) return;
        const line = data.subarray(0, nl).toString('latin1');
        l.buffer = data.subarray(nl + 1);
        const len = line.slice(RESULT.length).trim();
        if (!/^[-+]?\d+$/.test(len)) {
          this.logger.warn(`${l.port.name}: bad result line: '${line}'`);
          this.changeState(l, EventListenerState.UNKNOWN);
          l.buffer = Buffer.alloc(0);
          this.reject(l);
          return;
        }
        l.resultLen = Number(len);
        continue;
      }
      const needed = l.resultLen - l.result.length;
      if (needed > 0) {
        l.result = Buffer.concat([l.result, data.subarray(0, needed)]);
        l.buffer = data.subarray(needed);
      }
      if (l.result.length < l.resultLen) return;
      const ok = l.result.toString('latin1') === 'OK';
      l.result = Buffer.alloc(0);
      l.resultLen = null;
      if (ok) {
        this.logger.debug(`${l.port.name}: event was processed`);
        this.changeState(l, EventListenerState.ACKNOWLEDGED);
        l.event = null;
      } else {
        this.logger.warn(`${l.port.name}: event was rejected`);
        this.changeState(l, EventListenerState.ACKNOWLEDGED);
        this.reject(l);
      }
    }
  }

  /** Sends queued events to RUNNING + READY listeners until one cannot be placed. */
  dispatch(): void {
    while (this.queue.length) {
      const event = this.queue[0];
      const text = Buffer.from(envelope(this.identifier, event.serial!, this.name, event.poolSerials!.get(this.name)!, event.type, event.payload), 'utf8');
      let placed = false;
      for (const l of this.listeners.values()) {
        if (l.state !== EventListenerState.READY || !l.port.isRunning()) continue;
        if (!l.port.writeStdin(text)) {
          // EPIPE: leave that listener's state alone and try the next one.
          this.logger.debug(`epipe occurred while sending event ${event.serial} to listener ${l.port.name}, listener state unchanged`);
          continue;
        }
        this.queue.shift();
        l.state = EventListenerState.BUSY;
        l.event = event;
        this.logger.debug(`event ${event.serial} sent to listener ${l.port.name}`);
        placed = true;
        break;
      }
      if (!placed) return;
    }
  }

  listenerState(port: ListenerPort): EventListenerState | undefined {
    return this.listeners.get(port)?.state;
  }
}
