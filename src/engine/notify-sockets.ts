// The NOTIFY_SOCKETs of notify_socket=true programs (systemd's sd_notify protocol): one unix
// datagram socket per spawn, in a private directory, so a datagram's sender needs no
// credentials check (SO_PASSCRED). Node cannot receive unix datagrams: the binding comes from the
// native addon, and without it such a program cannot be started (a spawn error that says so).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Process } from './process.js';
import type { NotifyEndpoint } from './context.js';

/** Binds a unix datagram socket at path; each datagram's text goes to onDatagram. */
export type DatagramBinder = (path: string, onDatagram: (text: string) => void) => { close(): void };

export class NotifySockets {
  private dir: string | null = null;
  private seq = 0;

  constructor(
    private readonly bind: DatagramBinder | null,
    private readonly baseDir = os.tmpdir(),
  ) {}

  open(proc: Process, onDatagram: (text: string) => void): NotifyEndpoint | null {
    if (!this.bind) return null;
    try {
      // Short names: a unix socket path has room for 107 bytes only.
      this.dir ??= fs.mkdtempSync(path.join(this.baseDir, 'svinit-notify-'));
      fs.chmodSync(this.dir, 0o711);
      const file = path.join(this.dir, `${++this.seq}.sock`);
      const handle = this.bind(file, onDatagram);
      // A program that drops privileges (user=) must still be able to send to it.
      if (proc.config.uid !== null) fs.chownSync(file, proc.config.uid, proc.config.gid ?? -1);
      return {
        path: file,
        close: () => {
          handle.close();
          fs.rmSync(file, { force: true });
        },
      };
    } catch {
      return null;
    }
  }

  /** At exit: the directory and whatever is left in it. */
  dispose(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
