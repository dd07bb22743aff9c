// Contracts between the engine and the logging module.

import type { LogLevelName } from '../config/types.js';

/** supervisord's activity log (its "main log"). Messages use supervisord's exact wording. */
export interface ActivityLogger {
  critical(msg: string): void;
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  trace(msg: string): void;
  blather(msg: string): void;
  isEnabled(level: LogLevelName): boolean;
  /** Path of the log file that readLog/maintail read, or null (syslog, stdout only). */
  readonly path: string | null;
  /** SIGUSR2: reopen (not rotate) the file. */
  reopen(): void;
  /** clearLog: remove the file and reopen. */
  clear(): void;
  close(): Promise<void>;
}

/**
 * One output channel (stdout or stderr) of one process, as supervisord's dispatcher+handlers do it:
 * strip_ansi, capture mode, PROCESS_LOG events, the log file with rotation, syslog, and (svinit's
 * `forward_output`, when asked for) a whole-line copy to svinit's own stdout, `name | ` labelled.
 */
export interface ChannelLog {
  /** The log file path for readProcessLog/tail, or null when NONE / syslog only. */
  readonly path: string | null;
  /** Bytes read from the child's pipe, verbatim. */
  write(chunk: Buffer): void;
  /** The child exited: flush partial lines and held-back capture tokens. */
  flush(): void;
  reopen(): void;
  clear(): void;
  close(): Promise<void>;
}
