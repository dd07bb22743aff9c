// The reaper alone (no daemon) as PID 1 of a real container: the program of
// test/integration/init/reaper-storm.fixture.ts, bundled from the current sources, runs as the
// entrypoint of svinit-base:node — 150 child_process children and 1,000 double-forked orphans.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../integration/init/bundle.js';
import { parseProcesses, PS_SCRIPT, runToExit } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = path.dirname(await bundle('test/integration/init/reaper-storm.fixture.ts', 'reaper-storm'));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const runStorm = async (opts: { init?: boolean; env?: Record<string, string> } = {}) => {
  const r = await runToExit({ mounts: [[dir, '/fixture']], cmd: ['node', '/fixture/reaper-storm.cjs'], ...opts });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
};

describe('reaper in a container', () => {
  it('as PID 1: 0 zombies, 150/150 exit events, 1,003 orphans reaped with their statuses', async () => {
    const r = await runStorm();
    expect(r).toMatchObject({ mode: 'pid1', pid: 1, settled: true, zombies: 0, exitEvents: 150, wrongCodes: 0, reaped: 1003, adoptedSeen: 3 });
    expect(r.reapedKinds).toEqual({ 'code 0': 980, 'code 3': 10, SIGKILL: 10, SIGTERM: 3 });
  });

  it('under docker --init (tini is PID 1): a child subreaper that still reaps its own orphans', async () => {
    const r = await runStorm({ init: true });
    expect(r).toMatchObject({ mode: 'subreaper', settled: true, zombies: 0, exitEvents: 150, wrongCodes: 0, reaped: 1003 });
    expect(r.pid).not.toBe(1);
  });

  it('negative control: plain node as PID 1 keeps its orphans as zombies', async () => {
    const r = await runStorm({ env: { REAPER: 'off', ORPHANS: '100' } });
    expect(r).toMatchObject({ mode: 'off', pid: 1, settled: true, zombies: 100, exitEvents: 150 });
  });

  it("the helpers' process listing reads the container's /proc", async () => {
    const r = await runToExit({ cmd: ['sh', '-c', `sleep 30 & sleep 0.2; ${PS_SCRIPT}; kill $!`] });
    const procs = parseProcesses(r.stdout);
    expect(procs.find((p) => p.pid === 1)).toMatchObject({ ppid: 0, cmd: expect.stringContaining('sh -c') });
    expect(procs.find((p) => p.cmd === 'sleep 30')).toMatchObject({ ppid: 1, state: 'S' });
  });
});
