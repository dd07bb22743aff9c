// The daemon's engine, supervisord.py's Supervisor: the active process groups, supervisord's mood,
// ordered start-up and shutdown, restart and reread/update. It emits facts for the event bus and
// knows nothing of HTTP or XML. The operations the RPC layer maps onto live beside it and are
// reached through the SupervisorApi methods at the bottom: control.ts (start/stop/signal),
// info.ts (process and config info), log-access.ts (read/tail/clear logs).

import { EventEmitter } from 'node:events';
import type { Config, GroupConfig } from '../config/types.js';
import type { ActivityLogger } from '../logging/types.js';
import { ActiveGroups } from './active-groups.js';
import { checkChildSetup } from './child-setup.js';
import { Deadline, realClock } from './clock.js';
import type { ProcessContext } from './context.js';
import { ProcessControl } from './control.js';
import { DependencyPolicy } from './dependency-policy.js';
import { EngineError } from './errors.js';
import type { EngineFacts, ListenerPort } from './facts.js';
import { ProcessGroup } from './group.js';
import { allConfigInfo, allProcessInfo, processInfo } from './info.js';
import { killAllNow } from './kill.js';
import { makeListenerPort } from './listener-port.js';
import { processLiveness, type LivenessMonitor } from './liveness.js';
import { LogAccess } from './log-access.js';
import { assignLogPaths } from './log-paths.js';
import { NotifySockets } from './notify-sockets.js';
import { fifoPipe } from './pipes.js';
import type { Process } from './process.js';
import { buildChildEnv } from './spawn-args.js';
import { ProcessState, STOPPED_STATES, SupervisorState, supervisorStateName } from './states.js';
import { diffToActive, type ConfigDiff, type SupervisorDeps } from './supervisor-deps.js';
import type { Channel, Clock, ConfigInfo, ProcessInfo, ProcessResult, SupervisorApi } from './types.js';

export type { ConfigDiff, SupervisorDeps } from './supervisor-deps.js';

/** Interval of supervisord's "waiting for x to die" messages during shutdown. */
const WAITING_REPORT_MS = 3000;

export class Supervisor implements SupervisorApi {
  readonly facts = new EventEmitter<EngineFacts>();
  readonly pid: number;
  serverUrl: string | null = null;
  mood: SupervisorState = SupervisorState.RESTARTING;

  /** The stored (last parsed) config; the active groups may differ until update. */
  config: Config;
  private readonly groups = new ActiveGroups();
  private readonly clock: Clock;
  private readonly logger: ActivityLogger;
  private readonly ctx: ProcessContext<Process>;
  private readonly control: ProcessControl;
  private readonly logs: LogAccess;
  private readonly liveness: LivenessMonitor<Process>;
  private listenerPorts = new WeakMap<Process, ListenerPort>();
  private readonly dependencies: DependencyPolicy;
  private readonly notifySockets: NotifySockets;
  /** The groups still to stop, highest priority last, while shutting down or restarting. */
  private stopGroups: ProcessGroup[] | null = null;
  /** supervisord's "waiting for x to die" lines while stopping. */
  private readonly waitingReport: Deadline;
  private exitResolvers: Array<() => void> = [];
  /** Resolves when a shutdown has stopped every process. */
  readonly exited: Promise<void>;

