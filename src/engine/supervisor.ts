// The daemon's engine (supervisord.py + the process logic of rpcinterface.py): the active process
// groups, supervisord's mood, ordered start and shutdown, reread/update, and the control operations
// the RPC layer maps onto. It emits facts for the event bus and knows nothing of HTTP or XML.

import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import { groupConfigEquals, makeNamespec, parseSignal, splitNamespec } from '../config/index.js';
import type { Config, GroupConfig, LogTarget, ProcessConfig } from '../config/types.js';
import { LogReadError, readLogSlice, tailLog } from '../logging/read.js';
import { TailBuffer } from '../logging/tail-buffer.js';
import type { ActivityLogger, ChannelLog } from '../logging/types.js';
import { realClock } from './clock.js';
import type { ProcessContext } from './context.js';
import { EngineError, Faults } from './errors.js';
import type { EngineFacts, ListenerPort } from './facts.js';
import { ProcessGroup, sortGroups } from './group.js';
import { runCheck } from './checks.js';
import { LivenessMonitor } from './liveness.js';
import { Process } from './process.js';
import { BadCommand, buildChildEnv, resolveExecArgs } from './spawn-args.js';
import {
  ProcessState,
  processStateName,
  RUNNING_STATES,
  SIGNALLABLE_STATES,
  STOPPED_STATES,
  SupervisorState,
  supervisorStateName,
} from './states.js';
import type {
  Channel,
  Clock,
  ConfigInfo,
  ProcessInfo,
  ProcessResult,
  Spawner,
  SupervisorApi,
  TimerHandle,
} from './types.js';

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
  /** Turns an AUTO log target into a concrete file in childlogdir (created empty). */
  resolveAutoLog(proc: ProcessConfig, channel: Channel): string;
  /** Re-parses the config file (reread, update, HUP). Throws with the parse error text. */
  rereadConfig(): Config;
  /** The listening socket given as fd 0 to the processes of an fcgi-program group. */
  fcgiSocket?(group: GroupConfig): number | undefined;
}

/** Interval of supervisord's "waiting for x to die" messages during shutdown. */
const WAITING_REPORT_MS = 3000;

