// One supervised process and supervisord's state machine for it (process.py Subprocess).
//
// supervisord evaluates transition() once per poll loop (about every second). svinit calls the same
// transition() when its cause happens — a spawn, an exit, a stop request, a change of mood — and
// schedules one timer for the next moment transition() has something to do (startsecs elapsed,
// backoff delay over, stopwaitsecs over). Behaviour matches supervisord, minus the poll latency.

import { signame } from '../config/signals.js';
import type { ProcessConfig } from '../config/types.js';
import type { ProcessContext } from './context.js';
import { Deadline } from './clock.js';
import { describeExit, exitedTooQuickly } from './exit.js';
import { deliverSignal, killGroupOrProcess } from './kill.js';
import { launch } from './launch.js';
import { ProcessOutput } from './process-output.js';
import { ProcessRecord } from './process-record.js';
import { MIN_RESPAWN_INTERVAL_MS, RespawnPacer } from './respawn-pacer.js';
import { SpawnReadiness } from './spawn-readiness.js';
import { ProcessState, SIGNALLABLE_STATES, STOPPED_STATES } from './states.js';
import { SpawnFailure, type ChildHandle, type ExitInfo } from './types.js';

export class Process extends ProcessRecord {
  private child: ChildHandle | null = null;
  private readonly respawnPacer = new RespawnPacer(MIN_RESPAWN_INTERVAL_MS);
  private readonly output: ProcessOutput;
  private readonly deadline: Deadline;
  private stateWaiters = new Set<() => void>();
  private readiness: SpawnReadiness<Process> | null = null;

  constructor(
    config: ProcessConfig,
    private readonly ctx: ProcessContext<Process>,
  ) {
    super(config);
    this.deadline = new Deadline(ctx.clock, () => this.transition());
    const self = this;
    this.output = new ProcessOutput({
      get redirectStderr() {
        return self.config.redirectStderr;
      },
      tails: this.tails,
      openChannelLog: (channel) => ctx.openChannelLog(this, channel),
      onOutput: (channel, chunk) => {
        this.outputBytes[channel] += chunk.length;
        ctx.onOutput?.(this, channel, chunk);
      },
      // After the log has the line, so "success: … matched ready_log_regex" follows it.
      afterLog: (channel, chunk) => this.readiness?.output(channel, chunk),
    });
  }

  /** The child's stdin, for sendProcessStdin and event listeners. */
  get stdin(): NodeJS.WritableStream | null {
    return this.child?.stdin ?? null;
  }

  /** Calls fn after every state change until it returns true. */
  watch(fn: () => boolean): void {
    const waiter = () => {
      if (fn()) this.stateWaiters.delete(waiter);
    };
    this.stateWaiters.add(waiter);
  }

  changeState(to: ProcessState, expected?: boolean): void {
    const from = this.state;
    if (to === from) return;
    this.state = to;
    if (to === ProcessState.BACKOFF) {
      this.backoff += 1;
      this.delay = this.ctx.clock.now() + this.backoff * 1000;
    }
    this.ctx.onStateChange(this, from, to, expected);
    for (const w of [...this.stateWaiters]) w();
  }

  private recordSpawnerr(msg: string): void {
    this.spawnerr = msg;
    this.ctx.logger.info(`spawnerr: ${msg}`);
  }