  constructor(private readonly deps: SupervisorDeps) {
    this.config = deps.config;
    this.clock = deps.clock ?? realClock;
    this.logger = deps.logger;
    this.pid = deps.pid ?? process.pid;
    this.exited = new Promise((resolve) => this.exitResolvers.push(resolve));
    this.waitingReport = new Deadline(this.clock, () => this.reportWaiting());
    const env = deps.env ?? process.env;
    this.notifySockets = new NotifySockets(deps.notifySocket ?? null);
    this.dependencies = new DependencyPolicy({
      groups: this.groups,
      logger: this.logger,
      running: () => this.mood === SupervisorState.RUNNING,
      shutdown: () => this.shutdown(),
    });
    this.control = new ProcessControl(this.groups, this.clock, this.logger, env, this.dependencies.tracker);
    this.logs = new LogAccess(this.groups, this.logger);
    this.ctx = {
      clock: this.clock,
      spawner: deps.spawner,
      logger: this.logger,
      env,
      moodRunning: () => this.mood === SupervisorState.RUNNING,
      childEnv: (pc) => buildChildEnv(env, pc, this.config.supervisord.environment, this.serverUrl, this.config.supervisord.envFiles),
      checkChildSetup,
      openChannelLog: (proc, channel) => deps.openChannelLog(proc, channel, proc.logPaths[channel]),
      onOutput: (proc, channel, chunk) => this.onOutput(proc, channel, chunk),
      stdinFor: (proc) => {
        const g = this.groups.get(proc.group);
        return g?.config.kind === 'fcgi-program' ? deps.fcgiSocket?.(g.config) : undefined;
      },
      onStateChange: (proc, from, to, expected) => this.onStateChange(proc, from, to, expected),
      onSpawn: (proc) => {
        const port = this.listenerPorts.get(proc);
        if (port) this.facts.emit('listenerStarted', port);
      },
      onExit: (proc) => this.onProcessExit(proc),
      startGate: (proc) => this.dependencies.gate(proc),
      makePipe: deps.makePipe ?? fifoPipe,
      openNotifySocket: (proc, onDatagram) => this.notifySockets.open(proc, onDatagram),
      runCheck: deps.runCheck,
    };
    this.liveness = processLiveness({
      clock: this.clock,
      logger: this.logger,
      childEnv: (pc) => this.ctx.childEnv(pc),
      stop: (ns) => this.control.stopProcess(ns, true),
      start: (ns) => this.control.startProcess(ns, false),
      mayStart: (proc) => this.mood === SupervisorState.RUNNING && this.groups.get(proc.group)?.find(proc.name) === proc,
    });
  }

  /** Set when an essential program ended for good: svinit's exit code. */
  get exitCode(): number | null {
    return this.dependencies.exitCode;
  }

  get identifier(): string {
    return this.config.supervisord.identifier;
  }

  // ---------------------------------------------------------------- lifecycle (runforever)

  /** Creates every configured group and starts the autostart programs in priority order. */
  start(): void {
    for (const gc of this.config.groups) this.addGroup(gc);
    this.enterRunning();
  }

  /** Starts in dependency order (supervisord's priority order when nothing depends on anything). */
  private enterRunning(): void {
    this.dependencies.rebuild();
    this.mood = SupervisorState.RUNNING;
    this.stopGroups = null;
    this.facts.emit('supervisorState', 'RUNNING');
    for (const p of this.dependencies.startOrder()) p.transition();
  }

  /** SIGTERM/INT/QUIT or supervisor.shutdown: ordered stop of everything, then `exited` resolves. */
  shutdown(): void {
    this.setMood(SupervisorState.SHUTDOWN);
  }

  /** supervisor.restart: stop everything, re-read the config, start again (same pid). */
  restart(): void {
    this.setMood(SupervisorState.RESTARTING);
  }

  private setMood(mood: SupervisorState): void {
    if (this.mood < SupervisorState.RUNNING) {
      // Already stopping; a shutdown request during a restart turns it into a shutdown.
      if (mood === SupervisorState.SHUTDOWN && this.mood !== mood) {
        this.mood = mood;
        this.facts.emit('shutdownRequested');
      }
      return;
    }
    this.mood = mood;
    this.stopGroups = this.groups.sorted();
    this.facts.emit('supervisorState', 'STOPPING');
    if (mood === SupervisorState.SHUTDOWN) this.facts.emit('shutdownRequested');
    this.waitingReport.at(this.clock.now() + WAITING_REPORT_MS);
    this.advanceShutdown();
  }

  /** One step of the ordered shutdown; once everything has stopped, exit or start again. */
  private advanceShutdown(): void {
    if (!this.stopGroups) return;
    if (this.dependencies.ordersShutdown) this.dependencies.stopNext();
    else this.stopNextGroups();
    if (this.groups.allUnstopped().length) return;
    this.stopGroups = null;
    this.waitingReport.cancel();
    if (this.mood === SupervisorState.RESTARTING) {
      this.reloadAfterRestart();
    } else {
      this.notifySockets.dispose();
      for (const r of this.exitResolvers.splice(0)) r();
    }
  }