function uptimeText(seconds: number): string {
  // Python's str(timedelta): "H:MM:SS" or "N day(s), H:MM:SS".
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const rest = s % 86400;
  const hms = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') in local time. */
function stopTimeText(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const h12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${p2(d.getDate())} ${p2(h12)}:${p2(d.getMinutes())} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
}

const INT32_MAX = 2 ** 31 - 1;
const cap = (n: number) => Math.max(-INT32_MAX - 1, Math.min(INT32_MAX, Math.trunc(n)));

export class Supervisor implements SupervisorApi {
  readonly facts = new EventEmitter<EngineFacts>();
  readonly pid: number;
  serverUrl: string | null = null;
  mood: SupervisorState = SupervisorState.RESTARTING;

  /** The stored (last parsed) config; the active groups may differ until update. */
  config: Config;
  private groups = new Map<string, ProcessGroup>();
  private readonly clock: Clock;
  private readonly logger: ActivityLogger;
  private readonly ctx: ProcessContext;
  private listenerPorts = new WeakMap<Process, ListenerPort>();
  private stopGroups: ProcessGroup[] | null = null;
  private waitingTimer: TimerHandle | null = null;
  private exitResolvers: Array<() => void> = [];
  private readonly stopReports = new WeakMap<Process, number>();
  private readonly liveness: LivenessMonitor<Process>;
  /** Resolves when a shutdown has stopped every process. */
  readonly exited: Promise<void>;

  constructor(private readonly deps: SupervisorDeps) {
    this.config = deps.config;
    this.clock = deps.clock ?? realClock;
    this.logger = deps.logger;
    this.pid = deps.pid ?? process.pid;
    this.exited = new Promise((resolve) => this.exitResolvers.push(resolve));
    const env = deps.env ?? process.env;
    const self = this;
    this.ctx = {
      clock: this.clock,
      spawner: deps.spawner,
      logger: this.logger,
      env,
      moodRunning: () => self.mood === SupervisorState.RUNNING,
      childEnv: (pc) => buildChildEnv(env, pc, self.config.supervisord.environment, self.serverUrl, self.config.supervisord.envFiles),
      checkChildSetup: (pc) => checkChildSetup(pc),
      openChannelLog: (proc, channel) => deps.openChannelLog(proc, channel, proc.logPaths[channel]),
      routeOutput: (proc, channel, chunk) => self.routeOutput(proc, channel, chunk),
      stdinFor: (proc) => {
        const g = self.groups.get(proc.group);
        return g?.config.kind === 'fcgi-program' ? deps.fcgiSocket?.(g.config) : undefined;
      },
      onStateChange: (proc, from, to, expected) => self.onStateChange(proc, from, to, expected),
      onSpawn: (proc) => {
        const port = self.listenerPorts.get(proc);
        if (port) self.facts.emit('listenerStarted', port);
      },
      onExit: (proc) => self.onProcessExit(proc),
      signalName: (sig) => sig,
      signalNumberName: (n) => signalNumberName(n),
    };
    this.liveness = this.makeLivenessMonitor();
  }

  /** liveness_check: checks run with the program's environment, directory and user. */
  private makeLivenessMonitor(): LivenessMonitor<Process> {
    return new LivenessMonitor<Process>({
      clock: this.clock,
      logger: this.logger,
      check: (proc, target, timeoutMs) => {
        let env: Record<string, string> | undefined;
        try {
          env = this.ctx.childEnv(proc.config);
        } catch {
          env = undefined; // an env file went bad since the spawn: the check still runs
        }
        return runCheck(target, { timeoutMs, env, cwd: proc.config.directory, uid: proc.config.uid, gid: proc.config.gid });
      },
      restart: (proc) => {
        const ns = makeNamespec(proc.group, proc.name);
        this.stopProcess(ns, true)
          .catch(() => true)
          .then(() => (this.mood === SupervisorState.RUNNING && this.groups.get(proc.group)?.find(proc.name) === proc ? this.startProcess(ns, false) : true))
          .catch((e) => this.logger.warn(`could not restart '${proc.name}' after its liveness check failed: ${(e as Error).message}`));
      },
      onNote: (proc, note) => (proc.statusNote = note),
    });
  }

  get identifier(): string {
    return this.config.supervisord.identifier;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Creates every configured group and starts the autostart programs in priority order. */
  start(): void {
    for (const gc of this.config.groups) this.addGroup(gc);
    this.enterRunning();
  }

  private enterRunning(): void {
    this.mood = SupervisorState.RUNNING;
    this.stopGroups = null;
    this.facts.emit('supervisorState', 'RUNNING');
    for (const g of this.sortedGroups()) g.transition();
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
      if (mood === SupervisorState.SHUTDOWN) this.mood = mood;
      return;
    }
    this.mood = mood;
    this.stopGroups = this.sortedGroups();
    this.facts.emit('supervisorState', 'STOPPING');
    this.scheduleWaitingReport();
    this.advanceShutdown();
  }

  /** A second TERM/INT while stopping: SIGKILL every process group now. */
  killAll(): void {
    for (const g of this.groups.values())
      for (const p of g.processes) {
        if (!p.pid) continue;
        this.logger.warn(`killing '${p.name}' (${p.pid}) with SIGKILL`);
        p.killing = true;
        try {
          this.deps.spawner.kill(-p.pid, 9);
        } catch {
          try {
            this.deps.spawner.kill(p.pid, 9);
          } catch {
            /* already gone */
          }
        }
      }
  }

  /** One step of supervisord's ordered_stop_groups phases: stop the highest group, pop it when done. */
  private advanceShutdown(): void {
    if (!this.stopGroups) return;
    while (this.stopGroups.length) {
      const last = this.stopGroups[this.stopGroups.length - 1];
      last.stopAll();
      if (last.unstopped().length) return;
      this.stopGroups.pop();
    }
    if (this.allUnstopped().length) return;
    this.stopGroups = null;
    if (this.waitingTimer) this.clock.clearTimeout(this.waitingTimer);
    this.waitingTimer = null;
    if (this.mood === SupervisorState.RESTARTING) {
      this.reloadAfterRestart();
    } else {
      for (const r of this.exitResolvers.splice(0)) r();
    }
  }

  private scheduleWaitingReport(): void {
    this.waitingTimer = this.clock.setTimeout(() => {
      const names = this.allUnstopped().map((p) => p.name);
      if (!this.stopGroups) return;
      if (names.length) this.logger.info(`waiting for ${names.join(', ')} to die`);
      this.scheduleWaitingReport();
    }, WAITING_REPORT_MS);
  }

  private reloadAfterRestart(): void {
    try {
      this.config = this.deps.rereadConfig();
    } catch (e) {
      this.logger.error(`could not re-read the config, keeping the old one: ${(e as Error).message}`);
    }
    for (const name of [...this.groups.keys()]) this.dropGroup(name);
    for (const gc of this.config.groups) this.addGroup(gc);
    this.enterRunning();
  }

  /** SIGHUP in svinit: reread + update (apply added, changed and removed groups; leave the rest running). */
  async applyConfigChanges(): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    const diff = this.reloadConfig();
    for (const name of [...diff.removed, ...diff.changed]) {
      const g = this.groups.get(name);
      if (!g) continue;
      await this.stopProcessGroup(name, true).catch(() => []);
      this.removeProcessGroup(name);
    }
    for (const name of [...diff.changed, ...diff.added]) this.addProcessGroup(name);
    return diff;
  }

  // ---------------------------------------------------------------- groups

  private addGroup(gc: GroupConfig): ProcessGroup {
    const group = new ProcessGroup(gc, this.ctx);
    for (const proc of group.processes) {
      for (const channel of ['stdout', 'stderr'] as const) {
        proc.logPaths[channel] = this.resolveLogPath(proc.config, channel, proc.config[channel].logfile);
        // No file to read back: keep the last output in memory instead.
        if (!proc.logPaths[channel] && !(channel === 'stderr' && proc.config.redirectStderr)) proc.tails[channel] = new TailBuffer();
      }
      if (gc.kind === 'eventlistener') this.listenerPorts.set(proc, this.makeListenerPort(proc));
    }
    this.groups.set(gc.name, group);
    this.facts.emit('groupAdded', gc.name);
    return group;
  }

  private resolveLogPath(pc: ProcessConfig, channel: Channel, target: LogTarget): string | null {
    if (channel === 'stderr' && pc.redirectStderr) return null;
    if (target.kind === 'none') return null;
    // A device such as /dev/stdout cannot be read back: such channels get a tail buffer instead.
    if (target.kind === 'file') return /^\/(dev|proc)\//.test(target.path) ? null : target.path;
    return this.deps.resolveAutoLog(pc, channel);
  }

  private dropGroup(name: string): void {
    const g = this.groups.get(name);
    if (!g) return;
    g.dispose();
    for (const p of g.processes) this.liveness.forget(p);
    this.groups.delete(name);
    this.facts.emit('groupRemoved', name);
  }

  private sortedGroups(): ProcessGroup[] {
    return sortGroups([...this.groups.values()]);
  }

  /** Every active process in (group priority, process priority) order. */
  private allProcesses(): Process[] {
    return this.sortedGroups().flatMap((g) => g.byPriority());
  }

  private allUnstopped(): Process[] {
    return this.sortedGroups().flatMap((g) => g.unstopped());
  }

  activeGroups(): ProcessGroup[] {
    return this.sortedGroups();
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
  }

  private onProcessExit(proc: Process): void {
    const port = this.listenerPorts.get(proc);
    if (port) this.facts.emit('listenerExited', port);
  }

  private routeOutput(proc: Process, channel: Channel, chunk: Buffer): boolean {
    const port = channel === 'stdout' ? this.listenerPorts.get(proc) : undefined;
    if (port) this.facts.emit('listenerOutput', port, chunk);
    return false;
  }

  private makeListenerPort(proc: Process): ListenerPort {
    return {
      name: proc.name,
      group: proc.group,
      get pid() {
        return proc.pid;
      },
      isRunning: () => proc.state === ProcessState.RUNNING,
      writeStdin: (data: Buffer) => {
        const stdin = proc.stdin;
        if (!stdin || !proc.pid) return false;
        try {
          stdin.write(data);
          return true;
        } catch {
          return false;
        }
      },
    };
  }

  // ---------------------------------------------------------------- SupervisorApi: state

  getState(): { statecode: SupervisorState; statename: string } {
    return { statecode: this.mood, statename: supervisorStateName(this.mood) };
  }

  assertRunning(): void {
    if (this.mood < SupervisorState.RUNNING) throw new EngineError('SHUTDOWN_STATE');
  }

  readMainLog(offset: number, length: number): string {
    return this.readFileFault(this.logger.path, offset, length);
  }

  clearMainLog(): void {
    try {
      this.logger.clear();
    } catch (e) {
      throw new EngineError('FAILED', (e as Error).message);
    }
  }

  private readFileFault(path: string | null, offset: number, length: number): string {
    if (!path) throw new EngineError('NO_FILE');
    try {
      return readLogSlice(path, offset, length);
    } catch (e) {
      if (e instanceof LogReadError) throw new EngineError(e.kind);
      throw new EngineError('FAILED', (e as Error).message);
    }
  }

  // ---------------------------------------------------------------- config diff

  reloadConfig(): { added: string[]; changed: string[]; removed: string[] } {
    let fresh: Config;
    try {
      fresh = this.deps.rereadConfig();
    } catch (e) {
      throw new EngineError('CANT_REREAD', (e as Error).message);
    }
    this.config = fresh;
    const newByName = new Map(fresh.groups.map((g) => [g.name, g]));
    const added = fresh.groups.filter((g) => !this.groups.has(g.name)).map((g) => g.name);
    const removed = [...this.groups.values()].filter((g) => !newByName.has(g.name)).map((g) => g.name);
    const changed = fresh.groups
      .filter((g) => {
        const cur = this.groups.get(g.name);
        return cur !== undefined && !groupConfigEquals(cur.config, g);
      })
      .map((g) => g.name);
    return { added, changed, removed };
  }

  addProcessGroup(name: string): void {
    const gc = this.config.groups.find((g) => g.name === name);
    if (!gc) throw new EngineError('BAD_NAME', name);
    if (this.groups.has(name)) throw new EngineError('ALREADY_ADDED', name);
    const group = this.addGroup(gc);
    group.transition();
  }

  removeProcessGroup(name: string): void {
    const g = this.groups.get(name);
    if (!g) throw new EngineError('BAD_NAME', name);
    if (g.unstopped().length) throw new EngineError('STILL_RUNNING', name);
    this.dropGroup(name);
  }

  // ---------------------------------------------------------------- lookups

  private getGroupAndProcess(namespec: string): { group: ProcessGroup; proc: Process | null } {
    const [groupName, procName] = splitNamespec(namespec);
    const group = this.groups.get(groupName);
    if (!group) throw new EngineError('BAD_NAME', namespec);
    if (procName === null) return { group, proc: null };
    const proc = group.find(procName);
    if (!proc) throw new EngineError('BAD_NAME', namespec);
    return { group, proc };
  }

  private getProcess(namespec: string): Process {
    const { proc } = this.getGroupAndProcess(namespec);
    if (!proc) throw new EngineError('BAD_NAME', namespec);
    return proc;
  }

  private getGroup(name: string): ProcessGroup {
    const g = this.groups.get(name);
    if (!g) throw new EngineError('BAD_NAME', name);
    return g;
  }

  // ---------------------------------------------------------------- start / stop / signal

  async startProcess(namespec: string, wait: boolean): Promise<true | ProcessResult[]> {
    const { group, proc } = this.getGroupAndProcess(namespec);
    if (!proc) return this.startProcessGroup(group.name, wait);
    try {
      resolveExecArgs(proc.config.command, proc.config.environment.PATH ?? (this.deps.env ?? process.env).PATH);
    } catch (e) {
      if (e instanceof BadCommand) throw new EngineError(e.fault, e.message);
      throw e;
    }
    if (RUNNING_STATES.has(proc.state)) throw new EngineError('ALREADY_STARTED', namespec);
    if (proc.state === ProcessState.UNKNOWN) throw new EngineError('FAILED', `${namespec} is in an unknown process state`);
    proc.spawn();
    if (proc.spawnerr) throw new EngineError('SPAWN_ERROR', namespec);
    proc.transition();
    if (!wait || proc.state === ProcessState.RUNNING) return true;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (proc.spawnerr) {
          reject(new EngineError('SPAWN_ERROR', namespec));
          return true;
        }
        if (proc.state !== ProcessState.STARTING && proc.state !== ProcessState.RUNNING) {
          reject(new EngineError('ABNORMAL_TERMINATION', namespec));
          return true;
        }
        if (proc.state === ProcessState.RUNNING) {
          resolve(true);
          return true;
        }
        return false;
      };
      if (!check()) proc.watch(check);
    });
  }

  startProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]> {
    const group = this.getGroup(name);
    return this.forEachProcess(group.byPriority(), (p) => !RUNNING_STATES.has(p.state), (ns) => this.startProcess(ns, wait));
  }

  startAllProcesses(wait: boolean): Promise<ProcessResult[]> {
    return this.forEachProcess(this.allProcesses(), (p) => !RUNNING_STATES.has(p.state), (ns) => this.startProcess(ns, wait));
  }

  async stopProcess(namespec: string, wait: boolean): Promise<true | ProcessResult[]> {
    const { group, proc } = this.getGroupAndProcess(namespec);
    if (!proc) return this.stopProcessGroup(group.name, wait);
    if (!RUNNING_STATES.has(proc.state)) throw new EngineError('NOT_RUNNING', namespec);
    const msg = proc.stop();
    if (msg !== null) throw new EngineError('FAILED', msg);
    if (!wait || STOPPED_STATES.has(proc.state)) return true;
    return new Promise((resolve) => {
      const check = (): boolean => {
        if (STOPPED_STATES.has(proc.state)) {
          resolve(true);
          return true;
        }
        this.stopReport(proc);
        return false;
      };
      proc.watch(check);
    });
  }

  /** supervisord's stop_report: "waiting for x to stop" at most every 2 s. */
  private stopReport(proc: Process): void {
    if (proc.state !== ProcessState.STOPPING) return;
    const now = this.clock.now();
    if (now - (this.stopReports.get(proc) ?? 0) >= 2000) {
      this.logger.info(`waiting for ${proc.name} to stop`);
      this.stopReports.set(proc, now);
    }
  }

  stopProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]> {
    const group = this.getGroup(name);
    return this.forEachProcess(group.byPriority(), (p) => RUNNING_STATES.has(p.state), (ns) => this.stopProcess(ns, wait));
  }

  stopAllProcesses(wait: boolean): Promise<ProcessResult[]> {
    return this.forEachProcess(this.allProcesses(), (p) => RUNNING_STATES.has(p.state), (ns) => this.stopProcess(ns, wait));
  }

  signalProcess(namespec: string, signal: string): true | ProcessResult[] {
    const { group, proc } = this.getGroupAndProcess(namespec);
    if (!proc) return this.signalProcessGroup(group.name, signal);
    let sig: number;
    try {
      sig = parseSignal(String(signal));
    } catch {
      throw new EngineError('BAD_SIGNAL', String(signal));
    }
    if (!SIGNALLABLE_STATES.has(proc.state)) throw new EngineError('NOT_RUNNING', namespec);
    const msg = proc.signal(sig);
    if (msg !== null) throw new EngineError('FAILED', msg);
    return true;
  }

  signalProcessGroup(name: string, signal: string): ProcessResult[] {
    const group = this.getGroup(name);
    return this.forEachProcessSync(group.byPriority(), (p) => SIGNALLABLE_STATES.has(p.state), (ns) => this.signalProcess(ns, signal));
  }

  signalAllProcesses(signal: string): ProcessResult[] {
    return this.forEachProcessSync(this.allProcesses(), (p) => SIGNALLABLE_STATES.has(p.state), (ns) => this.signalProcess(ns, signal));
  }

  /** Forwards a signal to every running program's process group (PID-1 signal relaying). */
  forwardSignal(sig: number): void {
    for (const p of this.allProcesses()) p.signalGroup(sig);
  }

  /**
   * supervisord's make_allfunc: results of calls that finished at once come first, then those of
   * deferred calls (in process order, as supervisord's poll finds them done together).
   */
  private async forEachProcess(
    procs: Process[],
    predicate: (p: Process) => boolean,
    fn: (namespec: string) => Promise<unknown>,
  ): Promise<ProcessResult[]> {
    const immediate: ProcessResult[] = [];
    const deferred: Array<Promise<ProcessResult>> = [];
    for (const p of procs) {
      if (!predicate(p)) continue;
      let settled: ProcessResult | null = null;
      const promise = fn(makeNamespec(p.group, p.name)).then(
        () => (settled = ok(p)),
        (e) => (settled = failed(p, e)),
      );
      // Let a call that completes synchronously (a fault, or no waiting needed) settle now.
      await Promise.resolve();
      await Promise.resolve();
      if (settled) immediate.push(settled);
      else deferred.push(promise);
    }
    return [...immediate, ...(await Promise.all(deferred))];
  }

  private forEachProcessSync(procs: Process[], predicate: (p: Process) => boolean, fn: (ns: string) => unknown): ProcessResult[] {
    const results: ProcessResult[] = [];
    for (const p of procs) {
      if (!predicate(p)) continue;
      try {
        fn(makeNamespec(p.group, p.name));
        results.push(ok(p));
      } catch (e) {
        results.push(failed(p, e));
      }
    }
    return results;
  }

  // ---------------------------------------------------------------- info

  getProcessInfo(namespec: string): ProcessInfo {
    return this.processInfo(this.getProcess(namespec));
  }

  getAllProcessInfo(): ProcessInfo[] {
    const groups = [...this.groups.values()].sort((a, b) => cmp(a.name, b.name));
    return groups.flatMap((g) => [...g.processes].sort((a, b) => cmp(a.name, b.name)).map((p) => this.processInfo(p)));
  }

  private processInfo(p: Process): ProcessInfo {
    const start = cap(p.laststart / 1000);
    const stop = cap(p.laststop / 1000);
    const now = cap(this.clock.now() / 1000);
    const spawnerr = p.spawnerr ?? '';
    let description = '';
    if (p.state === ProcessState.RUNNING) description = `pid ${p.pid}, uptime ${uptimeText(now - start)}`;
    else if (p.state === ProcessState.FATAL || p.state === ProcessState.BACKOFF)
      description = spawnerr || `unknown error (try "tail ${p.name}")`;
    else if (p.state === ProcessState.STOPPED || p.state === ProcessState.EXITED)
      description = start ? stopTimeText(stop) : 'Not started';
    if (p.statusNote) description = description ? `${description}, ${p.statusNote}` : p.statusNote;
    const configured = (ch: Channel) => p.logPaths[ch] ?? (p.config[ch].logfile.kind === 'file' ? (p.config[ch].logfile as { path: string }).path : '');
    const stdoutLog = configured('stdout');
    return {
      name: p.name,
      group: p.group,
      start,
      stop,
      now,
      state: p.state,
      statename: processStateName(p.state),
      spawnerr,
      exitstatus: p.exitstatus ?? 0,
      logfile: stdoutLog,
      stdout_logfile: stdoutLog,
      stderr_logfile: p.config.redirectStderr ? '' : configured('stderr'),
      pid: p.pid,
      description,
    };
  }

  getAllConfigInfo(): ConfigInfo[] {
    const infos: ConfigInfo[] = [];
    for (const gc of this.config.groups) {
      const active = this.groups.get(gc.name);
      for (const pc of gc.processes) {
        const live = active?.find(pc.name);
        const logName = (ch: Channel) => {
          const t = pc[ch].logfile;
          if (ch === 'stderr' && pc.redirectStderr) return 'none';
          if (t.kind === 'none') return 'none';
          if (t.kind === 'file') return t.path;
          // supervisord shows the real AUTO path until a reread, then 'auto'.
          return live?.logPaths[ch] ?? 'auto';
        };
        infos.push({
          autostart: pc.autostart,
          directory: pc.directory ?? 'none',
          uid: pc.uid ?? 'none',
          command: pc.command,
          exitcodes: pc.exitcodes,
          group: gc.name,
          group_prio: gc.priority,
          inuse: active !== undefined,
          killasgroup: pc.killasgroup,
          name: pc.name,
          process_prio: pc.priority,
          redirect_stderr: pc.redirectStderr,
          startretries: pc.startretries,
          startsecs: pc.startsecs,
          stdout_capture_maxbytes: pc.stdout.captureMaxbytes,
          stdout_events_enabled: pc.stdout.eventsEnabled,
          stdout_logfile: logName('stdout'),
          stdout_logfile_backups: pc.stdout.logfileBackups,
          stdout_logfile_maxbytes: pc.stdout.logfileMaxbytes,
          stdout_syslog: pc.stdout.syslog,
          stopsignal: pc.stopsignal,
          stopwaitsecs: pc.stopwaitsecs,
          stderr_capture_maxbytes: pc.stderr.captureMaxbytes,
          stderr_events_enabled: pc.stderr.eventsEnabled,
          stderr_logfile: logName('stderr'),
          stderr_logfile_backups: pc.stderr.logfileBackups,
          stderr_logfile_maxbytes: pc.stderr.logfileMaxbytes,
          stderr_syslog: pc.stderr.syslog,
          serverurl: pc.serverurl ?? 'auto',
        });
      }
    }
    return infos.sort((a, b) => cmp(a.name, b.name));
  }

  // ---------------------------------------------------------------- logs

  readProcessLog(namespec: string, channel: Channel, offset: number, length: number): string {
    const proc = this.getProcess(namespec);
    const tail = proc.tails[channel];
    if (!proc.logPaths[channel] && tail) {
      try {
        return tail.read(offset, length);
      } catch (e) {
        throw new EngineError((e as LogReadError).kind);
      }
    }
    return this.readFileFault(proc.logPaths[channel], offset, length);
  }

  tailProcessLog(namespec: string, channel: Channel, offset: number, length: number): [string, number, boolean] {
    const proc = this.getProcess(namespec);
    const path = proc.logPaths[channel];
    const tail = proc.tails[channel];
    if (!path && tail) {
      try {
        return tail.tail(offset, length);
      } catch (e) {
        throw new EngineError((e as LogReadError).kind);
      }
    }
    if (!path || !fs.existsSync(path)) return ['', 0, false];
    try {
      return tailLog(path, offset, length);
    } catch (e) {
      if (e instanceof LogReadError) throw new EngineError(e.kind);
      throw new EngineError('FAILED', (e as Error).message);
    }
  }

  processLogPath(namespec: string, channel: Channel): string {
    const path = this.getProcess(namespec).logPaths[channel];
    if (!path || !fs.existsSync(path)) throw new EngineError('NO_FILE', namespec);
    return path;
  }

  clearProcessLogs(namespec: string): void {
    const proc = this.getProcess(namespec);
    try {
      for (const tail of Object.values(proc.tails)) tail?.clear();
      if (proc.pid) proc.clearLogs();
      else
        for (const path of Object.values(proc.logPaths))
          if (path && fs.existsSync(path) && fs.statSync(path).isFile()) fs.truncateSync(path, 0);
    } catch {
      throw new EngineError('FAILED', namespec);
    }
  }

  clearAllProcessLogs(): ProcessResult[] {
    return this.forEachProcessSync(this.allProcesses(), () => true, (ns) => this.clearProcessLogs(ns));
  }

  /** SIGUSR2: reopen every log file (for an external logrotate). */
  reopenLogs(): void {
    this.logger.reopen();
    for (const g of this.groups.values()) for (const p of g.processes) p.reopenLogs();
  }

  sendProcessStdin(namespec: string, chars: string): void {
    const proc = this.getProcess(namespec);
    if (!proc.pid || proc.killing) throw new EngineError('NOT_RUNNING', namespec);
    const stdin = proc.stdin as (NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean }) | null;
    if (!stdin || stdin.destroyed || stdin.writableEnded) throw new EngineError('NO_FILE', namespec);
    stdin.write(Buffer.from(chars, 'utf8'));
  }

  sendRemoteCommEvent(type: string, data: string): void {
    this.facts.emit('remoteCommunication', { type, data });
  }

  /** Pids of every live child, for the PID-1 reaper's bookkeeping and the final sweep. */
  childPids(): number[] {
    return [...this.groups.values()].flatMap((g) => g.processes.map((p) => p.pid)).filter((pid) => pid > 0);
  }
}

