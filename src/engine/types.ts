// The engine's seams: time, spawning, and the control API that the RPC layer maps onto.

import type { Readable, Writable } from 'node:stream';
import type { ProcessState, SupervisorState } from './states.js';

/** Injectable time so state-machine tests run on a fake clock. Times are in milliseconds. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
export type TimerHandle = { readonly id: unknown };

/** How a child ended, as waitpid reports it. */
export interface ExitInfo {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** Signal name (e.g. 'SIGTERM') when killed by a signal. */
  signal: NodeJS.Signals | null;
  coreDumped?: boolean;
}

export interface SpawnRequest {
  /** Resolved executable path. */
  file: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string | null;
  umask: number | null;
  uid: number | null;
  gid: number | null;
  /** Keep supplementary groups of `user` (supervisord's initgroups) when dropping privileges. */
  user: string | null;
  redirectStderr: boolean;
  /** What to put on the child's fd 0 instead of a pipe (fcgi-program's listening socket). */
  stdin?: number | import('node:net').Server;
  /** The child gets svinit's own fds 0-2 (single-command mode: the terminal, as under tini). */
  inheritStdio?: boolean;
  /** More descriptors for the child, each at exactly fd `target` (e.g. notification_fd). */
  extraFds?: { target: number; fd: number }[];
}

export interface ChildHandle {
  readonly pid: number;
  readonly stdin: Writable | null;
  /**
   * The child's output. A 'data' chunk may be a view on a buffer that the next read reuses: a
   * listener copies what it keeps beyond its call.
   */
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Called exactly once when the child has been reaped. */
  onExit(cb: (exit: ExitInfo) => void): void;
}

export interface Spawner {
  /** Forks and execs synchronously; throws a SpawnFailure when it cannot. */
  spawn(req: SpawnRequest): ChildHandle;
  /** kill(2): pid > 0 for one process, negative for a process group. */
  kill(pid: number, signal: number): void;
}

/** A spawn that failed before the child ran (supervisord's spawnerr cases around fork). */
export class SpawnFailure extends Error {
  constructor(
    message: string,
    public readonly errno?: string,
  ) {
    super(message);
    this.name = 'SpawnFailure';
  }
}

/** supervisord's getProcessInfo struct, without XML types. */
export interface ProcessInfo {
  name: string;
  group: string;
  start: number;
  stop: number;
  now: number;
  state: ProcessState;
  statename: string;
  spawnerr: string;
  exitstatus: number;
  logfile: string;
  stdout_logfile: string;
  stderr_logfile: string;
  pid: number;
  description: string;
}

/** supervisord's getAllConfigInfo struct. */
export interface ConfigInfo {
  autostart: boolean;
  directory: string;
  uid: number | string;
  command: string;
  exitcodes: number[];
  group: string;
  group_prio: number;
  inuse: boolean;
  killasgroup: boolean;
  name: string;
  process_prio: number;
  redirect_stderr: boolean;
  startretries: number;
  startsecs: number;
  stdout_capture_maxbytes: number;
  stdout_events_enabled: boolean;
  stdout_logfile: string;
  stdout_logfile_backups: number;
  stdout_logfile_maxbytes: number;
  stdout_syslog: boolean;
  stopsignal: number;
  stopwaitsecs: number;
  stderr_capture_maxbytes: number;
  stderr_events_enabled: boolean;
  stderr_logfile: string;
  stderr_logfile_backups: number;
  stderr_logfile_maxbytes: number;
  stderr_syslog: boolean;
  serverurl: string;
}

/** Result struct of group/all operations: status is a fault code, 80 = SUCCESS. */
export interface ProcessResult {
  name: string;
  group: string;
  status: number;
  description: string;
}

export type Channel = 'stdout' | 'stderr';

/**
 * The control operations of supervisord's rpcinterface, as the engine offers them. Every method
 * throws EngineError with supervisord's fault name where supervisord raises a Fault. Promises
 * resolve when supervisord's deferred ("wait") call would return.
 */
export interface SupervisorApi {
  readonly identifier: string;
  readonly pid: number;
  /** Fallback SUPERVISOR_SERVER_URL; set by the HTTP layer once servers are listening. */
  serverUrl: string | null;

  getState(): { statecode: SupervisorState; statename: string };
  /** Throws SHUTDOWN_STATE when the mood is not RUNNING (every supervisor.* except sendRemoteCommEvent). */
  assertRunning(): void;

  readMainLog(offset: number, length: number): string;
  clearMainLog(): void;
  shutdown(): void;
  restart(): void;

  reloadConfig(): { added: string[]; changed: string[]; removed: string[] };
  addProcessGroup(name: string): void;
  removeProcessGroup(name: string): void;

  startProcess(namespec: string, wait: boolean): Promise<true | ProcessResult[]>;
  startProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]>;
  startAllProcesses(wait: boolean): Promise<ProcessResult[]>;
  stopProcess(namespec: string, wait: boolean): Promise<true | ProcessResult[]>;
  stopProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]>;
  stopAllProcesses(wait: boolean): Promise<ProcessResult[]>;
  signalProcess(namespec: string, signal: string): true | ProcessResult[];
  signalProcessGroup(name: string, signal: string): ProcessResult[];
  signalAllProcesses(signal: string): ProcessResult[];

  getProcessInfo(namespec: string): ProcessInfo;
  getAllProcessInfo(): ProcessInfo[];
  getAllConfigInfo(): ConfigInfo[];

  readProcessLog(namespec: string, channel: Channel, offset: number, length: number): string;
  tailProcessLog(namespec: string, channel: Channel, offset: number, length: number): [string, number, boolean];
  /** Absolute path of a process's channel log, for /logtail; throws BAD_NAME / NO_FILE. */
  processLogPath(namespec: string, channel: Channel): string;
  clearProcessLogs(namespec: string): void;
  clearAllProcessLogs(): ProcessResult[];

  sendProcessStdin(namespec: string, chars: string): void;
  sendRemoteCommEvent(type: string, data: string): void;
}
