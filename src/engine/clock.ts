// The real clock. The engine schedules every transition on a Clock, so tests drive time with the
// fake one in test/helpers/fake-clock.ts.

import type { Clock, TimerHandle } from './types.js';

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { id: t };
  },
  clearTimeout(handle) {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
};

/** One re-armable timer on a Clock: a process's next deadline (startsecs, backoff, stopwaitsecs). */
export class Deadline {
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly due: () => void,
  ) {}

  /** Fires `due` at clock time `at` (now, if that is past); replaces any armed time. */
  at(at: number): void {
    this.cancel();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.due();
    }, at - this.clock.now());
  }

  cancel(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
