// What a Process needs from the daemon around it. The Supervisor provides it; tests fake it.
// Generic over the process type (P is always Process) so that this file and process.ts do not
// import each other.

import type { CheckTarget } from '../config/depends.js';
import type { ProcessConfig } from '../config/types.js';
import type { ActivityLogger, ChannelLog } from '../logging/types.js';
import type { CheckOutcome } from './checks.js';
import type { GateResult } from './dependencies.js';
import type { ProcessState } from './states.js';
import type { Channel, Clock, Spawner } from './types.js';

/** A program's NOTIFY_SOCKET: where it is, and how to close it. */
export interface NotifyEndpoint {
  path: string;
  close(): void;
}

export interface ProcessContext<P> {
  clock: Clock;
  spawner: Spawner;
  logger: ActivityLogger;
  /** svinit's own environment (for PATH lookup). */
  env: NodeJS.ProcessEnv;
  /** True while supervisord's mood is RUNNING: no automatic spawns otherwise. */
  moodRunning(): boolean;
  childEnv(config: ProcessConfig): Record<string, string>;
  /** Checks done in supervisord's child before exec (chdir, setuid); returns the failure line or null. */
  checkChildSetup(config: ProcessConfig): string | null;
  openChannelLog(proc: P, channel: Channel): ChannelLog | null;
  /** Sees every output chunk before it is logged (an event listener's stdout feeds its pool). */
  onOutput?(proc: P, channel: Channel, chunk: Buffer): void;
  /** fd 0 for the child instead of a pipe (fcgi-program socket). */
  stdinFor?(proc: P): number | import('node:net').Server | undefined;
  onStateChange(proc: P, from: ProcessState, to: ProcessState, expected?: boolean): void;
  onSpawn?(proc: P): void;
  onExit?(proc: P): void;
  /** depends_on: may the process be spawned now (absent: always)? */
  startGate?(proc: P): GateResult;
  /** One attempt of a ready_check (default: checks.ts with the program's environment). */
  runCheck?(proc: P, target: CheckTarget, timeoutMs: number): Promise<CheckOutcome>;
  /** A pipe [readFd, writeFd] for notification_fd, or null when svinit cannot make one. */
  makePipe?(): [number, number] | null;
  /** A NOTIFY_SOCKET for one spawn (notify_socket=true), or null when svinit cannot make one. */
  openNotifySocket?(proc: P, onDatagram: (text: string) => void): NotifyEndpoint | null;
}
