// The soft descriptor limit a program gets: the one svinit was started with, not Node's raised one.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { childRlimits, parseNofile } from '../../../src/daemon/spawner.js';

const own = parseNofile(fs.readFileSync('/proc/self/limits', 'utf8'))!;

describe('childRlimits', () => {
  it('as PID 1 (no parent to ask) uses SVINIT_NOFILE_SOFT, raised to minfds, at most the hard limit', () => {
    expect(childRlimits(0, 0, { SVINIT_NOFILE_SOFT: '256' })).toEqual([{ resource: 7, soft: 256, hard: own.hard }]);
    expect(childRlimits(512, 0, { SVINIT_NOFILE_SOFT: '256' })[0].soft).toBe(512);
    if (own.hard !== -1) expect(childRlimits(0, 0, { SVINIT_NOFILE_SOFT: String(own.hard + 1) })[0].soft).toBe(own.hard);
  });

  it('as PID 1 without it: nothing to restore', () => {
    expect(childRlimits(0, 0, {})).toEqual([]);
    expect(childRlimits(0, 0, { SVINIT_NOFILE_SOFT: 'lots' })).toEqual([]);
  });

  it('otherwise the parent’s soft limit', () => {
    const parent = parseNofile(fs.readFileSync(`/proc/${process.ppid}/limits`, 'utf8'))!;
    expect(childRlimits(0, process.ppid, {})[0].soft).toBe(Math.min(parent.soft, own.hard === -1 ? Infinity : own.hard));
  });
});
