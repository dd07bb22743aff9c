// shutdown_timeout under the fake clock: SIGKILL before the budget ends, a forced exit as the last resort.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.js';
import { EXIT_MARGIN_MS, killMarginMs, ShutdownBudget } from '../../../src/daemon/shutdown-budget.js';
import { MemoryLogger } from '../../helpers/engine-fakes.js';

function setup(secs: number) {
  const clock = new FakeClock(0);
  const logger = new MemoryLogger();
  const calls: string[] = [];
  const budget = new ShutdownBudget(secs, { clock, logger, killAll: () => calls.push(`kill@${clock.now()}`), forceExit: () => calls.push(`exit@${clock.now()}`) });
  return { clock, logger, calls, budget };
}

describe('shutdown budget', () => {
  it('does nothing before shutdown begins', () => {
    const { clock, calls, budget } = setup(3);
    clock.advance(60_000);
    expect(calls).toEqual([]);
    expect(budget.remainingMs()).toBe(Infinity);
  });

  it('kills everything left before the budget is spent and forces the exit just before its end', () => {
    const { clock, logger, calls, budget } = setup(3);
    clock.advance(1000);
    budget.begin();
    budget.begin();
    clock.advance(3000 - killMarginMs(3000) - 1);
    expect(calls).toEqual([]);
    clock.advance(1);
    expect(calls).toEqual([`kill@${1000 + 3000 - killMarginMs(3000)}`]);
    expect(logger.has('shutdown_timeout of 3 s nearly spent: killing every remaining process with SIGKILL')).toBe(true);
    clock.advance(10_000);
    expect(calls).toEqual([`kill@${1000 + 3000 - killMarginMs(3000)}`, `exit@${1000 + 3000 - EXIT_MARGIN_MS}`]);
  });

  it('keeps a margin proportional to the budget, within 0.5 s and 2 s', () => {
    expect(killMarginMs(3000)).toBe(500);
    expect(killMarginMs(10_000)).toBe(1000);
    expect(killMarginMs(25_000)).toBe(2000);
  });

  it('reports the time left and disarms when everything stopped in time', () => {
    const { clock, calls, budget } = setup(25);
    budget.begin();
    clock.advance(5000);
    expect(budget.remainingMs()).toBe(20_000 - EXIT_MARGIN_MS);
    budget.cancel();
    clock.advance(60_000);
    expect(calls).toEqual([]);
  });
});
