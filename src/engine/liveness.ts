// Liveness checks: while a process is RUNNING, its liveness_check runs every interval (after the
// initial delay); `failure_threshold` failures in a row restart it the normal way (stopsignal,
// stopwaitsecs, then SIGKILL) and the activity log says why. The status description shows the
// last failure until a check succeeds again. Time runs on the injectable Clock.

import type { CheckTarget } from '../config/depends.js';
import type { LivenessSettings } from '../config/liveness.js';
import type { ActivityLogger } from '../logging/types.js';
import { makeNamespec } from '../config/index.js';
import { runCheck, type CheckOutcome } from './checks.js';
import type { Process } from './process.js';
import { ProcessState } from './states.js';
import type { Clock, TimerHandle } from './types.js';

/** What liveness needs of a process (the engine's Process has it). */
export interface LivenessSubject {
  readonly name: string;
  readonly group: string;
  readonly state: ProcessState;
  readonly config: { liveness?: LivenessSettings | null };
}

export interface LivenessDeps<P extends LivenessSubject> {
  clock: Clock;
  logger: ActivityLogger;
  /** One attempt of the check, ending within timeoutMs (src/engine/checks.ts runCheck). */
  check(proc: P, target: CheckTarget, timeoutMs: number): Promise<CheckOutcome>;
  /** Stop the process the normal way, then start it again. */
  restart(proc: P, reason: string): void;
  /** The status text changed (see description()). */
  onNote?(proc: P, note: string | null): void;
}

interface ProbeState {
  timer: TimerHandle | null;
  /** Bumped whenever checking stops, so a result that arrives afterwards is dropped. */
  generation: number;
  failures: number;
  lastFailure: string | null;
  restartedForIt: boolean;
}

export class LivenessMonitor<P extends LivenessSubject> {
  private readonly probes = new Map<P, ProbeState>();

  constructor(private readonly deps: LivenessDeps<P>) {}

  /** Called on every state change: checking runs exactly while the process is RUNNING. */
  onStateChange(proc: P, to: ProcessState): void {
    const settings = proc.config.liveness;
    if (!settings) return;
    const probe = this.probeFor(proc);
    this.halt(probe);
    if (to !== ProcessState.RUNNING) return;
    probe.failures = 0;
    this.deps.onNote?.(proc, this.description(proc));
    this.schedule(proc, probe, settings.initialDelaySecs * 1000);
  }

  /** Text for the status description, or null when the last check (if any) succeeded. */
  description(proc: P): string | null {
    const probe = this.probes.get(proc);
    if (!probe?.lastFailure) return null;
    const settings = proc.config.liveness;
    if (probe.restartedForIt && probe.failures === 0) return `restarted after failed liveness checks: ${probe.lastFailure}`;
    return `liveness check failed ${probe.failures}/${settings?.failureThreshold ?? probe.failures}: ${probe.lastFailure}`;
  }

  /** The process is gone (its group was removed): stop checking it. */
  forget(proc: P): void {
    const probe = this.probes.get(proc);
    if (probe) this.halt(probe);
    this.probes.delete(proc);
  }

  private probeFor(proc: P): ProbeState {
    let probe = this.probes.get(proc);
    if (!probe) this.probes.set(proc, (probe = { timer: null, generation: 0, failures: 0, lastFailure: null, restartedForIt: false }));
    return probe;
  }

  private halt(probe: ProbeState): void {
    if (probe.timer) this.deps.clock.clearTimeout(probe.timer);
    probe.timer = null;
    probe.generation++;
  }

  private schedule(proc: P, probe: ProbeState, ms: number): void {
    const generation = probe.generation;
    probe.timer = this.deps.clock.setTimeout(() => {
      probe.timer = null;
      void this.attempt(proc, probe, generation);
    }, ms);
  }

  private async attempt(proc: P, probe: ProbeState, generation: number): Promise<void> {
    const settings = proc.config.liveness;
    if (!settings || proc.state !== ProcessState.RUNNING) return;
    const { clock, logger } = this.deps;
    const started = clock.now();
    let outcome: CheckOutcome;
    try {
      outcome = await this.deps.check(proc, settings.target, settings.timeoutSecs * 1000);
    } catch (e) {
      outcome = { ok: false, detail: (e as Error).message };
    }
    if (probe.generation !== generation || proc.state !== ProcessState.RUNNING) return;
    if (outcome.ok) {
      probe.failures = 0;
      probe.lastFailure = null;
      probe.restartedForIt = false;
    } else {
      probe.failures++;
      probe.lastFailure = outcome.detail;
      logger.warn(`liveness check of '${proc.name}' failed (${probe.failures}/${settings.failureThreshold}): ${outcome.detail}`);
      if (probe.failures >= settings.failureThreshold) {
        const reason = `liveness check failed ${probe.failures} times in a row: ${outcome.detail}`;
        logger.warn(`restarting '${proc.name}': ${reason}`);
        probe.restartedForIt = true;
        probe.failures = 0;
        this.halt(probe);
        this.deps.onNote?.(proc, this.description(proc));
        this.deps.restart(proc, reason);
        return;
      }
    }
    this.deps.onNote?.(proc, this.description(proc));
    // The interval runs from the start of one attempt to the start of the next; attempts never overlap.
    const next = started + settings.intervalSecs * 1000 - clock.now();
    this.schedule(proc, probe, Math.max(0, next));
  }
}

/** What the Supervisor gives the liveness monitor of its processes. */
export interface ProcessLivenessDeps {
  clock: Clock;
  logger: ActivityLogger;
  /** The program's environment (env files re-read); may throw when an env file went bad. */
  childEnv(config: Process['config']): Record<string, string>;
  /** supervisord's stopProcess(wait=true) and startProcess(wait=false) by namespec. */
  stop(namespec: string): Promise<unknown>;
  start(namespec: string): Promise<unknown>;
  /** False once the process's group was removed or svinit is shutting down: no start then. */
  mayStart(proc: Process): boolean;
}

/** The monitor as the engine uses it: checks run as the program; a restart is stop, then start. */
export function processLiveness(deps: ProcessLivenessDeps): LivenessMonitor<Process> {
  return new LivenessMonitor<Process>({
    clock: deps.clock,
    logger: deps.logger,
    check: (proc, target, timeoutMs) => {
      let env: Record<string, string> | undefined;
      try {
        env = deps.childEnv(proc.config);
      } catch {
        env = undefined; // an env file went bad since the spawn: check with svinit's environment
      }
      return runCheck(target, { timeoutMs, env, cwd: proc.config.directory, uid: proc.config.uid, gid: proc.config.gid });
    },
    restart: (proc) => {
      const ns = makeNamespec(proc.group, proc.name);
      deps
        .stop(ns)
        .catch(() => true)
        .then(() => (deps.mayStart(proc) ? deps.start(ns) : true))
        .catch((e) => deps.logger.warn(`could not restart '${proc.name}' after its liveness check failed: ${(e as Error).message}`));
    },
    onNote: (proc, note) => (proc.statusNote = note),
  });
}
