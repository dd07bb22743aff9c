// How the native spawner waits for its children: it peeks at the next exited child
// (waitid(…, WNOWAIT)) and reaps only its own, so its cost is per exit, not per child; a zombie
// that is not its own is left for its owner, and the spawner's exits behind it are still found.

import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createNativeSpawner } from '../../../src/engine/native-spawner.js';
import type { ChildHandle, ExitInfo } from '../../../src/engine/types.js';
import { loadNative, type SpawnAddon } from '../../../src/init/native.js';
import { spawnRequest } from '../../helpers/engine-fakes.js';

const native = loadNative();
if (!native) throw new Error('the native addon is not built (npm run build:native)');
const addon = native as typeof native & { peekExited(): number };

const request = (script: string) => spawnRequest(['/bin/sh', '-c', script], { redirectStderr: true });

/** The real addon, counted; `peek: false` is an addon built before peekExited existed. */
function counted(peek = true) {
  const calls = { waitpid: 0, waitpidEmpty: 0, peek: 0 };
  const wrapped: SpawnAddon & { peekExited?(): number } = {
    spawn: (req) => addon.spawn(req),
    pipe: () => addon.pipe(),
    userGroups: (user, gid) => addon.userGroups(user, gid),
    waitpidNoHang: (pid) => {
      calls.waitpid++;
      const r = addon.waitpidNoHang(pid);
      if (!r) calls.waitpidEmpty++;
      return r;
    },
  };
  if (peek)
    wrapped.peekExited = () => {
      calls.peek++;
      return addon.peekExited();
    };
  return { wrapped, calls };
}

const children: ChildHandle[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.stdout?.destroy();
});

function exitOf(child: ChildHandle): Promise<ExitInfo> {
  children.push(child);
  child.stdout?.resume();
  return new Promise((resolve) => child.onExit(resolve));
}

function isZombie(pid: number): boolean {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}

describe('native spawner: waiting for children', () => {
  it('peekExited: 0 with no exited child, the pid of one that exited (left unreaped)', async () => {
    expect(addon.peekExited()).toBe(0);
    const pid = addon.spawn({ file: '/bin/true', argv: ['/bin/true'], envp: [], cwd: null, umask: -1, uid: -1, gid: -1, groups: null, fds: [], setpgrp: true, foreground: false, ignore: [], rlimits: [] });
    await expect.poll(() => isZombie(pid), { timeout: 30_000 }).toBe(true);
    expect(addon.peekExited()).toBe(pid);
    expect(addon.peekExited()).toBe(pid);
    expect(addon.waitpidNoHang(pid)).toMatchObject({ pid, code: 0 });
    expect(addon.peekExited()).toBe(0);
  });

  it('300 children exiting together: each waiter gets its own status, and only exited pids are waited for', async () => {
    const { wrapped, calls } = counted();
    const spawner = createNativeSpawner(wrapped);
    const exits = await Promise.all(Array.from({ length: 300 }, (_, i) => exitOf(spawner.spawn(request(`exit ${i % 256}`)))));
    expect(exits.map((e) => e.code)).toEqual(Array.from({ length: 300 }, (_, i) => i % 256));
    // The cost is per exit: no waitpid on a child that is still running.
    expect(calls.waitpid).toBe(300);
    expect(calls.waitpidEmpty).toBe(0);
    expect(spawner.owns(children[0].pid)).toBe(false);
  });

  it('an exited child that is not its own is left to its owner; its own exits behind it are still found', async () => {
    const foreign = addon.spawn({ file: '/bin/sh', argv: ['/bin/sh', '-c', 'exit 9'], envp: [], cwd: null, umask: -1, uid: -1, gid: -1, groups: null, fds: [], setpgrp: true, foreground: false, ignore: [], rlimits: [] });
    await expect.poll(() => isZombie(foreign), { timeout: 30_000 }).toBe(true);
    const { wrapped, calls } = counted();
    const spawner = createNativeSpawner(wrapped);
    expect(spawner.owns(foreign)).toBe(false);
    const exits = await Promise.all(Array.from({ length: 20 }, (_, i) => exitOf(spawner.spawn(request(`exit ${i + 1}`)))));
    expect(exits.map((e) => e.code)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The peek kept answering with the foreign zombie, yet every exit of its own was found (by
    // asking its own pids in turn), and the foreign zombie was never touched. (How many of those
    // asks found no exit depends on the machine's load: not asserted.)
    expect(calls.peek).toBeGreaterThan(0);
    expect(calls.waitpid).toBeGreaterThanOrEqual(20);
    expect(isZombie(foreign)).toBe(true);
    expect(addon.waitpidNoHang(foreign)).toMatchObject({ pid: foreign, code: 9 });
  });

  it('an addon without peekExited: the exits are found pid by pid', async () => {
    const { wrapped, calls } = counted(false);
    const spawner = createNativeSpawner(wrapped);
    const exits = await Promise.all(Array.from({ length: 5 }, (_, i) => exitOf(spawner.spawn(request(`kill -${i === 0 ? 'TERM' : 'USR1'} $$`)))));
    expect(exits.map((e) => e.signal)).toEqual(['SIGTERM', 'SIGUSR1', 'SIGUSR1', 'SIGUSR1', 'SIGUSR1']);
    expect(calls.peek).toBe(0);
  });

  it('listens for SIGCHLD before the child exists, and stops when it has no child left', async () => {
    const before = process.listenerCount('SIGCHLD');
    let atSpawn = -1;
    const { wrapped } = counted();
    const spawner = createNativeSpawner({
      ...wrapped,
      spawn: (req) => {
        atSpawn = process.listenerCount('SIGCHLD');
        return wrapped.spawn(req);
      },
    });
    await exitOf(spawner.spawn(request('exit 0')));
    expect(atSpawn).toBe(before + 1);
    expect(process.listenerCount('SIGCHLD')).toBe(before);
    // A spawn that fails leaves nothing behind either.
    expect(() => spawner.spawn({ ...request(''), file: '/no/such/file' })).toThrow();
    expect(process.listenerCount('SIGCHLD')).toBe(before);
  });
});
