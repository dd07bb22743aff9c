// The process operations behind supervisord's rpcinterface: start, stop and signal a process, a
// group or everything, and write to a process's stdin. Faults are supervisord's (EngineError).

import { parseSignal } from '../config/index.js';
import type { ActivityLogger } from '../logging/types.js';
import type { ActiveGroups } from './active-groups.js';
import type { DependencyTracker } from './dependency-tracker.js';
import { EngineError } from './errors.js';
import type { Process } from './process.js';
import { forEachProcess, forEachProcessSync } from './results.js';
import { BadCommand, resolveExecArgs } from './spawn-args.js';
import { ProcessState, RUNNING_STATES, SIGNALLABLE_STATES, STOPPED_STATES } from './states.js';
import type { Clock, ProcessResult } from './types.js';

/** supervisord's stop_report interval: "waiting for x to stop" at most this often. */
const STOP_REPORT_MS = 2000;

export class ProcessControl {
  private readonly stopReports = new WeakMap<Process, number>();

  constructor(
    private readonly groups: ActiveGroups,
    private readonly clock: Clock,
    private readonly logger: ActivityLogger,
    /** svinit's own environment, for the PATH a command is looked up in. */
    private readonly env: NodeJS.ProcessEnv,
    /** depends_on: `start x` starts what x depends on first. */
    private readonly dependencies?: DependencyTracker,
  ) {}

  async startProcess(namespec: string, wait: boolean): Promise<true | ProcessResult[]> {
    const { group, proc } = this.groups.resolve(namespec);
    if (!proc) return this.startProcessGroup(group.name, wait);
    try {
      resolveExecArgs(proc.config.command, proc.config.environment.PATH ?? this.env.PATH);
    } catch (e) {
      if (e instanceof BadCommand) throw new EngineError(e.fault, e.message);
      throw e;
    }
    if (RUNNING_STATES.has(proc.state)) throw new EngineError('ALREADY_STARTED', namespec);
    if (proc.state === ProcessState.UNKNOWN) throw new EngineError('FAILED', `${namespec} is in an unknown process state`);
    if (this.dependencies && this.startAfterDependencies(proc)) {
      if (!wait) return true;
    } else {
      proc.spawn();
      if (proc.spawnerr) throw new EngineError('SPAWN_ERROR', namespec);
      proc.transition();
      if (!wait || proc.state === ProcessState.RUNNING) return true;
    }
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (proc.spawnerr) {
          reject(new EngineError('SPAWN_ERROR', namespec));
          return true;
        }
        // Held back until its dependencies are ready: keep waiting (a failed dependency ends the wait).
        if (proc.startRequested) return false;
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

  /**
   * depends_on: asks the dependencies that are neither running nor done to start (deepest first),
   * and holds `proc` until its conditions hold. Returns false when nothing holds it back.
   */
  private startAfterDependencies(proc: Process): boolean {
    const deps = this.dependencies!;
    for (const d of deps.toStartBefore(proc)) {
      d.startRequested = true;
      d.transition();
    }
    if (deps.gate(proc).status === 'met') return false;
    proc.startRequested = true;
    proc.transition();
    return true;
  }

  startProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]> {
    return this.startEach(this.groups.group(name).byPriority(), wait);
  }

  startAllProcesses(wait: boolean): Promise<ProcessResult[]> {
    return this.startEach(this.groups.allProcesses(), wait);
  }

  private startEach(procs: Process[], wait: boolean): Promise<ProcessResult[]> {
    return forEachProcess(procs, (p) => !RUNNING_STATES.has(p.state), (ns) => this.startProcess(ns, wait));
  }

  async stopProcess(namespec: string, wait: boolean): Promise<true | ProcessResult[]> {
    const { group, proc } = this.groups.resolve(namespec);
    if (!proc) return this.stopProcessGroup(group.name, wait);
    if (!RUNNING_STATES.has(proc.state)) throw new EngineError('NOT_RUNNING', namespec);
    const msg = proc.stop();
    if (msg !== null) throw new EngineError('FAILED', msg);
    if (!wait || STOPPED_STATES.has(proc.state)) return true;
    return new Promise((resolve) => {
      proc.watch(() => {
        if (STOPPED_STATES.has(proc.state)) {
          resolve(true);
          return true;
        }
        this.stopReport(proc);
        return false;
      });
    });
  }

  stopProcessGroup(name: string, wait: boolean): Promise<ProcessResult[]> {
    return this.stopEach(this.groups.group(name).byPriority(), wait);
  }

  stopAllProcesses(wait: boolean): Promise<ProcessResult[]> {
    return this.stopEach(this.groups.allProcesses(), wait);
  }

  private stopEach(procs: Process[], wait: boolean): Promise<ProcessResult[]> {
    return forEachProcess(procs, (p) => RUNNING_STATES.has(p.state), (ns) => this.stopProcess(ns, wait));
  }

  /** supervisord's stop_report: "waiting for x to stop" while a waited-for stop is under way. */
  private stopReport(proc: Process): void {
    if (proc.state !== ProcessState.STOPPING) return;
    const now = this.clock.now();
    if (now - (this.stopReports.get(proc) ?? 0) >= STOP_REPORT_MS) {
      this.logger.info(`waiting for ${proc.name} to stop`);
      this.stopReports.set(proc, now);
    }
  }

  signalProcess(namespec: string, signal: string): true | ProcessResult[] {
    const { group, proc } = this.groups.resolve(namespec);
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
    return this.signalEach(this.groups.group(name).byPriority(), signal);
  }

  signalAllProcesses(signal: string): ProcessResult[] {
    return this.signalEach(this.groups.allProcesses(), signal);
  }

  private signalEach(procs: Process[], signal: string): ProcessResult[] {
    return forEachProcessSync(procs, (p) => SIGNALLABLE_STATES.has(p.state), (ns) => this.signalProcess(ns, signal));
  }

  /** Forwards a signal to every running program's process group (PID-1 signal relaying). */
  forwardSignal(sig: number): void {
    for (const p of this.groups.allProcesses()) p.signalGroup(sig);
  }

  sendProcessStdin(namespec: string, chars: string): void {
    const proc = this.groups.process(namespec);
    if (!proc.pid || proc.killing) throw new EngineError('NOT_RUNNING', namespec);
    const stdin = proc.stdin as (NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean }) | null;
    if (!stdin || stdin.destroyed || stdin.writableEnded) throw new EngineError('NO_FILE', namespec);
    stdin.write(Buffer.from(chars, 'utf8'));
  }
}
