// The composition root of the svinit daemon: config → engine → processes → outputs (logs, events,
// RPC). Everything stateful is created here, in supervisord's start-up order (§7.2), and torn down
// in reverse when the engine has stopped every process.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configForCommand, formatConfigError, loadConfig } from '../config/index.js';
import { ConfigError, type Config, type SupervisordConfig } from '../config/types.js';
import { Supervisor } from '../engine/supervisor.js';
import { createNodeSpawner } from '../engine/node-spawner.js';
import { MIN_RESPAWN_INTERVAL_MS } from '../engine/process.js';
import { ProcessState } from '../engine/states.js';
import type { DatagramBinder } from '../engine/notify-sockets.js';
import { pipeMaker } from '../engine/pipes.js';
import { EventBus } from '../events/bus.js';
import { FcgiSocketManager } from '../fcgi/socket-manager.js';
import { startHttpServers, type HttpServers } from '../http/server.js';
import { enableReaping, startReaper } from '../init/reaper.js';
import { loadNative } from '../init/native.js';
import { installSignalHandlers } from '../init/signals.js';
import { EXIT_CONFIG_ERROR, EXIT_OK } from '../init/exit-codes.js';
import { autoLogPath, cleanupAutoLogs, createActivityLogger, createChannelLog, createSyslogSink, followFile } from '../logging/index.js';
import type { ActivityLogger } from '../logging/types.js';
import { defaultSocketPath, isContainerStream } from './container.js';
import { raiseLimits } from './limits.js';
import { dropPrivileges } from './privileges.js';

export interface DaemonOptions {
  /** Config file to read, or null in single-command mode. */
  configFile: string | null;
  /** Single-command mode (`svinit -- cmd args…`). */
  command?: string[];
  /** Command-line values that beat the config file's. */
  overrides: Partial<SupervisordConfig>;
  /** Container defaults: foreground, activity log on stdout, output forwarded, default socket. */
  container: boolean;
  logFormat: 'text' | 'json';
  /** Copy each program's output lines to svinit's stdout/stderr as `name | line`. */
  prefixOutput: boolean;
  /** Environment children inherit. */
  env?: NodeJS.ProcessEnv;
  /** This process is the detached copy started by daemonizing: apply `directory` and `umask`. */
  daemonized?: boolean;
}

export interface DaemonHandle {
  supervisor: Supervisor;
  logger: ActivityLogger;
  /** Resolves with svinit's exit code once everything has stopped. */
  done: Promise<number>;
}

function readConfig(opts: DaemonOptions): Config {
  if (opts.command) return configForCommand(opts.command);
  return loadConfig(opts.configFile!, { env: opts.env as Record<string, string>, overrides: opts.overrides });
}

/** In a container, supervisord's file defaults (supervisord.log / .pid in the cwd) are not wanted. */
function applyContainerDefaults(config: Config, opts: DaemonOptions): void {
  const sd = config.supervisord;
  sd.nodaemon = true;
  if (opts.overrides.logfile === undefined && sd.logfile === path.resolve('supervisord.log')) sd.logfile = '';
  if (opts.overrides.pidfile === undefined && sd.pidfile === path.resolve('supervisord.pid')) sd.pidfile = null;
  if (config.httpServers.length === 0 && !opts.command) {
    const file = defaultSocketPath();
    if (file)
      config.httpServers.push({ section: 'unix_http_server', kind: 'unix', file, chmod: 0o700, chown: null, username: null, password: null, implicit: true });
  }
}

