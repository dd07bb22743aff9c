// A process's output plumbing for one spawn: the channel logs opened before the fork, the child's
// stdout/stderr piped into them (and into the in-memory tails), closed once both pipes end.

import type { TailBuffer } from '../logging/tail-buffer.js';
import type { ChannelLog } from '../logging/types.js';
import type { Channel, ChildHandle } from './types.js';

export interface OutputOwner {
  readonly redirectStderr: boolean;
  /** The in-memory tails of channels without a readable log file. */
  readonly tails: Record<Channel, TailBuffer | null>;
  openChannelLog(channel: Channel): ChannelLog | null;
  /** Sees every chunk before it is logged. */
  onOutput(channel: Channel, chunk: Buffer): void;
  /** Sees every chunk after it is logged (ready_log_regex). */
  afterLog?(channel: Channel, chunk: Buffer): void;
}

export class ProcessOutput {
  private logs: Partial<Record<Channel, ChannelLog>> = {};

  constructor(private readonly owner: OutputOwner) {}

  /** Opens the logs of the next spawn (stderr goes to the stdout log with redirect_stderr). */
  open(): void {
    this.logs = {};
    for (const channel of ['stdout', 'stderr'] as const) {
      if (channel === 'stderr' && this.owner.redirectStderr) continue;
      const log = this.owner.openChannelLog(channel);
      if (log) this.logs[channel] = log;
    }
  }

  close(): void {
    closeAll(this.logs);
    this.logs = {};
  }

  /** Text a failed spawn leaves in the process log, where supervisord's child writes it. */
  writeFailure(text: string): void {
    (this.logs.stderr ?? this.logs.stdout)?.write(Buffer.from(text));
  }

  /** Pipes the child's output; the logs of this spawn close when both pipes have ended. */
  attach(child: ChildHandle): void {
    const logs = this.logs;
    const { tails, redirectStderr } = this.owner;
    let open = 0;
    const closeWhenDrained = () => {
      // Output can outlive the exit (a grandchild may hold the pipe), so logs close on end-of-stream.
      if (--open === 0) closeAll(logs);
    };
    for (const channel of ['stdout', 'stderr'] as const) {
      const stream = child[channel];
      if (!stream) continue;
      open++;
      // redirect_stderr: both pipes land in the stdout log.
      const log = logs[channel] ?? (redirectStderr ? logs.stdout : undefined);
      const tail = tails[channel] ?? (redirectStderr ? tails.stdout : null);
      stream.on('data', (chunk: Buffer) => {
        this.owner.onOutput(channel, chunk);
        log?.write(chunk);
        tail?.write(chunk);
        this.owner.afterLog?.(channel, chunk);
      });
      stream.on('end', closeWhenDrained);
      stream.on('error', () => undefined);
    }
    if (open === 0) this.close();
  }

  /** USR2: reopen the current spawn's log files. */
  reopen(): void {
    for (const log of Object.values(this.logs)) log.reopen();
  }

  clear(): void {
    for (const log of Object.values(this.logs)) log.clear();
  }
}

function closeAll(logs: Partial<Record<Channel, ChannelLog>>): void {
  for (const log of Object.values(logs)) {
    log.flush();
    void log.close();
  }
}
