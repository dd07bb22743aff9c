// One shutdown budget (`[supervisord] shutdown_timeout`): from the moment shutdown begins, programs
// stop in order as usual, but when the budget is nearly spent everything left gets SIGKILL, and
// svinit exits before the budget ends. So a container whose orchestrator allows N seconds
// (Kubernetes' terminationGracePeriodSeconds) and svinit's shutdown_timeout below N never meets
// the orchestrator's own SIGKILL. Unset, shutdown is supervisord's: each program's stopwaitsecs.

import type { ActivityLogger } from '../logging/types.js';
import type { Clock, TimerHandle } from '../engine/types.js';

/** Time kept back for the SIGKILLed programs to be reaped and svinit to close its logs. */
export function killMarginMs(budgetMs: number): number {
  return Math.min(2000, Math.max(500, budgetMs / 10));
}

/** Time kept back for the process to end once svinit gives up waiting. */
export const EXIT_MARGIN_MS = 200;

export interface ShutdownBudgetDeps {
  clock: Clock;
  logger: ActivityLogger;
  /** SIGKILL every process (and process group) still alive. */
  killAll(): void;
  /** The last resort when processes outlive SIGKILL (uninterruptible sleep): exit now. */
  forceExit(): void;
}

export class ShutdownBudget {
  private startedAt: number | null = null;
  private timers: TimerHandle[] = [];

  constructor(
    private readonly budgetSecs: number,
    private readonly deps: ShutdownBudgetDeps,
  ) {}

  /** Shutdown has begun: start spending. Later calls change nothing. */
  begin(): void {
    if (this.startedAt !== null) return;
    const { clock, logger } = this.deps;
    this.startedAt = clock.now();
    const budgetMs = this.budgetSecs * 1000;
    const killAt = Math.max(0, budgetMs - killMarginMs(budgetMs));
    this.timers.push(
      clock.setTimeout(() => {
        logger.warn(`shutdown_timeout of ${this.budgetSecs} s nearly spent: killing every remaining process with SIGKILL`);
        this.deps.killAll();
      }, killAt),
      clock.setTimeout(() => {
        logger.critical(`shutdown_timeout of ${this.budgetSecs} s spent and processes are still alive after SIGKILL: exiting now`);
        this.deps.forceExit();
      }, Math.max(killAt, budgetMs - EXIT_MARGIN_MS)),
    );
  }

  /** Milliseconds left before svinit must be gone (Infinity before shutdown began). */
  remainingMs(): number {
    if (this.startedAt === null) return Infinity;
    return Math.max(0, this.startedAt + this.budgetSecs * 1000 - EXIT_MARGIN_MS - this.deps.clock.now());
  }

  /** Everything stopped in time: disarm. */
  cancel(): void {
    for (const t of this.timers) this.deps.clock.clearTimeout(t);
    this.timers = [];
  }
}
