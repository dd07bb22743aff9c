// Pacing of automatic restarts (autorestart after an exit from RUNNING or STARTING with
// startsecs=0). supervisord restarts a program that died at its next poll, ~0.03 s later, and
// its 1 s poll is what keeps a program that dies at once from spinning. svinit has no poll, so a
// token bucket stands in for it: the first restarts are immediate, as supervisord's, and a crash
// loop is held to one spawn per interval.

/**
 * A crash-looping program with startsecs=0 would otherwise be respawned in a tight loop
 * (supervisord is paced only by its 1 s poll). After a short burst of immediate restarts, svinit
 * spaces automatic spawns of one process at least this far apart.
 */
export const MIN_RESPAWN_INTERVAL_MS = 1000;

/** Restarts allowed back to back before the pacing starts. */
export const RESPAWN_BURST = 3;

export class RespawnPacer {
  private tokens: number;
  private updatedAt = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly burst = RESPAWN_BURST,
  ) {
    this.tokens = burst;
  }

  /** Milliseconds to wait from `now` before the next automatic spawn may happen (0: now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) * this.intervalMs);
  }

  /** Records an automatic spawn at `now`. */
  take(now: number): void {
    this.refill(now);
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(now: number): void {
    if (this.updatedAt !== -Infinity) this.tokens = Math.min(this.burst, this.tokens + (now - this.updatedAt) / this.intervalMs);
    this.updatedAt = now;
  }
}
