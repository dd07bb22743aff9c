// The native spawner with the real addon: pipes, redirect_stderr, extra descriptors, exit statuses
// and the failures the engine turns into supervisord's spawnerr lines.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNativeSpawner } from '../../../src/engine/native-spawner.js';
import { SpawnFailure, type ChildHandle, type ExitInfo } from '../../../src/engine/types.js';
import { loadNative } from '../../../src/init/native.js';
import { spawnRequest } from '../../helpers/engine-fakes.js';

const addon = loadNative();
if (!addon) throw new Error('the native addon is not built (npm run build:native)');
const spawner = createNativeSpawner(addon);

const request = spawnRequest;

function collect(child: ChildHandle): Promise<{ out: string; err: string; exit: ExitInfo }> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b));
  child.stderr?.on('data', (b: Buffer) => (err += b));
  const ended = (s: NodeJS.ReadableStream | null) => new Promise<void>((r) => (s ? s.on('end', () => r()) : r()));
  const exit = new Promise<ExitInfo>((r) => child.onExit(r));
  return Promise.all([ended(child.stdout), ended(child.stderr), exit]).then(([, , e]) => ({ out, err, exit: e }));
}

describe('native spawner', () => {
  it('gives the child pipes on fds 0-2 that /dev/stdout and /dev/stderr reopen', async () => {
    const child = spawner.spawn(request(['/bin/sh', '-c', 'read x; echo "got $x" > /dev/stdout; echo oops > /dev/stderr; ls -l /proc/self/fd/ | grep -c pipe; exit 7']));
    child.stdin!.end('hello\n');
    const r = await collect(child);
    expect(r.out).toBe('got hello\n3\n');
    expect(r.err).toBe('oops\n');
    expect(r.exit).toEqual({ code: 7, signal: null, coreDumped: false });
  });

  it('redirect_stderr: one pipe on fds 1 and 2, no separate stderr stream', async () => {
    const child = spawner.spawn(request(['/bin/sh', '-c', 'echo a; echo b >&2; echo c'], { redirectStderr: true }));
    expect(child.stderr).toBeNull();
    const r = await collect(child);
    expect(r.out).toBe('a\nb\nc\n');
  });

  it('reports a signal death by name', async () => {
    const child = spawner.spawn(request(['/bin/sh', '-c', 'kill -USR1 $$']));
    expect((await collect(child)).exit).toEqual({ code: null, signal: 'SIGUSR1', coreDumped: false });
  });

  it('places extra descriptors at exactly their numbers', async () => {
    const [r, w] = addon.pipe();
    const child = spawner.spawn(request(['/bin/sh', '-c', 'echo ready >&5; ls /proc/self/fd | tr "\\n" " "'], { extraFds: [{ target: 5, fd: w }] }));
    fs.closeSync(w);
    const res = await collect(child);
    expect(fs.readFileSync(r, 'utf8')).toBe('ready\n');
    fs.closeSync(r);
    // fds 3 and 4 stay closed; ls itself opens one more to read the folder.
    expect(res.out.trim().split(' ').map(Number).filter((n) => n !== 3)).toEqual([0, 1, 2, 5]);
  });

  it('exec and chdir failures are SpawnFailures the engine words as supervisord does', () => {
    const exec = (() => {
      try {
        spawner.spawn(request(['/no/such/file']));
      } catch (e) {
        return e;
      }
    })() as SpawnFailure;
    expect(exec).toBeInstanceOf(SpawnFailure);
    expect(exec.errno).toBe('ENOENT');
    const chdir = (() => {
      try {
        spawner.spawn(request(['/bin/true'], { cwd: '/no/such/dir' }));
      } catch (e) {
        return e;
      }
    })() as SpawnFailure;
    expect(chdir.errno).toBe('CHILD');
    expect(chdir.message).toBe("couldn't chdir to /no/such/dir: ENOENT");
  });

  it('user= (as root) sets the uid, gid and the supplementary groups of the user', async () => {
    const nobody = 65534;
    const child = spawner.spawn(request(['/bin/sh', '-c', 'id -u; id -g; grep ^Groups /proc/self/status'], { uid: nobody, gid: nobody, user: 'nobody' }));
    const r = await collect(child);
    const [uid, gid, groups] = r.out.trim().split('\n');
    expect([uid, gid]).toEqual(['65534', '65534']);
    const expected = addon.userGroups('nobody', 65534).sort((a, b) => a - b);
    expect(groups.replace('Groups:', '').trim().split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b)).toEqual(expected);
  });
});
