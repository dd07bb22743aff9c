// What the daemon does on each signal it handles (the routes are in src/init/signals.ts and
// docs/signals.md): shut down, kill everything on a second request, reload, reopen logs, relay.

import { signalNumber } from '../config/index.js';
import { SupervisorState } from '../engine/states.js';
import type { Supervisor } from '../engine/supervisor.js';
import { installSignalHandlers } from '../init/signals.js';
import type { ActivityLogger } from '../logging/types.js';

const listText = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');

/** Installs the handlers; returns their uninstaller. */
export function handleSignals(supervisor: Supervisor, logger: ActivityLogger): () => void {
  return installSignalHandlers({
    shutdown(sig) {
      logger.warn(`received ${sig} indicating exit request`);
      supervisor.shutdown();
    },
    // The installer counts stop requests: the second TERM/INT/QUIT comes here.
    forceKill(sig) {
      logger.warn(`received ${sig} again: killing every process now`);
      supervisor.killAll();
    },
    reload() {
      if (supervisor.mood !== SupervisorState.RUNNING) {
        logger.warn('ignored SIGHUP indicating restart request (shutdown in progress)');
        return;
      }
      logger.warn('received SIGHUP indicating restart request');
      supervisor
        .applyConfigChanges()
        .then((d) => logger.info(`reload: added ${listText(d.added)}, changed ${listText(d.changed)}, removed ${listText(d.removed)}`))
        .catch((e) => logger.error(`reload failed, keeping the running config: ${(e as Error).message}`));
    },
    reopenLogs() {
      logger.info('received SIGUSR2 indicating log reopen request');
      supervisor.reopenLogs();
      logger.info('supervisord logreopen');
    },
    forward(sig) {
      logger.debug(`received ${sig}, forwarding it to every program`);
      supervisor.forwardSignal(signalNumber(sig) ?? 0);
    },
  });
}
