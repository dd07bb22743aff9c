// Follows a growing log file for /logtail and /mainlogtail (spec §3.8): the last bytes first, then
// whatever is appended; a rotation (new inode) reopens from the start; a truncation says so.

import fs from 'node:fs';

export interface Follower {
  close(): void;
}

export function followFile(path: string, onData: (b: Buffer) => void, opts: { initialBytes?: number; pollMs?: number } = {}): Follower {
  const initial = opts.initialBytes ?? 1024;
  let ino = -1;
  let pos = 0;
  let closed = false;
  const readFrom = (start: number, end: number) => {
    if (end <= start) return;
    const fd = fs.openSync(path, 'r');
    try {
      const buf = Buffer.alloc(end - start);
      const n = fs.readSync(fd, buf, 0, buf.length, start);
      if (n > 0) onData(buf.subarray(0, n));
      pos = start + n;
    } finally {
      fs.closeSync(fd);
    }
  };
  const check = () => {
    if (closed) return;
    let st: fs.Stats;
    try {
      st = fs.statSync(path);
    } catch {
      return;
    }
    if (ino === -1) {
      ino = st.ino;
      readFrom(Math.max(0, st.size - initial), st.size);
      return;
    }
    if (st.ino !== ino) {
      ino = st.ino;
      pos = 0;
    } else if (st.size < pos) {
      onData(Buffer.from('==> File truncated <==\n'));
      pos = 0;
    }
    readFrom(pos, st.size);
  };
  check();
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(path, () => check());
    watcher.on('error', () => undefined);
  } catch {
    /* the poll below covers it */
  }
  const timer = setInterval(check, opts.pollMs ?? 500);
  timer.unref();
  return {
    close() {
      closed = true;
      watcher?.close();
      clearInterval(timer);
    },
  };
}
