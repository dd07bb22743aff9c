// Step 4 of the daemon, "wire listeners": the event bus beside the engine hears its facts and
// feeds the listener pools; a listener that broke the protocol is restarted.

import { makeNamespec } from '../config/index.js';
import { MIN_RESPAWN_INTERVAL_MS } from '../engine/respawn-pacer.js';
import { SupervisorState } from '../engine/states.js';
import type { Supervisor } from '../engine/supervisor.js';
import type { Clock } from '../engine/types.js';
import { EventBus } from '../events/bus.js';
import type { ActivityLogger } from '../logging/types.js';

export function wireListeners(supervisor: Supervisor, logger: ActivityLogger, clock: Clock): EventBus {
  const bus = new EventBus({ identifier: supervisor.identifier, logger, clock });
  supervisor.facts.on('groupAdded', (name) => {
    const g = supervisor.activeGroups().find((x) => x.name === name);
    if (g?.config.eventListener) bus.addPool(name, g.config.eventListener);
  });
  supervisor.facts.on('groupRemoved', (name) => bus.removePool(name));
  const pendingRestarts = new Set<string>();
  bus.onListenerUnknown = (port) => {
    // svinit restarts a listener that broke the protocol (supervisord leaves it UNKNOWN forever),
    // a second later, so a listener that always misbehaves cannot spin.
    const ns = makeNamespec(port.group, port.name);
    if (pendingRestarts.has(ns)) return;
    pendingRestarts.add(ns);
    logger.warn(`restarting event listener ${ns} after a protocol violation`);
    clock.setTimeout(() => {
      pendingRestarts.delete(ns);
      if (supervisor.mood !== SupervisorState.RUNNING) return;
      supervisor
        .stopProcess(ns, true)
        .catch(() => true)
        .then(() => supervisor.startProcess(ns, false))
        .catch((e) => logger.warn(`could not restart listener ${ns}: ${(e as Error).message}`));
    }, MIN_RESPAWN_INTERVAL_MS);
  };
  bus.attach(supervisor.facts);
  return bus;
}
