// Follows a growing log file for one /logtail or /mainlogtail response (supervisord's
// tail_f_producer): the last bytes first, then whatever is appended; a rotation (new inode) drains
// the old file and streams the new one from its start; a truncation says so and continues from 0.
//
// The file is read only as far as the response has room for: nothing is read while the client is
// not reading, so a stalled client costs at most `budget` bytes of svinit's memory from its very
// first byte, and no CPU. A client that falls further behind than the budget has the gap dropped
// when it catches up, with one marker line saying how many bytes it missed (supervisord buffers
// everything for it, without limit).
//
// fs.watch wakes the follower as soon as the file changes; a slow stat poll covers what inotify
// cannot see (the new file after a rotation, network filesystems). Idle cost: one stat per poll.

import fs from 'node:fs';

/** What a follower writes when the file shrank under it (it goes on from the new start). */
export const TRUNCATED_NOTICE = '==> File truncated <==\n';

/** Where the followed bytes go: room() is how many more it takes now; resume() is called by it. */
export interface TailSink {
  room(): number;
  write(b: Buffer): void;
}

export interface TailFollower {
  /** The sink has room again (its 'drain'). */
  resume(): void;
  close(): void;
}

export interface TailOptions {
  /** Bytes of the existing file sent first (supervisord's logtail: 1024). */
  initialBytes: number;
  /** A client further behind than this has the gap dropped (and marked) when it catches up. */
  budget: number;
  /** Stat poll period in ms (default 250). */
  pollMs?: number;
}

export const skippedMarker = (bytes: number) => `\n==> svinit: ${bytes} bytes skipped, the client read too slowly <==\n`;

const READ_CHUNK = 64 * 1024;

export function followTail(path: string, sink: TailSink, opts: TailOptions): TailFollower {
  const t = new Tail(path, sink, opts);
  return { resume: () => t.wake(), close: () => t.close() };
}

class Tail {
  private fd: number | null = null;
  private ino = -1;
  private pos = 0;
  private first = true;
  private closed = false;
  /** The sink ran out of room since the last catch-up. */
  private stalled = false;
  /** Bytes dropped for this client, not yet reported. */
  private skipped = 0;
  private scheduled: NodeJS.Immediate | null = null;
  private watcher: fs.FSWatcher | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly sink: TailSink,
    private readonly opts: TailOptions,
  ) {
    this.timer = setInterval(() => this.wake(), opts.pollMs ?? 250);
    this.timer.unref();
    this.check();
  }

  wake(): void {
    if (!this.closed && !this.scheduled) this.scheduled = setImmediate(() => this.check());
  }

  close(): void {
    this.closed = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    this.unwatch();
    clearInterval(this.timer);
    this.closeFd();
  }

  private emit(b: Buffer): void {
    try {
      this.sink.write(b);
    } catch {
      // The consumer is gone (e.g. the HTTP response failed): stop following.
      this.close();
    }
  }

  private size(): number {
    return this.fd === null ? 0 : fs.fstatSync(this.fd).size;
  }

  /** The client caught up after a stall: drop what it is too far behind, and say so. */
  private catchUp(): void {
    if (!this.stalled) return;
    this.stalled = false;
    const behind = this.size() - this.pos;
    if (behind > this.opts.budget) {
      this.skipped += behind;
      this.pos += behind;
    }
    if (this.skipped) {
      const n = this.skipped;
      this.skipped = 0;
      this.emit(Buffer.from(skippedMarker(n)));
    }
  }

  /**
   * Reads from pos to the size the file has now, never more than the sink has room for. Bytes
   * appended meanwhile wake the follower again; a device (size 0, e.g. /dev/null) is never read.
   */
  private drain(): void {
    const end = this.size();
    while (this.fd !== null && !this.closed && this.pos < end) {
      const room = this.sink.room();
      if (room <= 0) {
        this.stalled = true;
        return;
      }
      const want = Math.min(READ_CHUNK, room, end - this.pos);
      const buf = Buffer.allocUnsafe(want);
      const n = fs.readSync(this.fd, buf, 0, want, this.pos);
      if (n <= 0) return;
      this.pos += n;
      this.emit(n === want ? buf : buf.subarray(0, n));
    }
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    this.fd = null;
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** The first file starts with its last bytes; a file that replaced it streams from its start;
   * the same file reopened after an error continues where it was. */
  private open(): void {
    const fd = fs.openSync(this.path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    this.fd = fd;
    const st = fs.fstatSync(fd);
    const { size, ino } = st;
    if (this.first) this.pos = Math.max(0, size - this.opts.initialBytes);
    else if (ino !== this.ino) this.pos = 0;
    this.ino = ino;
    this.first = false;
    this.unwatch();
    // inotify reports every write to a device such as /dev/null, by anyone: the poll suffices.
    if (!st.isFile()) return;
    try {
      const w = fs.watch(this.path, { persistent: false }, () => this.wake());
      w.on('error', () => this.unwatch());
      this.watcher = w;
    } catch {
      /* the poll covers it */
    }
  }

  private check(): void {
    this.scheduled = null;
    if (this.closed) return;
    try {
      const st = statOrNull(this.path);
      if (this.fd !== null && st?.ino !== this.ino) {
        // Rotated away: what was appended to the old file before the rename still goes out, as
        // far as the client takes it; the rest of the old file counts as skipped.
        this.drain();
        if (this.stalled) this.skipped += Math.max(0, this.size() - this.pos);
        this.closeFd();
      }
      if (!st || this.closed) return;
      if (this.fd === null) this.open();
      else if (this.size() < this.pos) {
        this.emit(Buffer.from(TRUNCATED_NOTICE));
        this.pos = 0;
      }
      if (this.sink.room() > 0) this.catchUp();
      this.drain();
    } catch {
      // A read error: start again from the path on the next wake-up.
      this.closeFd();
    }
  }
}

/** Missing for now, e.g. between a rotation's rename and the new file. */
function statOrNull(path: string): fs.Stats | null {
  try {
    return fs.statSync(path);
  } catch {
    return null;
  }
}
