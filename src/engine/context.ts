// What a Process needs from the daemon around it. The Supervisor provides it; tests fake it.

import type { CheckTarget } from '../config/depends.js';
import type { ProcessConfig } from '../config/types.js';
import type { ActivityLogger, ChannelLog } from '../logging/types.js';
import type { CheckOutcome } from './checks.js';
import type { GateResult } from './dependencies.js';
import type { Process } from './process.js';
import type { NotifyEndpoint } from './spawn-readiness.js';
import type { ProcessState } from './states.js';
import type { Channel, Clock, Spawner } from './types.js';

export interface ProcessContext {
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
  openChannelLog(proc: Process, channel: Channel): ChannelLog | null;
  /** Returns true when the chunk was consumed elsewhere (event-listener protocol on stdout). */
  routeOutput?(proc: Process, channel: Channel, chunk: Buffer): boolean;
  /** fd 0 for the child instead of a pipe (fcgi-program socket). */
  stdinFor?(proc: Process): number | import('node:net').Server | undefined;
  onStateChange(proc: Process, from: ProcessState, to: ProcessState, expected?: boolean): void;
  onSpawn?(proc: Process): void;
  onExit?(proc: Process): void;
  /** depends_on: may the process be spawned now (absent: always)? */
  startGate?(proc: Process): GateResult;
  /** One attempt of a ready_check (default: checks.ts with the program's environment). */
  runCheck?(proc: Process, target: CheckTarget, timeoutMs: number): Promise<CheckOutcome>;
  /** A pipe [readFd, writeFd] for notification_fd, or null when svinit cannot make one. */
  makePipe?(): [number, number] | null;
  /** A NOTIFY_SOCKET for one spawn (notify_socket=true), or null when svinit cannot make one. */
  openNotifySocket?(proc: Process, onDatagram: (text: string) => void): NotifyEndpoint | null;
  /** 'SIGTERM' → 'SIGTERM' (supervisord prints signal names with the SIG prefix). */
  signalName(sig: NodeJS.Signals): string;
  /** 15 → 'SIGTERM'. */
  signalNumberName(sig: number): string;
}
