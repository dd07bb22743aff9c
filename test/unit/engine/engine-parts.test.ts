// The small engine modules on their own: exit descriptions, one fork/exec (launch), signal
// delivery, the config diff (diff_to_active), the one-timer Deadline, where logs are read back.

import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../src/engine/clock.js';
import { describeExit, exitedTooQuickly } from '../../../src/engine/exit.js';
import { deliverSignal, killAllNow } from '../../../src/engine/kill.js';
import { launch } from '../../../src/engine/launch.js';
import { assignLogPaths } from '../../../src/engine/log-paths.js';
import { Process } from '../../../src/engine/process.js';
import { ProcessState } from '../../../src/engine/states.js';
import { diffToActive } from '../../../src/engine/supervisor-deps.js';
import { activeGroups, fakeContext, FakeSpawner, MemoryLogger, processConfig, programGroup } from '../../helpers/engine-fakes.js';
import { FakeClock } from '../../helpers/fake-clock.js';

describe('exit.ts', () => {
  it('describes an exit as supervisord logs it', () => {
    expect(describeExit({ code: 3, signal: null })).toEqual({ es: 3, msg: 'exit status 3' });
    expect(describeExit({ code: null, signal: 'SIGKILL', coreDumped: true })).toEqual({ es: -1, msg: 'terminated by SIGKILL (core dumped)' });
  });

  it('exited too quickly: within startsecs, or before ready when readiness is configured', () => {
    const p = (over: object) => ({ config: { startsecs: 1, readiness: null }, readyFailure: null, state: ProcessState.RUNNING, laststart: 10_000, ...over });
    expect(exitedTooQuickly(p({}), 10_999)).toBe(true);
    expect(exitedTooQuickly(p({}), 11_000)).toBe(false);
    expect(exitedTooQuickly(p({}), 9_000)).toBeNull();
    const ready = { method: { kind: 'log', regex: /x/ }, timeoutSecs: 60 } as never;
    expect(exitedTooQuickly(p({ config: { startsecs: 1, readiness: ready }, state: ProcessState.STARTING }), 99_000)).toBe(true);
    expect(exitedTooQuickly(p({ config: { startsecs: 1, readiness: ready } }), 10_001)).toBe(false);
    expect(exitedTooQuickly(p({ config: { startsecs: 1, readiness: ready }, readyFailure: 'ready_timeout' }), 99_000)).toBe(true);
  });
});

describe('launch.ts', () => {
  const ctx = () => fakeContext(new FakeClock(), new FakeSpawner(), new MemoryLogger());

  it('a missing command is bad-command ENOENT, before any log is opened', () => {
    let opened = 0;
    const c = ctx();
    const r = launch({ config: processConfig('x', { command: '/nonexistent/cmd' }) } as never, c, null, () => opened++);
    expect(r).toMatchObject({ kind: 'bad-command', errno: 'ENOENT' });
    expect(opened).toBe(0);
  });

  it('spawns with the config and the environment, logs opened just before', () => {
    const c = ctx();
    let opened = 0;
    const r = launch({ config: processConfig('x', { command: '/bin/sleep 5', directory: '/tmp', umask: 0o027 }) } as never, c, null, () => opened++);
    expect(r.kind).toBe('spawned');
    const child = (c.spawner as FakeSpawner).children[0];
    expect(child.req).toMatchObject({ file: '/bin/sleep', argv: ['/bin/sleep', '5'], cwd: '/tmp', umask: 0o027 });
    expect(opened).toBe(1);
  });

  it('a failed fork is fork-failed with argv0, and readiness releases what it prepared', () => {
    const c = ctx();
    (c.spawner as FakeSpawner).failNext = 'EMFILE';
    let abandoned = 0;
    const readiness = { prepare: () => ({ env: { NOTIFY_SOCKET: '/x' } }), abandon: () => abandoned++ } as never;
    const r = launch({ config: processConfig('x', { command: '/bin/sleep 5' }) } as never, c, readiness, () => undefined);
    expect(r).toMatchObject({ kind: 'fork-failed', argv0: '/bin/sleep' });
    expect(abandoned).toBe(1);
  });
});