  /** supervisord's spawn(): STARTING, then fork/exec, or BACKOFF with a spawnerr. Returns the pid or 0. */
  spawn(): number {
    const { logger, clock } = this.ctx;
    if (this.pid) {
      logger.warn(`process '${this.name}' already running`);
      return 0;
    }
    this.killing = false;
    this.spawnerr = null;
    this.exitstatus = null;
    this.systemStop = false;
    this.administrativeStop = false;
    this.readyFailure = null;
    this.laststart = clock.now();
    this.changeState(ProcessState.STARTING);

    const readiness = this.config.readiness
      ? new SpawnReadiness(this, this.ctx, this.config.readiness, (how) => this.becameReady(how), (why) => this.neverReady(why))
      : null;
    const launched = launch(this, this.ctx, readiness, () => this.output.open());
    if (launched.kind === 'bad-command') {
      this.lastSpawnError = launched.errno;
      this.recordSpawnerr(launched.message);
      this.changeState(ProcessState.BACKOFF);
      this.schedule();
      return 0;
    }
    if (launched.kind === 'fork-failed') {
      this.spawnFailed(launched.error, launched.argv0);
      return 0;
    }
    const child = launched.child;
    this.lastSpawnError = null;
    this.attach(child);
    logger.info(`spawned: '${this.name}' with pid ${child.pid}`);
    this.ctx.onSpawn?.(this);
    this.spawnerr = null;
    this.delay = clock.now() + this.config.startsecs * 1000;
    // Readiness replaces startsecs: RUNNING when ready, a failed start when not ready in time.
    this.readiness = readiness;
    readiness?.begin();
    this.schedule();
    return child.pid;
  }

  private becameReady(how: string): void {
    if (this.state !== ProcessState.STARTING) return;
    this.delay = 0;
    this.backoff = 0;
    this.changeState(ProcessState.RUNNING);
    this.ctx.logger.info(`success: ${this.name} entered RUNNING state, ${how}`);
  }

  /** Not ready in time counts as a failed start: stop it, and finish() turns the exit into BACKOFF. */
  private neverReady(why: string): void {
    if (this.state !== ProcessState.STARTING) return;
    this.readyFailure = why;
    this.ctx.logger.warn(`not ready: ${this.name} (${why})`);
    this.kill(this.config.stopsignal);
  }

  /** The program's last sd_notify STATUS= text, for the status description. */
  get notifyStatus(): string | null {
    return this.readiness?.status ?? null;
  }

  private stopReadiness(): void {
    this.readiness?.close();
    this.readiness = null;
  }

  /**
   * The exec (or chdir/setuid) failed. supervisord's child writes why to its stderr and exits 127,
   * which the parent sees as "Exited too quickly"; svinit writes the same lines and takes the same path.
   */
  private spawnFailed(err: Error, argv0: string): void {
    const failure = err instanceof SpawnFailure ? err : new SpawnFailure(err.message, (err as NodeJS.ErrnoException).code);
    this.lastSpawnError = failure.errno ?? 'EUNKNOWN';
    if (failure.errno === 'EMFILE') {
      this.output.close();
      this.recordSpawnerr(`too many open files to spawn '${this.name}'`);
      this.changeState(ProcessState.BACKOFF);
      this.schedule();
      return;
    }
    const line = failure.errno === 'CHILD' ? failure.message : `couldn't exec ${argv0}: ${failure.errno ?? failure.message}`;
    this.output.writeFailure(`supervisor: ${line}\nsupervisor: child process was not spawned\n`);
    this.output.close();
    this.laststop = this.ctx.clock.now();
    this.recordSpawnerr('Exited too quickly (process log may have details)');
    this.ctx.logger.warn(`exited: ${this.name} (exit status 127; not expected)`);
    this.changeState(ProcessState.BACKOFF);
    this.schedule();
  }

  private attach(child: ChildHandle): void {
    this.child = child;
    this.pid = child.pid;
    this.output.attach(child);
    child.stdin?.on('error', () => undefined);
    child.onExit((exit) => this.finish(child, exit));
  }