function ok(p: Process): ProcessResult {
  return { name: p.name, group: p.group, status: Faults.SUCCESS, description: 'OK' };
}

function failed(p: Process, e: unknown): ProcessResult {
  if (e instanceof EngineError) return { name: p.name, group: p.group, status: e.code, description: e.message };
  return { name: p.name, group: p.group, status: Faults.FAILED, description: `FAILED: ${(e as Error).message}` };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 15 → 'SIGTERM'. */
export function signalNumberName(sig: number): string {
  const entry = Object.entries(os.constants.signals).find(([, n]) => n === sig);
  return entry ? entry[0] : `signal ${sig}`;
}

/**
 * The checks supervisord's child makes before exec, done here before spawning so the failure
 * lands in the process log like supervisord's `supervisor: couldn't chdir to …` lines.
 */
function checkChildSetup(pc: ProcessConfig): string | null {
  if (pc.uid !== null) {
    const me = process.getuid?.();
    if (me !== undefined && me !== 0 && me !== pc.uid) return `couldn't setuid to ${pc.uid}: Can't drop privilege as nonroot user`;
  }
  if (pc.directory !== null) {
    try {
      if (!fs.statSync(pc.directory).isDirectory()) return `couldn't chdir to ${pc.directory}: ENOTDIR`;
    } catch (e) {
      return `couldn't chdir to ${pc.directory}: ${(e as NodeJS.ErrnoException).code ?? 'ENOENT'}`;
    }
  }
  return null;
}
