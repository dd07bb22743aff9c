// The listening socket of an [fcgi-program:x] (supervisord's socket_manager.py): opened when the
// group is created, handed to every process of the group as its fd 0, closed when svinit stops.
//
// The socket is made by the native addon, not by net.Server: a Node server would keep accepting
// connections itself and race the children for them. svinit only holds the fd.

import fs from 'node:fs';
import type { FcgiSocketSettings } from '../config/types.js';
import { loadNative } from '../init/native.js';

export class FcgiSocketManager {
  private fd: number | null = null;

  constructor(private readonly settings: FcgiSocketSettings) {}

  /** Binds and listens once; returns the fd children get as stdin. */
  acquire(): number {
    if (this.fd !== null) return this.fd;
    const native = loadNative();
    if (!native) throw new Error('fcgi-program sockets need the native addon svinit.node');
    const { socket, socketBacklog, socketMode, socketOwner } = this.settings;
    const backlog = socketBacklog ?? 511;
    if (socket.startsWith('unix://')) {
      const file = socket.slice('unix://'.length);
      fs.rmSync(file, { force: true });
      this.fd = native.listenUnix(file, backlog);
      fs.chmodSync(file, socketMode);
      if (socketOwner) fs.chownSync(file, socketOwner.uid, socketOwner.gid);
    } else {
      const m = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(socket)!;
      this.fd = native.listenTcp(m[1], Number(m[2]), backlog);
    }
    return this.fd;
  }

  release(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    if (this.settings.socket.startsWith('unix://')) fs.rmSync(this.settings.socket.slice('unix://'.length), { force: true });
  }
}
