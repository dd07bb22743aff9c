// The listening sockets of fcgi-program groups. They are opened before any process of their group
// runs (supervisord does it when the group is created) and shared as fd 0 by all of them.

import type { Config } from '../config/types.js';
import { FcgiSocketManager } from '../fcgi/socket-manager.js';

export class FcgiSockets {
  private readonly byGroup = new Map<string, { manager: FcgiSocketManager; fd: number }>();

  /** Opens the socket of every fcgi-program group that has none yet; throws when one cannot be opened. */
  open(config: Config): void {
    for (const g of config.groups) {
      if (!g.fcgi || this.byGroup.has(g.name)) continue;
      const manager = new FcgiSocketManager(g.fcgi);
      this.byGroup.set(g.name, { manager, fd: manager.acquire() });
    }
  }

  fd(group: string): number | undefined {
    return this.byGroup.get(group)?.fd;
  }

  releaseAll(): void {
    for (const { manager } of this.byGroup.values()) manager.release();
  }
}
