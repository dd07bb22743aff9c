// The reaper of src/init/reaper.ts on its own, without the daemon: a program using it runs as PID 1
// of a new PID namespace (`unshare --pid --fork --mount-proc`) or as a plain process (subreaper
// mode), spawns 150 children through child_process while 1,000 double-forked orphans land on it.
// Passing means: no zombie left, every libuv child reported its exit with the right code (so the
// reaper never stole a status), every orphan reaped and its status decoded.

import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from './bundle.js';

const execFileP = promisify(execFile);
if (spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status !== 0) throw new Error('these tests need `unshare --pid` (root)');

interface StormResult {
  mode: string;
  pid: number;
  exitEvents: number;
  wrongCodes: number;
  reaped: number;
  reapedKinds: Record<string, number>;
  zombies: number;
  adoptedSeen: number;
  settled: boolean;
}

let storm: string;
let stormNoAddon: string;
beforeAll(async () => {
  storm = await bundle('test/integration/init/reaper-storm.fixture.ts', 'reaper-storm');
  stormNoAddon = await bundle('test/integration/init/reaper-storm.fixture.ts', 'reaper-storm', { addon: false });
});
afterAll(() => {
  for (const f of [storm, stormNoAddon]) if (f) fs.rmSync(path.dirname(f), { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}): Promise<StormResult> {
  const { stdout } = await execFileP(argv[0], argv.slice(1), { env: { ...process.env, ...env }, timeout: 90_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as StormResult;
}
const asPid1 = (file: string) => ['unshare', '--pid', '--fork', '--mount-proc', process.execPath, file];

function expectCleanStorm(r: StormResult): void {
  expect(r.settled).toBe(true);
  expect(r.zombies).toBe(0);
  expect(r.exitEvents).toBe(150);
  expect(r.wrongCodes).toBe(0);
  // 980 sleeps exit 0, 10 orphans exit 3, 10 kill themselves, the 3 long-lived ones get SIGTERM.
  expect(r.reapedKinds).toEqual({ 'code 0': 980, 'code 3': 10, SIGKILL: 10, SIGTERM: 3 });
  expect(r.reaped).toBe(1003);
  expect(r.adoptedSeen).toBe(3);
}

describe('reaper', () => {
  it('as PID 1 under unshare: 1,000 orphans and 150 child_process children leave 0 zombies and lose no exit event', async () => {
    const r = await run(asPid1(storm));
    expect(r.pid).toBe(1);
    expect(r.mode).toBe('pid1');
    expectCleanStorm(r);
  }, 120_000);

  it('not PID 1: makes itself a child subreaper and reaps the same storm', async () => {
    const r = await run([process.execPath, storm]);
    expect(r.pid).not.toBe(1);
    expect(r.mode).toBe('subreaper');
    expectCleanStorm(r);
  }, 120_000);

  it('negative control: PID 1 without the reaper keeps every orphan as a zombie', async () => {
    const r = await run(asPid1(storm), { REAPER: 'off', ORPHANS: '100' });
    expect(r.mode).toBe('off');
    expect(r.settled).toBe(true);
    expect(r.zombies).toBe(100);
    expect(r.exitEvents).toBe(150);
  }, 120_000);

  it('without the native addon reaping is reported as unavailable', async () => {
    expect((await run(asPid1(stormNoAddon), { MODE_ONLY: '1' })).mode).toBe('none');
    expect((await run([process.execPath, stormNoAddon], { MODE_ONLY: '1' })).mode).toBe('none');
  });
});
