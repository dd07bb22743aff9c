// A pipe for notification_fd: [readFd, writeFd], both close-on-exec (the spawner places the write
// end on the program's fd N). Node has no pipe(2); the native addon's pipe() is used when it has
// one, otherwise an anonymous FIFO: made with mkfifo(1) in a private directory, opened at both
// ends and unlinked at once.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type PipeMaker = () => [number, number] | null;

export function fifoPipe(): [number, number] | null {
  let dir: string | null = null;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-notify-'));
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
    // The read end first and non-blocking, so opening the write end does not wait for a reader.
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    return [readFd, writeFd];
  } catch {
    return null;
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The addon's pipe() when present, else the FIFO. */
export function pipeMaker(native: { pipe?: () => [number, number] } | null | undefined): PipeMaker {
  const pipe = native?.pipe;
  if (!pipe) return fifoPipe;
  return () => {
    try {
      return pipe();
    } catch {
      return null;
    }
  };
}
