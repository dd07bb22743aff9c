// Readiness of one spawn of a program (docs/dependencies.md): a check polled on the Clock, a
// regex matched against output lines as the bytes arrive, s6's notification fd (a newline means
// ready, end-of-file before one means never), or systemd's sd_notify datagrams. Whichever way,
// ready_timeout bounds the wait: not ready in time is a failed start, like exiting too quickly.

import type { Readable } from 'node:stream';
import { describeCheckTarget, type CheckTarget, type Readiness } from '../config/depends.js';
import type { CheckOutcome } from './checks.js';
import type { Channel, Clock, TimerHandle } from './types.js';

export interface ReadinessDeps {
  clock: Clock;
  /** One attempt of a check (checks.ts's runCheck with the program's environment). */
  runCheck(target: CheckTarget, timeoutMs: number): Promise<CheckOutcome>;
  /** The program is ready; `how` says why, for the activity log. */
  onReady(how: string): void;
  /** It will not become ready this time (ready_timeout, or the notification fd closed). */
  onNotReady(why: string): void;
  /** sd_notify STATUS=…: shown in the status description. */
  onStatus?(text: string): void;
}

/** A line longer than this is matched by its last part only (the buffer must stay bounded). */
const MAX_LINE_BYTES = 64 * 1024;

export class ReadinessWatch {
  private done = false;
  private timeoutTimer: TimerHandle | null = null;
  private pollTimer: TimerHandle | null = null;
  private lastDetail = '';
  private partial: Record<Channel, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  private readonly regex: RegExp | null;

  constructor(
    private readonly readiness: Readiness,
    private readonly deps: ReadinessDeps,
  ) {
    this.regex = readiness.method.kind === 'log' ? new RegExp(readiness.method.regex) : null;
  }

  get settled(): boolean {
    return this.done;
  }

  /** Called right after the spawn: arms ready_timeout and starts polling a check. */
  begin(): void {
    const { clock } = this.deps;
    this.timeoutTimer = clock.setTimeout(() => {
      this.timeoutTimer = null;
      const detail = this.lastDetail ? `: ${this.lastDetail}` : '';
      this.settle(() => this.deps.onNotReady(`not ready within ${this.readiness.timeoutSecs} seconds (ready_timeout)${detail}`));
    }, this.readiness.timeoutSecs * 1000);
    if (this.readiness.method.kind === 'check') this.poll(this.readiness.method.target, this.readiness.method.intervalSecs * 1000);
  }

  private poll(target: CheckTarget, intervalMs: number): void {
    if (this.done) return;
    const started = this.deps.clock.now();
    // Each attempt may take up to an interval (at least a second: a slow handshake is not "no").
    void this.deps.runCheck(target, Math.max(1000, intervalMs)).then((outcome) => {
      if (this.done) return;
      if (outcome.ok) return this.settle(() => this.deps.onReady(`ready_check ${describeCheckTarget(target)} succeeded`));
      this.lastDetail = outcome.detail;
      const wait = Math.max(0, started + intervalMs - this.deps.clock.now());
      this.pollTimer = this.deps.clock.setTimeout(() => {
        this.pollTimer = null;
        this.poll(target, intervalMs);
      }, wait);
    });
  }

  /** Output of the program, for ready_log_regex; lines are matched as soon as they are complete. */
  output(channel: Channel, chunk: Buffer): void {
    if (this.done || !this.regex) return;
    let buf = this.partial[channel].length ? Buffer.concat([this.partial[channel], chunk]) : chunk;
    let nl: number;
    while ((nl = buf.indexOf(10)) !== -1) {
      const line = buf.subarray(0, nl).toString('utf8').replace(/\r$/, '');
      buf = buf.subarray(nl + 1);
      if (this.regex.test(line)) {
        this.partial[channel] = Buffer.alloc(0);
        return this.settle(() => this.deps.onReady(`${channel} line matched ready_log_regex: ${line.slice(0, 200)}`));
      }
    }
    this.partial[channel] = Buffer.from(buf.length > MAX_LINE_BYTES ? buf.subarray(buf.length - MAX_LINE_BYTES) : buf);
  }

  /** s6's notification fd: the read end of the pipe on the program's fd N. */
  watchNotificationFd(stream: Readable): void {
    stream.on('data', (chunk: Buffer) => {
      if (chunk.includes(10)) {
        this.settle(() => this.deps.onReady(`wrote a newline to notification_fd`));
        stream.destroy();
      }
    });
    stream.on('end', () => this.settle(() => this.deps.onNotReady('closed notification_fd without writing a newline')));
    stream.on('error', () => undefined);
  }

  /** One sd_notify datagram: newline-separated VAR=value assignments. */
  notifyMessage(datagram: Buffer): void {
    for (const line of datagram.toString('utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq === -1) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      if (key === 'STATUS') this.deps.onStatus?.(value);
      else if (key === 'READY' && value === '1') this.settle(() => this.deps.onReady('sent READY=1 to NOTIFY_SOCKET'));
    }
  }

  /** The spawn ended (exit, stop): nothing more may be reported. */
  cancel(): void {
    this.done = true;
    this.clearTimers();
  }

  private settle(report: () => void): void {
    if (this.done) return;
    this.done = true;
    this.clearTimers();
    report();
  }

  private clearTimers(): void {
    if (this.timeoutTimer) this.deps.clock.clearTimeout(this.timeoutTimer);
    if (this.pollTimer) this.deps.clock.clearTimeout(this.pollTimer);
    this.timeoutTimer = this.pollTimer = null;
  }
}
