// svinit's orchestrator features around the engine: the /metrics registry, the probe source for
// /healthz and /readyz (on the supervisord servers and the [probe_http_server] listener), and the
// shutdown budget. The daemon creates one of these beside the Supervisor; see docs/kubernetes.md.

import type { Config } from '../config/types.js';
import { realClock } from '../engine/clock.js';
import type { Supervisor } from '../engine/supervisor.js';
import { logReadiness, startProbeServer, type ProbeServer, type ProbeSource } from '../http/probes.js';
import type { ActivityLogger } from '../logging/types.js';
import { Metrics } from '../metrics/registry.js';
import { ShutdownBudget } from './shutdown-budget.js';

export interface Orchestration {
  probes: ProbeSource;
  metrics: Metrics;
  /** Starts the [probe_http_server] listener if configured; throws when it cannot listen. */
  startProbeServer(): Promise<void>;
  /** Milliseconds left of the shutdown budget (Infinity without one, or before shutdown). */
  budgetLeftMs(): number;
  close(): Promise<void>;
}

export function createOrchestration(supervisor: Supervisor, config: Config, logger: ActivityLogger, exit: (code: number) => void): Orchestration {
  const processes = function* () {
    for (const g of supervisor.activeGroups()) yield* g.processes;
  };
  const metrics = new Metrics({ facts: supervisor.facts, processes, supervisorState: () => supervisor.mood });
  const probes: ProbeSource = {
    mood: () => supervisor.mood,
    processes,
    essentialFailure: () => (supervisor.exitCode !== null ? `an essential program ended (exit code ${supervisor.exitCode})` : null),
    metrics: () => metrics.render(),
  };
  logReadiness(supervisor.facts, probes, logger);

  const timeout = config.supervisord.shutdownTimeout;
  const budget = timeout
    ? new ShutdownBudget(timeout, { clock: realClock, logger, killAll: () => supervisor.killAll(), forceExit: () => exit(supervisor.exitCode ?? 0) })
    : null;
  // Also a SIGTERM that arrives while a restart (SIGHUP) is stopping everything starts the budget.
  if (budget) supervisor.facts.on('shutdownRequested', () => budget.begin());

  let server: ProbeServer | null = null;
  return {
    probes,
    metrics,
    async startProbeServer() {
      if (!config.probeServer) return;
      server = await startProbeServer(config.probeServer, probes);
      logger.info(`probe server listening on ${server.url} (/healthz, /readyz, /metrics)`);
    },
    budgetLeftMs: () => budget?.remainingMs() ?? Infinity,
    async close() {
      budget?.cancel();
      metrics.close();
      await server?.close();
    },
  };
}