  /** supervisord's ordered_stop_groups phases: stop the highest group, pop it when done. */
  private stopNextGroups(): void {
    const stopGroups = this.stopGroups!;
    while (stopGroups.length) {
      const last = stopGroups[stopGroups.length - 1];
      last.stopAll();
      if (last.unstopped().length) return;
      stopGroups.pop();
    }
  }

  private reportWaiting(): void {
    if (!this.stopGroups) return;
    const names = this.groups.allUnstopped().map((p) => p.name);
    if (names.length) this.logger.info(`waiting for ${names.join(', ')} to die`);
    this.waitingReport.at(this.clock.now() + WAITING_REPORT_MS);
  }

  private reloadAfterRestart(): void {
    try {
      this.config = this.deps.rereadConfig();
    } catch (e) {
      this.logger.error(`could not re-read the config, keeping the old one: ${(e as Error).message}`);
    }
    for (const name of this.groups.names()) this.dropGroup(name);
    for (const gc of this.config.groups) this.addGroup(gc);
    this.enterRunning();
  }

  /** A second TERM/INT while stopping: SIGKILL every process group now. */
  killAll(): void {
    killAllNow(this.groups.allProcesses(), this.deps.spawner, this.logger);
  }

  /** SIGHUP in svinit: reread + update (apply added, changed and removed groups; leave the rest running). */
  async applyConfigChanges(): Promise<ConfigDiff> {
    const diff = this.reloadConfig();
    for (const name of [...diff.removed, ...diff.changed]) {
      if (!this.groups.has(name)) continue;
      await this.control.stopProcessGroup(name, true).catch(() => []);
      this.removeProcessGroup(name);
    }
    for (const name of [...diff.changed, ...diff.added]) this.addProcessGroup(name);
    return diff;
  }

  // ---------------------------------------------------------------- groups

  private addGroup(gc: GroupConfig): ProcessGroup {
    const group = new ProcessGroup(gc, this.ctx);
    for (const proc of group.processes) {
      assignLogPaths(proc, this.deps);
      if (gc.kind === 'eventlistener') this.listenerPorts.set(proc, makeListenerPort(proc));
    }
    this.groups.set(group);
    this.facts.emit('groupAdded', gc.name);
    return group;
  }

  private dropGroup(name: string): void {
    const g = this.groups.get(name);
    if (!g) return;
    g.dispose();
    for (const p of g.processes) this.liveness.forget(p);
    this.groups.delete(name);
    this.facts.emit('groupRemoved', name);
  }

  activeGroups(): ProcessGroup[] {
    return this.groups.sorted();
  }

  /** supervisord's diff_to_active, after re-reading the config file (which becomes the stored one). */
  reloadConfig(): ConfigDiff {
    let fresh: Config;
    try {
      fresh = this.deps.rereadConfig();
    } catch (e) {
      throw new EngineError('CANT_REREAD', (e as Error).message);
    }
    this.config = fresh;
    const diff = diffToActive(this.groups, fresh.groups);
    this.dependencies.applySettings(fresh.groups, new Set([...diff.changed, ...diff.removed]));
    return diff;
  }

  addProcessGroup(name: string): void {
    const gc = this.config.groups.find((g) => g.name === name);
    if (!gc) throw new EngineError('BAD_NAME', name);
    if (this.groups.has(name)) throw new EngineError('ALREADY_ADDED', name);
    const group = this.addGroup(gc);
    this.dependencies.rebuild();
    group.transition();
  }

  removeProcessGroup(name: string): void {
    const g = this.groups.get(name);
    if (!g) throw new EngineError('BAD_NAME', name);
    if (g.unstopped().length) throw new EngineError('STILL_RUNNING', name);
    this.dropGroup(name);
    this.dependencies.rebuild();
  }

  // ---------------------------------------------------------------- process callbacks

