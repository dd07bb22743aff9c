// What the Supervisor needs from the daemon around it (SupervisorDeps), and the result of comparing
// a re-read config with the active groups (supervisord's diff_to_active).

import { groupConfigEquals } from '../config/index.js';
import type { Config, GroupConfig, ProcessConfig } from '../config/types.js';
import type { ActivityLogger, ChannelLog } from '../logging/types.js';
import type { ActiveGroups } from './active-groups.js';
import type { ProcessContext } from './context.js';
import type { DatagramBinder } from './notify-sockets.js';
import type { PipeMaker } from './pipes.js';
import type { Process } from './process.js';
import type { Channel, Clock, Spawner } from './types.js';

export interface SupervisorDeps {
  config: Config;
  spawner: Spawner;
  logger: ActivityLogger;
  clock?: Clock;
  /** svinit's own environment, inherited by children. */
  env?: NodeJS.ProcessEnv;
  pid?: number;
  /** Opens a channel's log for one spawn (the file, prefixing to svinit's stdout, events). */
  openChannelLog(proc: Process, channel: Channel, path: string | null): ChannelLog | null;
  /** Turns an AUTO log target into a concrete file in childlogdir (created empty); null when it cannot. */
  resolveAutoLog(proc: ProcessConfig, channel: Channel): string | null;
  /**
   * Does this channel's output go to the container's stdout/stderr? Only such channels keep an
   * in-memory tail for the log-reading calls; any other channel without a log file answers
   * NO_FILE, as supervisord does.
   */
  reachesContainerOutput?(proc: ProcessConfig, channel: Channel): boolean;
  /** Re-parses the config file (reread, update, HUP). Throws with the parse error text. */
  rereadConfig(): Config;
  /** The listening socket given as fd 0 to the processes of an fcgi-program group. */
  fcgiSocket?(group: GroupConfig): number | undefined;
  /** The pipe for notification_fd (default: an unlinked FIFO). */
  makePipe?: PipeMaker;
  /** One attempt of a ready_check (default: checks.ts); tests inject it. */
  runCheck?: ProcessContext<Process>['runCheck'];
  /** Unix datagram sockets for notify_socket (the native addon's); absent, such programs cannot start. */
  notifySocket?: DatagramBinder;
}

export interface ConfigDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/** supervisord's diff_to_active: groups added, changed (by supervisord's equality) and removed. */
export function diffToActive(active: ActiveGroups, fresh: GroupConfig[]): ConfigDiff {
  const freshNames = new Set(fresh.map((g) => g.name));
  return {
    added: fresh.filter((g) => !active.has(g.name)).map((g) => g.name),
    changed: fresh.filter((g) => active.has(g.name) && !groupConfigEquals(active.get(g.name)!.config, g)).map((g) => g.name),
    removed: active.names().filter((name) => !freshNames.has(name)),
  };
}