describe('kill.ts', () => {
  it('deliverSignal: ESRCH is no error; anything else is supervisord\'s "unknown problem" at CRITICAL', () => {
    const logger = new MemoryLogger();
    const throwing = (e: Error) => ({ spawn: () => undefined as never, kill: () => { throw e; } });
    expect(deliverSignal({ spawner: throwing(Object.assign(new Error('gone'), { code: 'ESRCH' })), logger }, 5, 15, { name: 'x', pid: 5, doing: 'killing', when: 'just' })).toBeNull();
    const msg = deliverSignal({ spawner: throwing(Object.assign(new Error('EPERM'), { code: 'EPERM' })), logger }, 5, 15, { name: 'x', pid: 5, doing: 'sending sig', when: 'just now' });
    expect(msg).toMatch(/^unknown problem sending sig x \(5\):/);
  });

  it('killAllNow SIGKILLs every running process group and marks it killing', () => {
    const spawner = new FakeSpawner();
    const a = spawner.spawn({ file: '/bin/true', argv: [], env: {}, cwd: null, umask: null, uid: null, gid: null, user: null, redirectStderr: false } as never);
    const procs = [{ name: 'a', pid: a.pid, killing: false }, { name: 'b', pid: 0, killing: false }];
    killAllNow(procs, spawner, new MemoryLogger());
    expect(spawner.kills).toEqual([{ pid: -a.pid, signal: 9 }]);
    expect(procs.map((p) => p.killing)).toEqual([true, false]);
  });
});

describe('supervisor-deps.ts', () => {
  it('diffToActive: added, changed and removed groups by supervisord\'s equality', () => {
    const c = fakeContext(new FakeClock(), new FakeSpawner(), new MemoryLogger());
    const active = activeGroups([programGroup('same'), programGroup('edit'), programGroup('gone')], c);
    const diff = diffToActive(active, [programGroup('same'), programGroup('edit', { command: '/bin/sleep 99' }), programGroup('new')]);
    expect(diff).toEqual({ added: ['new'], changed: ['edit'], removed: ['gone'] });
  });
});

describe('clock.ts Deadline', () => {
  it('fires once at the armed time; re-arming replaces the time; cancel disarms', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    const d = new Deadline(clock, () => fired.push(clock.now()));
    const t0 = clock.now();
    d.at(t0 + 100);
    d.at(t0 + 300);
    clock.advance(200);
    expect(fired).toEqual([]);
    clock.advance(100);
    expect(fired).toEqual([t0 + 300]);
    d.at(clock.now() + 50);
    d.cancel();
    clock.advance(1000);
    expect(fired).toHaveLength(1);
    d.at(t0); // in the past: fires at once
    clock.advance(0);
    expect(fired).toHaveLength(2);
  });
});

describe('log-paths.ts', () => {
  const proc = (over: object) => new Process(processConfig('web', over), fakeContext(new FakeClock(), new FakeSpawner(), new MemoryLogger()));
  const deps = (container: boolean) => ({ resolveAutoLog: () => '/var/log/auto.log', reachesContainerOutput: () => container });

  it('a file is read back; AUTO resolves; a device or NONE has no path', () => {
    const p = proc({ stdout: { ...processConfig('web').stdout, logfile: { kind: 'file', path: '/tmp/web.log' } }, stderr: { ...processConfig('web').stderr, logfile: { kind: 'none' } } });
    assignLogPaths(p, deps(false));
    expect(p.logPaths).toMatchObject({ stdout: '/tmp/web.log', stderr: null });
    const dev = proc({ stdout: { ...processConfig('web').stdout, logfile: { kind: 'file', path: '/dev/stdout' } } });
    assignLogPaths(dev, deps(false));
    expect(dev.logPaths.stdout).toBeNull();
    expect(dev.tails.stdout).toBeFalsy();
  });

  it('output that only reaches the container gets a tail in memory; redirected stderr gets none', () => {
    const p = proc({ redirectStderr: true, stdout: { ...processConfig('web').stdout, logfile: { kind: 'file', path: '/dev/stdout' } } });
    assignLogPaths(p, deps(true));
    expect(p.logPaths).toMatchObject({ stdout: null, stderr: null });
    expect(p.tails.stdout).toBeTruthy();
    expect(p.tails.stderr).toBeFalsy();
  });
});
