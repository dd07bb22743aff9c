// What supervisord's Subprocess knows about one process, apart from what it does (process.ts):
// its state, timestamps and retry counters, how its last spawn and run ended, where its output
// goes, and what svinit's own features note about it. Fields keep supervisord's names.

import type { ProcessConfig } from '../config/types.js';
import type { TailBuffer } from '../logging/tail-buffer.js';
import { ProcessState } from './states.js';
import type { Channel, ExitInfo } from './types.js';

export class ProcessRecord {
  state: ProcessState = ProcessState.STOPPED;
  pid = 0;
  /** Epoch ms; 0 = never. */
  laststart = 0;
  laststop = 0;
  /** Epoch ms deadline used by STARTING (startsecs), BACKOFF (retry) and STOPPING (SIGKILL). */
  delay = 0;
  backoff = 0;
  spawnerr: string | null = null;
  exitstatus: number | null = null;
  /** How the last run ended (the signal is needed for single-command mode's 128+n). */
  lastExit: ExitInfo | null = null;
  killing = false;
  administrativeStop = false;
  systemStop = false;
  /** Resolved log file paths (AUTO already turned into a file in childlogdir). */
  logPaths: Record<Channel, string | null> = { stdout: null, stderr: null };
  /** The last output of a channel without a log file, for the log-reading calls. */
  tails: Record<Channel, TailBuffer | null> = { stdout: null, stderr: null };
  /** Bytes read from the child's stdout and stderr pipes over all its runs (for /metrics). */
  outputBytes: Record<Channel, number> = { stdout: 0, stderr: 0 };
  /** Extra status text for the description (the last failed liveness check), or null. */
  statusNote: string | null = null;
  /** depends_on: what a held-back process waits for (its status description), or null. */
  waitingFor: string | null = null;
  /** `start` was asked while dependencies were not ready: spawn once they are. */
  startRequested = false;
  /** Why the last spawn never became ready (ready_timeout, notification fd closed), or null. */
  readyFailure: string | null = null;
  /** Why the last spawn attempt failed before the program ran (errno name), for essential's exit code. */
  lastSpawnError: string | null = null;

  /** The pid a just-exited process had, while its exit transition is being reported. */
  exitPid = 0;

  constructor(public config: ProcessConfig) {}

  get name(): string {
    return this.config.name;
  }

  get group(): string {
    return this.config.groupName;
  }
}