  /** supervisord's finish(): the child was reaped. */
  private finish(child: ChildHandle, exit: ExitInfo): void {
    if (this.child !== child) return;
    const { clock, logger } = this.ctx;
    const { es, msg } = describeExit(exit);
    this.lastExit = exit;
    this.stopReadiness();
    const now = clock.now();
    this.laststop = now;
    const tooQuickly = exitedTooQuickly(this, now);
    if (tooQuickly === null) {
      logger.warn(
        `process '${this.name}' (${this.pid}) laststart time is in the future, don't know how long process was running so assuming it did not exit too quickly`,
      );
    }
    const expected = this.config.exitcodes.includes(es);
    const oldPid = this.pid;
    this.child = null;
    // pid stays set during the transition so STOPPED/EXITED events carry it, as supervisord's do.
    if (this.killing && this.readyFailure === null) {
      this.killing = false;
      this.delay = 0;
      this.exitstatus = es;
      this.pid = 0;
      this.exitPid = oldPid;
      this.changeState(ProcessState.STOPPED);
      const line = `stopped: ${this.name} (${msg})`;
      if (expected) logger.info(line);
      else logger.warn(line);
    } else if (tooQuickly) {
      this.killing = false;
      this.exitstatus = null;
      this.spawnerr = this.readyFailure ?? 'Exited too quickly (process log may have details)';
      this.pid = 0;
      this.exitPid = oldPid;
      this.changeState(ProcessState.BACKOFF);
      logger.warn(`exited: ${this.name} (${msg}; not expected)`);
    } else {
      this.delay = 0;
      this.backoff = 0;
      this.exitstatus = es;
      this.exitPid = oldPid;
      if (this.state === ProcessState.STARTING) this.changeState(ProcessState.RUNNING);
      this.pid = 0;
      if (expected) {
        this.changeState(ProcessState.EXITED, true);
        logger.info(`exited: ${this.name} (${msg}; expected)`);
      } else {
        this.spawnerr = `Bad exit code ${es}`;
        this.changeState(ProcessState.EXITED, false);
        logger.warn(`exited: ${this.name} (${msg}; not expected)`);
      }
    }
    this.exitPid = 0;
    this.ctx.onExit?.(this);
    this.transition();
  }

  /** supervisord's stop(): an administrative stop. Returns an error message or null. */
  stop(): string | null {
    this.administrativeStop = true;
    return this.kill(this.config.stopsignal);
  }

  /** BACKOFF → FATAL (group stop at shutdown). */
  giveUp(): void {
    this.delay = 0;
    this.backoff = 0;
    this.changeState(ProcessState.FATAL);
    this.schedule();
  }

  /** supervisord's kill(): STARTING/RUNNING/STOPPING → STOPPING, signal sent. */
  kill(sig: number): string | null {
    const { logger, clock } = this.ctx;
    if (this.state === ProcessState.BACKOFF) {
      logger.debug(`Attempted to kill ${this.name}, which is in BACKOFF state.`);
      this.changeState(ProcessState.STOPPED);
      this.schedule();
      return null;
    }
    if (!this.pid) return this.notRunning(sig);
    const asGroup = this.state === ProcessState.STOPPING ? this.config.killasgroup : this.config.stopasgroup;
    logger.debug(
      `killing ${this.name} (pid ${this.pid}) ${asGroup ? 'process group ' : ''}with signal ${signame(sig)}`,
    );
    this.killing = true;
    this.delay = clock.now() + this.config.stopwaitsecs * 1000;
    this.changeState(ProcessState.STOPPING);
    this.schedule();
    const problem = deliverSignal(this.ctx, asGroup ? -this.pid : this.pid, sig, { name: this.name, pid: this.pid, doing: 'killing', when: 'just' });
    if (problem) {
      this.changeState(ProcessState.UNKNOWN);
      this.killing = false;
      this.delay = 0;
    }
    return problem;
  }

  private notRunning(sig: number): string {
    const msg = `attempted to kill ${this.name} with sig ${signame(sig)} but it wasn't running`;
    this.ctx.logger.debug(msg);
    return msg;
  }

  /** signalProcess: send a signal to the process (not its group) without a state change. */
  signal(sig: number): string | null {
    const { logger } = this.ctx;
    if (!this.pid) return this.notRunning(sig);
    logger.debug(`sending ${this.name} (pid ${this.pid}) sig ${signame(sig)}`);
    const problem = deliverSignal(this.ctx, this.pid, sig, { name: this.name, pid: this.pid, doing: 'sending sig', when: 'just now' });
    if (problem) this.changeState(ProcessState.UNKNOWN);
    return problem;
  }

