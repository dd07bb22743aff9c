// Follows a growing log file for /logtail and /mainlogtail (supervisord's http.py logtail handlers): the last bytes first, then
// whatever is appended; a rotation (new inode) reopens and streams the new file from its start; a
// truncation says so and continues from 0. svinit keeps the old file open across a rotation and
// drains it first, so the bytes written just before the rename are not skipped.
//
// fs.watch wakes the follower as soon as the file changes; a slow stat poll covers what inotify
// cannot see (the new file after a rotation, network filesystems). Idle cost: one stat per poll.

import fs from 'node:fs';

export interface Follower {
  close(): void;
}

export interface FollowOptions {
  /** Bytes of the existing file sent first (default 1024, as supervisord's logtail). */
  initialBytes?: number;
  /** Stat poll period in ms (default 250). */
  pollMs?: number;
}

export const TRUNCATED_NOTICE = '==> File truncated <==\n';
const READ_CHUNK = 64 * 1024;

export function followFile(path: string, onData: (b: Buffer) => void, opts: FollowOptions = {}): Follower {
  const initial = opts.initialBytes ?? 1024;
  let fd: number | null = null;
  let ino = -1;
  let pos = 0;
  let first = true;
  let closed = false;
  let scheduled: NodeJS.Immediate | null = null;
  let watcher: fs.FSWatcher | null = null;

  const emit = (b: Buffer) => {
    try {
      onData(b);
    } catch {
      // The consumer is gone (e.g. the HTTP response failed): stop following.
      close();
    }
  };

  /** Reads from pos to the current end of the open file. */
  const drain = () => {
    while (fd !== null && !closed) {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      const n = fs.readSync(fd, buf, 0, READ_CHUNK, pos);
      if (n <= 0) return;
      pos += n;
      emit(buf.subarray(0, n));
    }
  };

  const closeFd = () => {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    fd = null;
  };

  const watch = () => {
    watcher?.close();
    watcher = null;
    try {
      watcher = fs.watch(path, { persistent: false }, schedule);
      watcher.on('error', () => {
        watcher?.close();
        watcher = null;
      });
    } catch {
      /* the poll covers it */
    }
  };

  const open = () => {
    fd = fs.openSync(path, 'r');
    const st = fs.fstatSync(fd);
    // The first file starts with its last bytes; a file that replaced it streams from its start;
    // the same file reopened after an error continues where it was.
    if (first) pos = Math.max(0, st.size - initial);
    else if (st.ino !== ino) pos = 0;
    ino = st.ino;
    first = false;
    watch();
  };

  const check = () => {
    scheduled = null;
    if (closed) return;
    try {
      let st: fs.Stats | null = null;
      try {
        st = fs.statSync(path);
      } catch {
        /* missing for now (between a rotation's rename and the new file) */
      }
      if (fd !== null && (!st || st.ino !== ino)) {
        // Rotated away: what was appended to the old file before the rename still goes out.
        drain();
        closeFd();
      }
      if (!st || closed) return;
      if (fd === null) open();
      else if (fs.fstatSync(fd).size < pos) {
        emit(Buffer.from(TRUNCATED_NOTICE));
        pos = 0;
      }
      drain();
    } catch {
      // A read error: start again from the path on the next wake-up.
      closeFd();
    }
  };

  function schedule() {
    if (!closed && !scheduled) scheduled = setImmediate(check);
  }

  function close() {
    closed = true;
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    watcher?.close();
    watcher = null;
    clearInterval(timer);
    closeFd();
  }

  const timer = setInterval(schedule, opts.pollMs ?? 250);
  timer.unref();
  check();
  return { close };
}