  private onStateChange(proc: Process, from: ProcessState, to: ProcessState, expected?: boolean): void {
    this.liveness.onStateChange(proc, to);
    this.facts.emit('processState', {
      name: proc.name,
      group: proc.group,
      from,
      to,
      pid: proc.pid || proc.exitPid,
      tries: proc.backoff,
      expected,
    });
    if (this.stopGroups && STOPPED_STATES.has(to)) queueMicrotask(() => this.advanceShutdown());
    if (this.mood === SupervisorState.RUNNING) this.dependencies.onStateChange(proc, to);
  }

  private onProcessExit(proc: Process): void {
    const port = this.listenerPorts.get(proc);
    if (port) this.facts.emit('listenerExited', port);
  }

  /** An event listener's stdout is its half of the protocol: the event bus reads it. */
  private onOutput(proc: Process, channel: Channel, chunk: Buffer): void {
    const port = channel === 'stdout' ? this.listenerPorts.get(proc) : undefined;
    if (port) this.facts.emit('listenerOutput', port, chunk);
  }

  // ---------------------------------------------------------------- SupervisorApi

  getState(): { statecode: SupervisorState; statename: string } {
    return { statecode: this.mood, statename: supervisorStateName(this.mood) };
  }

  assertRunning(): void {
    if (this.mood < SupervisorState.RUNNING) throw new EngineError('SHUTDOWN_STATE');
  }

  sendRemoteCommEvent(type: string, data: string): void {
    this.facts.emit('remoteCommunication', { type, data });
  }

  startProcess(namespec: string, wait: boolean): Promise<true | ProcessResult[]> {
    return this.control.startProcess(namespec, wait);
  }
  startProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]> {
    return this.control.startProcessGroup(name, wait);
  }
  startAllProcesses(wait: boolean): Promise<ProcessResult[]> {
    return this.control.startAllProcesses(wait);
  }
  stopProcess(namespec: string, wait: boolean): Promise<true | ProcessResult[]> {
    return this.control.stopProcess(namespec, wait);
  }
  stopProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]> {
    return this.control.stopProcessGroup(name, wait);
  }
  stopAllProcesses(wait: boolean): Promise<ProcessResult[]> {
    return this.control.stopAllProcesses(wait);
  }
  signalProcess(namespec: string, signal: string): true | ProcessResult[] {
    return this.control.signalProcess(namespec, signal);
  }
  signalProcessGroup(name: string, signal: string): ProcessResult[] {
    return this.control.signalProcessGroup(name, signal);
  }
  signalAllProcesses(signal: string): ProcessResult[] {
    return this.control.signalAllProcesses(signal);
  }
  /** Forwards a signal to every running program's process group (PID-1 signal relaying). */
  forwardSignal(sig: number): void {
    this.control.forwardSignal(sig);
  }
  sendProcessStdin(namespec: string, chars: string): void {
    this.control.sendProcessStdin(namespec, chars);
  }

  getProcessInfo(namespec: string): ProcessInfo {
    return processInfo(this.groups.process(namespec), this.clock.now());
  }
  getAllProcessInfo(): ProcessInfo[] {
    return allProcessInfo(this.groups, this.clock.now());
  }
  getAllConfigInfo(): ConfigInfo[] {
    return allConfigInfo(this.config, this.groups);
  }

  readMainLog(offset: number, length: number): string {
    return this.logs.readMainLog(offset, length);
  }
  clearMainLog(): void {
    this.logs.clearMainLog();
  }
  readProcessLog(namespec: string, channel: Channel, offset: number, length: number): string {
    return this.logs.readProcessLog(namespec, channel, offset, length);
  }
  tailProcessLog(namespec: string, channel: Channel, offset: number, length: number): [string, number, boolean] {
    return this.logs.tailProcessLog(namespec, channel, offset, length);
  }
  processLogPath(namespec: string, channel: Channel): string {
    return this.logs.processLogPath(namespec, channel);
  }
  clearProcessLogs(namespec: string): void {
    this.logs.clearProcessLogs(namespec);
  }
  clearAllProcessLogs(): ProcessResult[] {
    return this.logs.clearAllProcessLogs();
  }
  /** SIGUSR2: reopen every log file (for an external logrotate). */
  reopenLogs(): void {
    this.logs.reopenLogs();
  }
}