  /** Forward a signal to the process group (svinit as PID 1 relays e.g. WINCH). */
  signalGroup(sig: number): void {
    if (!this.pid || !SIGNALLABLE_STATES.has(this.state)) return;
    killGroupOrProcess(this.ctx.spawner, this.pid, sig);
  }

  /** supervisord's transition(), evaluated now; schedules itself for its next deadline. */
  transition(): void {
    const { clock, logger } = this.ctx;
    const now = clock.now();
    const state = this.state;
    if (this.ctx.moodRunning()) {
      if (this.startRequested && STOPPED_STATES.has(state)) {
        this.spawnWhenAllowed();
      } else if (state === ProcessState.EXITED) {
        const restart =
          this.config.autorestart === true ||
          (this.config.autorestart === 'unexpected' && !this.config.exitcodes.includes(this.exitstatus ?? -1));
        if (restart) {
          const wait = this.respawnPacer.waitMs(now);
          if (wait > 0) return this.deadline.at(now + wait);
          this.respawnPacer.take(now);
          this.spawn();
        }
      } else if (state === ProcessState.STOPPED && !this.laststart && this.config.autostart) {
        this.spawnWhenAllowed();
      } else if (state === ProcessState.BACKOFF) {
        if (this.backoff <= this.config.startretries && now > this.delay) this.spawn();
      }
    }
    if (state === ProcessState.STARTING && this.state === ProcessState.STARTING && !this.config.readiness) {
      if (now - this.laststart > this.config.startsecs * 1000) {
        this.becameReady(`process has stayed up for > than ${this.config.startsecs} seconds (startsecs)`);
      }
    }
    if (this.state === ProcessState.BACKOFF) {
      if (this.backoff > this.config.startretries) {
        this.giveUp();
        logger.info(`gave up: ${this.name} entered FATAL state, too many start retries too quickly`);
      }
    } else if (this.state === ProcessState.STOPPING && state === ProcessState.STOPPING) {
      if (this.delay - now <= 0) {
        logger.warn(`killing '${this.name}' (${this.pid}) with SIGKILL`);
        this.kill(9);
      }
    }
    this.schedule();
  }

  /** depends_on: spawn now if every dependency holds, else remember (and log once) what it waits for. */
  private spawnWhenAllowed(): void {
    const gate = this.ctx.startGate?.(this);
    if (gate && gate.status !== 'met') {
      if (this.waitingFor !== gate.text) this.ctx.logger.info(`held: '${this.name}' ${gate.text}`);
      this.waitingFor = gate.text;
      if (gate.status === 'failed' && this.startRequested) {
        // A requested start gives up (an autostart keeps waiting: the dependency may be started again).
        this.startRequested = false;
        for (const w of [...this.stateWaiters]) w();
      }
      return;
    }
    this.waitingFor = null;
    this.startRequested = false;
    this.spawn();
  }

  /** Arms the one timer at the next moment transition() has work to do. */
  private schedule(): void {
    const now = this.ctx.clock.now();
    switch (this.state) {
      case ProcessState.STARTING:
        // With readiness configured, the ReadinessWatch owns the clock until ready or ready_timeout.
        if (this.config.readiness) return this.deadline.cancel();
        return this.deadline.at(this.laststart + this.config.startsecs * 1000 + 1);
      case ProcessState.BACKOFF:
        if (this.backoff > this.config.startretries) return this.deadline.at(now);
        return this.ctx.moodRunning() ? this.deadline.at(this.delay + 1) : this.deadline.cancel();
      case ProcessState.STOPPING:
        return this.deadline.at(this.delay);
      default:
        return this.deadline.cancel();
    }
  }

  /** Detaches timers; used when the process's group is removed. */
  dispose(): void {
    this.deadline.cancel();
    this.stopReadiness();
    this.stateWaiters.clear();
  }

  /** Reopen (USR2) or clear the current spawn's log files. */
  reopenLogs(): void {
    this.output.reopen();
  }

  clearLogs(): void {
    this.output.clear();
  }
}
