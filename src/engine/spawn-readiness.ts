// What one spawn of a program with readiness configured needs around the fork: the pipe whose
// write end becomes notification_fd, or the NOTIFY_SOCKET datagram socket (made before the fork,
// released if it fails), and the ReadinessWatch that decides "ready" or "never ready" after it.

import fs from 'node:fs';
import net from 'node:net';
import type { Readiness } from '../config/depends.js';
import type { ProcessConfig } from '../config/types.js';
import { runCheck } from './checks.js';
import type { NotifyEndpoint, ProcessContext } from './context.js';
import { ReadinessWatch } from './readiness.js';
import { SpawnFailure, type Channel } from './types.js';


export interface SpawnAdditions {
  extraFds?: { target: number; fd: number }[];
  env?: Record<string, string>;
}

/** P is always Process (generic so that this file and process.ts do not import each other). */
export class SpawnReadiness<P extends { config: ProcessConfig }> {
  private pipe: [number, number] | null = null;
  private pipeStream: net.Socket | null = null;
  private socket: NotifyEndpoint | null = null;
  private watch: ReadinessWatch | null = null;
  /** The program's last sd_notify STATUS= text. */
  status: string | null = null;

  constructor(
    private readonly proc: P,
    private readonly ctx: ProcessContext<P>,
    private readonly readiness: Readiness,
    private readonly onReady: (how: string) => void,
    private readonly onNotReady: (why: string) => void,
  ) {}

  /** Before the fork. Throws a SpawnFailure when the pipe or socket cannot be made. */
  prepare(): SpawnAdditions {
    const method = this.readiness.method;
    if (method.kind === 'fd') {
      this.pipe = this.ctx.makePipe?.() ?? null;
      if (!this.pipe) throw new SpawnFailure(`couldn't make the pipe for notification_fd ${method.fd}`, 'CHILD');
      return { extraFds: [{ target: method.fd, fd: this.pipe[1] }] };
    }
    if (method.kind === 'notify') {
      this.socket = this.ctx.openNotifySocket?.(this.proc, (text) => this.watch?.notifyMessage(Buffer.from(text))) ?? null;
      if (!this.socket) throw new SpawnFailure("couldn't open NOTIFY_SOCKET (it needs svinit's native addon)", 'CHILD');
      return { env: { NOTIFY_SOCKET: this.socket.path } };
    }
    return {};
  }

  /** The fork failed: release what prepare() made. */
  abandon(): void {
    for (const fd of this.pipe ?? []) closeQuietly(fd);
    this.pipe = null;
    this.close();
  }

  /** After the fork: ready_timeout starts now. */
  begin(): void {
    const { ctx, proc } = this;
    const pc = proc.config;
    const watch = new ReadinessWatch(this.readiness, {
      clock: ctx.clock,
      runCheck: (target, timeoutMs) =>
        ctx.runCheck ? ctx.runCheck(proc, target, timeoutMs) : runCheck(target, { timeoutMs, env: ctx.childEnv(pc), cwd: pc.directory, uid: pc.uid, gid: pc.gid }),
      onReady: this.onReady,
      onNotReady: this.onNotReady,
      onStatus: (text) => (this.status = text),
    });
    this.watch = watch;
    if (this.pipe) {
      // The child has its own copy of the write end; ours must go so end-of-file can be seen.
      closeQuietly(this.pipe[1]);
      this.pipeStream = new net.Socket({ fd: this.pipe[0], readable: true, writable: false });
      this.pipe = null;
      watch.watchNotificationFd(this.pipeStream);
    }
    watch.begin();
  }

  output(channel: Channel, chunk: Buffer): void {
    this.watch?.output(channel, chunk);
  }

  /** The spawn is over (exit or removal): nothing more is reported. */
  close(): void {
    this.watch?.cancel();
    this.watch = null;
    this.pipeStream?.destroy();
    this.pipeStream = null;
    this.socket?.close();
    this.socket = null;
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    /* already closed */
  }
}
