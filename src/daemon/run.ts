// The composition root of the svinit daemon: config → engine → processes → outputs (logs, events,
// RPC). It reads like tini's main: a short sequence of named steps, in supervisord's start-up order
// (supervisord.py main and runforever); each step that opens something pushes how to close it on
// one cleanup stack, unwound in reverse when the engine has stopped every process or a step fails.

import fs from 'node:fs';
import { realClock } from '../engine/clock.js';
import { Supervisor } from '../engine/supervisor.js';
import { startHttpServers, type HttpServers } from '../http/server.js';
import { EXIT_CONFIG_ERROR, EXIT_OK } from '../init/exit-codes.js';
import { cleanupAutoLogs } from '../logging/index.js';
import type { ActivityLogger } from '../logging/types.js';
import { CleanupStack, StartupError, startupError } from './cleanup.js';
import { watchCommandExit } from './command-exit.js';
import { handleSignals } from './daemon-signals.js';
import { installLastResort } from './last-resort.js';
import { createOrchestration, type Orchestration } from './orchestration.js';
import { FcgiSockets } from './fcgi-sockets.js';
import { wireListeners } from './listeners.js';
import type { DaemonOptions } from './options.js';
import { wireOutputs } from './outputs.js';
import { prepare, readConfig } from './prepare.js';
import { startReaping, sweepOrphans } from './reaping.js';
import { createSpawner } from './spawner.js';

export type { DaemonOptions } from './options.js';

export interface DaemonHandle {
  supervisor: Supervisor;
  logger: ActivityLogger;
  /** Resolves with svinit's exit code once everything has stopped. */
  done: Promise<number>;
}

/** Starts the daemon; returns an exit code instead after printing a start-up error. */
export async function startDaemon(opts: DaemonOptions, stderr: NodeJS.WritableStream = process.stderr): Promise<DaemonHandle | { exitCode: number }> {
  const cleanup = new CleanupStack();
  try {
    return await run(opts, cleanup);
  } catch (e) {
    if (!(e instanceof StartupError)) throw e;
    stderr.write(e.message);
    await cleanup.unwind();
    return { exitCode: EXIT_CONFIG_ERROR };
  }
}

async function run(opts: DaemonOptions, cleanup: CleanupStack): Promise<DaemonHandle> {
  const clock = realClock;
  // prepare
  const { config, logger } = prepare(opts);
  cleanup.push(() => logger.close());
  cleanup.push(installLastResort(logger));
  const sd = config.supervisord;

  // start reaping: the spawner waits for its own children, the reaper for every orphan
  const spawning = createSpawner(sd.minfds);
  if (spawning.warning) logger.warn(spawning.warning);
  let countOrphan: (() => void) | undefined;
  const reaper = startReaping(logger, spawning.owns, opts.container, () => countOrphan?.());
  cleanup.push(() => reaper?.stop());
  if (!sd.nocleanup) cleanupAutoLogs(sd.childlogdir, sd.identifier, logger);
  const fcgi = new FcgiSockets();
  cleanup.push(() => fcgi.releaseAll());
  try {
    fcgi.open(config);
  } catch (e) {
    throw startupError(`cannot open an fcgi-program socket: ${(e as Error).message}`);
  }

  // wire outputs
  const supervisor: Supervisor = new Supervisor({
    config,
    spawner: spawning.spawner,
    logger,
    clock,
    env: opts.env,
    ...wireOutputs({ config, logger, format: opts.logFormat, facts: () => supervisor.facts }),
    rereadConfig() {
      const fresh = readConfig(opts);
      try {
        fcgi.open(fresh);
      } catch (e) {
        logger.error(`cannot open an fcgi-program socket: ${(e as Error).message}`);
      }
      return fresh;
    },
    fcgiSocket: (g) => fcgi.fd(g.name),
  });

  // wire listeners
  // Probes, metrics and the shutdown budget sit beside the engine (docs/kubernetes.md).
  const orchestration = createOrchestration(supervisor, config, logger, (code) => process.exit(code));
  cleanup.push(() => orchestration.close());
  countOrphan = () => orchestration.metrics.countOrphanReaped();

  const bus = wireListeners(supervisor, logger, clock);
  cleanup.push(() => bus.close());
  const commandExit = opts.command ? watchCommandExit(supervisor) : () => null;

  // serve
  const http = await serve(supervisor, logger, orchestration);
  cleanup.push(() => http.close());
  await orchestration.startProbeServer().catch((e) => {
    throw startupError((e as Error).message);
  });
  cleanup.push(handleSignals(supervisor, logger));
  writePidfile(sd.pidfile, logger, cleanup);
  logger.info(`supervisord started with pid ${process.pid}`);
  supervisor.start();

  // wait for shutdown, then the exit code
  const done = (async () => {
    await supervisor.exited;
    await sweepOrphans(reaper, logger, clock, undefined, orchestration.budgetLeftMs());
    await cleanup.unwind();
    return commandExit() ?? EXIT_OK;
  })();
  return { supervisor, logger, done };
}

async function serve(supervisor: Supervisor, logger: ActivityLogger, orchestration: Orchestration): Promise<HttpServers> {
  let http: HttpServers;
  try {
    http = await startHttpServers(supervisor.config.httpServers, {
      api: supervisor,
      logger,
      mainLogPath: () => logger.path,
      probes: orchestration.probes,
      onRpcRequest: (method, fault) => orchestration.metrics.countRpc(method, fault),
    });
  } catch (e) {
    throw startupError((e as Error).message);
  }
  supervisor.serverUrl = http.urls[0] ?? null;
  return http;
}

function writePidfile(pidfile: string | null, logger: ActivityLogger, cleanup: CleanupStack): void {
  if (!pidfile) return;
  cleanup.push(() => fs.rmSync(pidfile, { force: true }));
  try {
    fs.writeFileSync(pidfile, `${process.pid}\n`);
  } catch (e) {
    logger.critical(`could not write pidfile ${pidfile}: ${(e as Error).message}`);
  }
}
