// Facts the engine emits. The events module (src/events/) subscribes to them, formats
// supervisord's event payloads and routes them to listener pools; the engine never formats events.

import type { ProcessState } from './states.js';
import type { Channel } from './types.js';

export interface ProcessStateFact {
  name: string;
  group: string;
  from: ProcessState;
  to: ProcessState;
  /** pid as it was when the transition happened (old pid for EXITED/STOPPED, 0 if none). */
  pid: number;
  /** supervisord's `backoff` counter at the transition (tries:). */
  tries: number;
  /** For EXITED: whether the exit status was in exitcodes. */
  expected?: boolean;
}

export interface ProcessOutputFact {
  name: string;
  group: string;
  pid: number;
  channel: Channel;
  data: Buffer;
}

/** A port onto one running event-listener process, given to the event bus. */
export interface ListenerPort {
  readonly name: string;
  readonly group: string;
  readonly pid: number;
  /** True when the process state is RUNNING (listeners only get events after startsecs). */
  isRunning(): boolean;
  /** Write to the listener's stdin; false when it cannot be written (no stdin, EPIPE). */
  writeStdin(data: Buffer): boolean;
}

export interface EngineFacts {
  processState: [ProcessStateFact];
  /** PROCESS_LOG_* source: emitted per chunk only when <channel>_events_enabled. */
  processLog: [ProcessOutputFact];
  /** PROCESS_COMMUNICATION_* source: a completed capture-mode block. */
  processCommunication: [ProcessOutputFact];
  supervisorState: ['RUNNING' | 'STOPPING'];
  /** svinit is going to exit (SIGTERM, supervisor.shutdown), also when a restart was under way. */
  shutdownRequested: [];
  groupAdded: [string];
  groupRemoved: [string];
  remoteCommunication: [{ type: string; data: string }];
  /** An event-listener process was spawned (its stdout is routed to listenerOutput, not to facts). */
  listenerStarted: [ListenerPort];
  listenerOutput: [ListenerPort, Buffer];
  listenerExited: [ListenerPort];
}