/** Loads the config and starts the daemon; returns an exit code instead after printing a config error. */
export async function startDaemon(opts: DaemonOptions, stderr: NodeJS.WritableStream = process.stderr): Promise<DaemonHandle | { exitCode: number }> {
  let config: Config;
  try {
    config = readConfig(opts);
  } catch (e) {
    if (e instanceof ConfigError) {
      stderr.write(`${formatConfigError(e)}\n`);
      return { exitCode: EXIT_CONFIG_ERROR };
    }
    throw e;
  }
  if (opts.container) applyContainerDefaults(config, opts);
  const sd = config.supervisord;
  // supervisord applies directory and umask only when it daemonizes.
  if (opts.daemonized) {
    process.umask(sd.umask);
    if (sd.directory) process.chdir(sd.directory);
  }
  const uidBefore = process.getuid?.();
  if (sd.user) {
    const why = dropPrivileges(sd.user);
    if (why) {
      stderr.write(`Error: ${why}\nFor help, use svinit -h\n`);
      return { exitCode: EXIT_CONFIG_ERROR };
    }
  }
  const limits = raiseLimits(sd.minfds, sd.minprocs);
  if (limits.error) {
    stderr.write(`Error: ${limits.error}\nFor help, use svinit -h\n`);
    return { exitCode: EXIT_CONFIG_ERROR };
  }
  const logger = createActivityLogger({
    file: sd.logfile === '' ? null : sd.logfile,
    maxbytes: sd.logfileMaxbytes,
    backups: sd.logfileBackups,
    level: sd.loglevel,
    toStdout: sd.nodaemon && !sd.silent,
    format: opts.logFormat,
  });
  for (const w of config.warnings) logger.warn(w.source ? `${w.message} (file: '${w.source.file}', line ${w.source.line})` : w.message);
  for (const i of config.infos) logger.info(i);
  for (const i of limits.infos) logger.debug(i);
  if (sd.user && process.getuid?.() !== uidBefore) logger.info(`Set uid to user ${process.getuid?.()} succeeded`);
  if (!opts.container && process.getuid?.() === 0 && !sd.user)
    logger.critical(
      'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.',
    );

  const reaping = enableReaping();
  const reaper =
    reaping === 'none'
      ? null
      : startReaper({
          onReap: (pid, exit) =>
            logger.info(`reaped unknown pid ${pid} (${exit.signal ? `terminated by ${exit.signal}` : `exit status ${exit.code}`})`),
        });
  if (reaping === 'none' && process.pid === 1) logger.warn('cannot reap orphans: the native addon svinit.node was not found');

  if (!sd.nocleanup) cleanupAutoLogs(sd.childlogdir, sd.identifier, logger);

  // The addon's pipe() and unix datagram sockets serve notification_fd and notify_socket.
  const native = loadNative() as (ReturnType<typeof loadNative> & { pipe?: () => [number, number]; notifySocket?: DatagramBinder }) | null;

  // fcgi-program sockets are opened before any process of their group runs (supervisord does it
  // when the group is created) and shared as fd 0 by all of them.
  const fcgiSockets = new Map<string, { manager: FcgiSocketManager; fd: number }>();
  const openFcgiSockets = (cfg: Config) => {
    for (const g of cfg.groups) {
      if (!g.fcgi || fcgiSockets.has(g.name)) continue;
      const manager = new FcgiSocketManager(g.fcgi);
      fcgiSockets.set(g.name, { manager, fd: manager.acquire() });
    }
  };
  try {
    openFcgiSockets(config);
  } catch (e) {
    stderr.write(`Error: cannot open an fcgi-program socket: ${(e as Error).message}\nFor help, use svinit -h\n`);
    reaper?.stop();
    await logger.close();
    return { exitCode: EXIT_CONFIG_ERROR };
  }

  let childSyslog: ((line: string) => void) | undefined;
  const spawner = createNodeSpawner();
  const supervisor: Supervisor = new Supervisor({
    config,
    spawner,
    logger,
    env: opts.env,
    openChannelLog(proc, channel, logPath) {
      const cc = proc.config[channel];
      // Devices (/dev/stdout…) are written to but not readable, so the engine has no path for them.
      let target = logPath ?? (cc.logfile.kind === 'file' ? cc.logfile.path : null);
      if (channel === 'stderr' && proc.config.redirectStderr) target = null;
      // With forwarding on, a /dev/stdout target is the forwarded stream itself: no second copy.
      const forward = opts.prefixOutput;
      if (forward && target && isContainerStream(target)) target = null;
      if (!target && !forward && !cc.eventsEnabled && !cc.captureMaxbytes && !cc.syslog) return null;
      return createChannelLog({
        processName: proc.name,
        groupName: proc.group,
        channel,
        config: { ...cc, logfile: target ? { kind: 'file', path: target } : { kind: 'none' } },
        stripAnsi: sd.stripAnsi,
        mainLog: logger,
        prefix: forward ? { stream: channel === 'stdout' ? 1 : 2, label: proc.name } : null,
        onLog: cc.eventsEnabled ? (data) => supervisor.facts.emit('processLog', { name: proc.name, group: proc.group, pid: proc.pid, channel, data }) : undefined,
        syslog: cc.syslog ? (childSyslog ??= createSyslogSink('supervisord: ') ?? undefined) : undefined,
        onCapture: cc.captureMaxbytes > 0 ? (data) => supervisor.facts.emit('processCommunication', { name: proc.name, group: proc.group, pid: proc.pid, channel, data }) : undefined,
      });
    },
    resolveAutoLog(pc, channel) {
      try {
        return autoLogPath(sd.childlogdir, pc.name, channel, sd.identifier);
      } catch (e) {
        logger.warn(`cannot create AUTO ${channel} log for ${pc.name} in ${sd.childlogdir}: ${(e as Error).message}`);
        return null as unknown as string;
      }
    },
    rereadConfig() {
      const fresh = readConfig(opts);
      if (opts.container) applyContainerDefaults(fresh, opts);
      try {
        openFcgiSockets(fresh);
      } catch (e) {
        logger.error(`cannot open an fcgi-program socket: ${(e as Error).message}`);
      }
      return fresh;
    },
    fcgiSocket: (g) => fcgiSockets.get(g.name)?.fd,
    makePipe: pipeMaker(native),
    notifySocket: native?.notifySocket?.bind(native),
  });

  // The event bus sits beside the engine: it hears facts and feeds listener pools.
  const bus = new EventBus({ identifier: sd.identifier, logger });
  supervisor.facts.on('groupAdded', (name) => {
    const g = supervisor.activeGroups().find((x) => x.name === name);
    if (g?.config.eventListener) bus.addPool(name, g.config.eventListener);
  });
  supervisor.facts.on('groupRemoved', (name) => bus.removePool(name));
  const pendingRestarts = new Set<string>();
  bus.onListenerUnknown = (port) => {
    // svinit restarts a listener that broke the protocol (supervisord leaves it UNKNOWN forever),
    // a second later, so a listener that always misbehaves cannot spin.
    const ns = port.group === port.name ? port.name : `${port.group}:${port.name}`;
    if (pendingRestarts.has(ns)) return;
    pendingRestarts.add(ns);
    logger.warn(`restarting event listener ${ns} after a protocol violation`);
    setTimeout(() => {
      pendingRestarts.delete(ns);
      if (supervisor.mood !== 1) return;
      supervisor
        .stopProcess(ns, true)
        .catch(() => true)
        .then(() => supervisor.startProcess(ns, false))
        .catch((e) => logger.warn(`could not restart listener ${ns}: ${(e as Error).message}`));
    }, MIN_RESPAWN_INTERVAL_MS).unref();
  };
  bus.attach(supervisor.facts);

  // Single-command mode: svinit's exit code is the program's (tini's table).
  let commandExit: number | null = null;
  if (opts.command) {
    supervisor.facts.on('processState', (f) => {
      // The program ended on its own, failed to start, or was stopped by svinit's shutdown.
      if (f.to !== ProcessState.EXITED && f.to !== ProcessState.FATAL && f.to !== ProcessState.STOPPED) return;
      const proc = supervisor.activeGroups()[0]?.processes[0];
      if (!proc) return;
      if (f.to === ProcessState.FATAL) commandExit = proc.spawnerr?.startsWith("can't find") ? 127 : 126;
      else if (proc.lastExit?.signal) commandExit = 128 + (SIGNALS[proc.lastExit.signal] ?? 0);
      else commandExit = proc.lastExit?.code ?? 0;
      supervisor.shutdown();
    });
  }

  let http: HttpServers;
  try {
    http = await startHttpServers(config.httpServers, { api: supervisor, logger, mainLogPath: () => logger.path, followFile });
  } catch (e) {
    stderr.write(`Error: ${(e as Error).message}\nFor help, use svinit -h\n`);
    reaper?.stop();
    await logger.close();
    return { exitCode: EXIT_CONFIG_ERROR };
  }
  supervisor.serverUrl = http.urls[0] ?? null;

  const uninstallSignals = installSignalHandlers({
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
      if (supervisor.mood !== 1) {
        logger.warn('ignored SIGHUP indicating restart request (shutdown in progress)');
        return;
      }
      logger.warn('received SIGHUP indicating restart request');
      supervisor
        .applyConfigChanges()
        .then((d) => logger.info(`reload: added ${fmtList(d.added)}, changed ${fmtList(d.changed)}, removed ${fmtList(d.removed)}`))
        .catch((e) => logger.error(`reload failed, keeping the running config: ${(e as Error).message}`));
    },
    reopenLogs() {
      logger.info('received SIGUSR2 indicating log reopen request');
      supervisor.reopenLogs();
      logger.info('supervisord logreopen');
    },
    forward(sig) {
      logger.debug(`received ${sig}, forwarding it to every program`);
      supervisor.forwardSignal(SIGNALS[sig] ?? 0);
    },
  });

  if (sd.pidfile) {
    try {
      fs.writeFileSync(sd.pidfile, `${process.pid}\n`);
    } catch (e) {
      logger.critical(`could not write pidfile ${sd.pidfile}: ${(e as Error).message}`);
    }
  }

  logger.info(`supervisord started with pid ${process.pid}`);
  supervisor.start();

  const done = (async () => {
    await supervisor.exited;
    await sweepOrphans(reaper, logger);
    await http.close();
    bus.close();
    for (const { manager } of fcgiSockets.values()) manager.release();
    reaper?.stop();
    uninstallSignals();
    if (sd.pidfile) fs.rmSync(sd.pidfile, { force: true });
    await logger.close();
    // An essential program that ended for good sets svinit's exit code (docs/dependencies.md).
    return commandExit ?? supervisor.exitCode ?? EXIT_OK;
  })();
  return { supervisor, logger, done };
}

function fmtList(xs: string[]): string {
  return xs.length ? xs.join(', ') : 'none';
}

const SIGNALS = os.constants.signals as Record<string, number>;

/**
 * After the last program stopped, orphans adopted by PID 1 may still run: TERM them, give them a
 * moment, then KILL, so the kernel never SIGKILLs a process mid-write when svinit exits.
 */
async function sweepOrphans(reaper: { adoptedPids(): number[] } | null, logger: ActivityLogger): Promise<void> {
  if (!reaper) return;
  let pids = reaper.adoptedPids();
  if (!pids.length) return;
  logger.info(`sending SIGTERM to ${pids.length} adopted orphan(s): ${pids.join(', ')}`);
  for (const pid of pids) safeKill(pid, 'SIGTERM');
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    pids = reaper.adoptedPids();
    if (!pids.length) return;
  }
  logger.warn(`killing ${pids.length} adopted orphan(s) with SIGKILL: ${pids.join(', ')}`);
  for (const pid of pids) safeKill(pid, 'SIGKILL');
}

function safeKill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}
