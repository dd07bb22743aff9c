// The final orphan sweep on a fake clock: TERM, a grace period, then KILL for the stubborn ones.

import { beforeEach, describe, expect, it } from 'vitest';
import { sweepOrphans } from '../../../src/daemon/reaping.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { MemoryLogger } from '../../helpers/engine-fakes.js';

let clock: FakeClock;
let logger: MemoryLogger;
let kills: Array<[number, string]>;
const kill = (pid: number, sig: NodeJS.Signals) => void kills.push([pid, sig]);
const flush = () => new Promise<void>((r) => setImmediate(r));

/** Advances the fake clock in poll-sized steps until the sweep has finished. */
async function drive(sweep: Promise<void>): Promise<void> {
  let finished = false;
  void sweep.then(() => (finished = true));
  for (let i = 0; i < 1000 && !finished; i++) {
    await flush();
    clock.advance(20);
  }
  await sweep;
}

beforeEach(() => {
  clock = new FakeClock();
  logger = new MemoryLogger();
  kills = [];
});

describe('sweepOrphans', () => {
  it('does nothing without a reaper or without orphans', async () => {
    await sweepOrphans(null, logger, clock, kill);
    await sweepOrphans({ adoptedPids: () => [] }, logger, clock, kill);
    expect(kills).toEqual([]);
  });

  it('TERMs the orphans and stops as soon as they are gone', async () => {
    let live = [41, 42];
    const sweep = sweepOrphans({ adoptedPids: () => live }, logger, clock, (pid, sig) => {
      kill(pid, sig);
      live = [];
    });
    await drive(sweep);
    expect(kills).toEqual([
      [41, 'SIGTERM'],
      [42, 'SIGTERM'],
    ]);
    expect(logger.has('sending SIGTERM to 2 adopted orphan(s): 41, 42')).toBe(true);
  });

  it('KILLs the orphans still there after the grace period', async () => {
    await drive(sweepOrphans({ adoptedPids: () => [7] }, logger, clock, kill));
    expect(kills).toEqual([
      [7, 'SIGTERM'],
      [7, 'SIGKILL'],
    ]);
    expect(logger.has('killing 1 adopted orphan(s) with SIGKILL: 7')).toBe(true);
  });
});
