// The token bucket behind automatic restarts: immediate at first, one per interval in a loop.

import { describe, expect, it } from 'vitest';
import { RESPAWN_BURST, RespawnPacer } from '../../../src/engine/respawn-pacer.js';

describe('RespawnPacer', () => {
  it('allows a burst of immediate restarts, then one per interval', () => {
    const p = new RespawnPacer(1000);
    for (let i = 0; i < RESPAWN_BURST; i++) {
      expect(p.waitMs(10 * i)).toBe(0);
      p.take(10 * i);
    }
    const now = 10 * RESPAWN_BURST;
    const wait = p.waitMs(now);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
    p.take(now + wait);
    expect(p.waitMs(now + wait)).toBeGreaterThan(990);
  });

  it('refills while a program stays up', () => {
    const p = new RespawnPacer(1000);
    for (let i = 0; i < RESPAWN_BURST; i++) p.take(0);
    expect(p.waitMs(0)).toBe(1000);
    expect(p.waitMs(RESPAWN_BURST * 1000)).toBe(0);
    for (let i = 0; i < RESPAWN_BURST; i++) {
      expect(p.waitMs(RESPAWN_BURST * 1000)).toBe(0);
      p.take(RESPAWN_BURST * 1000);
    }
    expect(p.waitMs(RESPAWN_BURST * 1000)).toBeGreaterThan(0);
  });
});
