// depends_on and essential in the Supervisor under the fake clock: held programs, start order,
// `start x`, shutdown order, and the exit code an essential program leaves.

import { describe, expect, it } from 'vitest';
import { parseDependsOn, type Readiness } from '../../../src/config/depends.js';
import type { Config, ProcessConfig } from '../../../src/config/types.js';
import { EngineError } from '../../../src/engine/errors.js';
import { ProcessState as S } from '../../../src/engine/states.js';
import { engineTest, makeConfig, programGroup } from '../../helpers/engine-fakes.js';

const t = engineTest();

const boot = (config: Config) => t.boot(config);
const flush = () => new Promise<void>((r) => setImmediate(r));
/** startsecs=0 programs become RUNNING a millisecond after the spawn. */
const settle = async () => {
  t.clock.advance(1);
  await flush();
};
const program = (name: string, depends: string, over: Partial<ProcessConfig> = {}) => programGroup(name, { dependsOn: parseDependsOn(depends), ...over });
const spawnedNames = () => t.spawner.children.map((c) => c.req.argv.join(' ').split('#')[1]);
/** Each program's command names it, so spawns can be told apart. */
const cmd = (name: string) => ({ command: `/bin/sleep 1000 #${name}` });
const ready: Readiness = { method: { kind: 'log', regex: '^ready$' }, timeoutSecs: 60 };
const child = (name: string) => t.spawner.children.find((c) => c.req.argv.join(' ').endsWith(`#${name}`) && !c.exited)!;

describe('held programs', () => {
  it('waits (STOPPED, saying for what) until the dependency is RUNNING, then spawns at once', async () => {
    const sup = boot(makeConfig([program('app', 'db', { ...cmd('app'), priority: 1 }), program('db', '', { ...cmd('db'), readiness: ready })]));
    expect(spawnedNames()).toEqual(['db']);
    expect(sup.getProcessInfo('app')).toMatchObject({ statename: 'STOPPED', description: 'waiting for db (running)' });
    expect(t.logger.has("held: 'app' waiting for db (running)")).toBe(true);
    t.clock.advance(10_000);
    await flush();
    expect(spawnedNames()).toEqual(['db']);
    child('db').stdout.write('ready\n');
    await flush();
    expect(spawnedNames()).toEqual(['db', 'app']);
    expect(sup.getProcessInfo('app').statename).toBe('STARTING');
  });

  it('completed_successfully waits for the one-shot; a failure leaves the dependent saying why', async () => {
    const sup = boot(
      makeConfig([
        program('migrate', '', { ...cmd('migrate'), startsecs: 0, autorestart: false }),
        program('web', 'migrate:completed_successfully', cmd('web')),
      ]),
    );
    child('migrate').exit(2);
    await flush();
    expect(spawnedNames()).toEqual(['migrate']);
    expect(sup.getProcessInfo('web').description).toBe('not started: migrate failed (EXITED, exit status 2)');
    // Run by hand again, it succeeds: the dependent goes.
    await sup.startProcess('migrate', false);
    child('migrate').exit(0);
    await flush();
    expect(spawnedNames()).toEqual(['migrate', 'migrate', 'web']);
  });

  it('nothing spawns while shutting down, even when a dependency becomes ready', async () => {
    const sup = boot(makeConfig([program('db', '', { ...cmd('db'), readiness: ready }), program('app', 'db', cmd('app'))]));
    sup.shutdown();
    await flush();
    expect(spawnedNames()).toEqual(['db']);
  });
});

describe('start x', () => {
  it('starts what x depends on first, deepest first, and waits until x is RUNNING', async () => {
    const sup = boot(
      makeConfig([
        program('db', '', { ...cmd('db'), autostart: false, readiness: ready }),
        program('cache', 'db:started', { ...cmd('cache'), autostart: false, startsecs: 0 }),
        program('app', 'cache', { ...cmd('app'), autostart: false, startsecs: 0 }),
        program('other', '', { ...cmd('other'), autostart: false }),
      ]),
    );
    let result: unknown = null;
    const p = sup.startProcess('app', true).then((r) => (result = r));
    await flush();
    expect(spawnedNames()).toEqual(['db', 'cache']);
    expect(sup.getProcessInfo('app').description).toBe('waiting for cache (running)');
    t.clock.advance(1);
    await flush();
    expect(spawnedNames()).toEqual(['db', 'cache', 'app']);
    expect(result).toBeNull();
    await settle();
    await p;
    expect(result).toBe(true);
    expect(sup.getProcessInfo('other').statename).toBe('STOPPED');
  });

  it('fails with ABNORMAL_TERMINATION when a dependency fails instead', async () => {
    const sup = boot(makeConfig([program('db', '', { ...cmd('db'), autostart: false, startretries: 0 }), program('app', 'db', { ...cmd('app'), autostart: false })]));
    const p = sup.startProcess('app', true);
    child('db').exit(1);
    await expect(p).rejects.toEqual(new EngineError('ABNORMAL_TERMINATION', 'app'));
    expect(sup.getProcessInfo('app').description).toBe('not started: db failed (FATAL)');
  });

  it('does not run a completed one-shot again', async () => {
    const sup = boot(
      makeConfig([
        program('migrate', '', { ...cmd('migrate'), startsecs: 0, autorestart: false }),
        program('web', 'migrate:completed', { ...cmd('web'), autostart: false, startsecs: 0 }),
      ]),
    );
    child('migrate').exit(0);
    await flush();
    const started = sup.startProcess('web', true);
    await settle();
    await started;
    expect(spawnedNames()).toEqual(['migrate', 'web']);
  });
});

describe('shutdown', () => {
  it('stops dependents first, whatever their priority, then the rest in reverse priority', async () => {
    const sup = boot(
      makeConfig([
        program('app', 'db', { ...cmd('app'), priority: 1, startsecs: 0 }),
        program('db', '', { ...cmd('db'), priority: 500, startsecs: 0 }),
        program('log', '', { ...cmd('log'), priority: 900, startsecs: 0 }),
      ]),
    );
    await settle();
    expect(spawnedNames()).toEqual(['db', 'log', 'app']);
    sup.shutdown();
    for (let i = 0; i < 5; i++) await flush();
    const stops = t.transitions.filter((t) => t.to === S.STOPPING).map((t) => t.name);
    expect(stops).toEqual(['log', 'app', 'db']);
    await sup.exited;
  });
});

describe('essential', () => {
  const end = async (exit: (c: ReturnType<typeof child>) => void, over: Partial<ProcessConfig> = {}) => {
    const sup = boot(makeConfig([program('db', '', { ...cmd('db'), startsecs: 0 }), program('job', 'db', { ...cmd('job'), startsecs: 0, autorestart: false, essential: true, ...over })]));
    await settle();
    exit(child('job'));
    await sup.exited;
    return sup;
  };

  it("exits with the program's code after stopping the rest", async () => {
    const sup = await end((c) => c.exit(3));
    expect(sup.exitCode).toBe(3);
    expect(t.logger.has("essential program 'job' exited with status 3: shutting down with exit code 3")).toBe(true);
    expect(t.transitions.filter((t) => t.to === S.STOPPED).map((t) => t.name)).toEqual(['db']);
  });

  it('128+n when killed by signal n; the code of the last try when FATAL', async () => {
    expect((await end((c) => c.exit(null, 'SIGKILL'))).exitCode).toBe(137);
    const sup = await end((c) => c.exit(5), { startsecs: 10, startretries: 0 });
    expect(sup.exitCode).toBe(5);
    expect(t.logger.has("essential program 'job' entered FATAL state (Exited too quickly (process log may have details))")).toBe(true);
  });

  it('127 when the command cannot be found', async () => {
    const sup = boot(makeConfig([program('job', '', { command: '/no/such/program', essential: true, startretries: 0 })]));
    await sup.exited;
    expect(sup.exitCode).toBe(127);
  });

  it('an administrative stop or an expected restart does not end anything', async () => {
    const sup = boot(makeConfig([program('job', '', { ...cmd('job'), startsecs: 0, autorestart: true, essential: true })]));
    await flush();
    child('job').exit(0);
    await flush();
    t.clock.advance(1000);
    expect(sup.mood).toBe(1);
    await sup.stopProcess('job', true);
    expect(sup.mood).toBe(1);
    expect(sup.exitCode).toBeNull();
  });
});

describe('essential and dependencies', () => {
  it('an essential program whose dependency failed for good ends the container with 1', async () => {
    const sup = boot(
      makeConfig([
        program('migrate', '', { ...cmd('migrate'), startsecs: 0, autorestart: false }),
        program('web', 'migrate:completed_successfully', { ...cmd('web'), essential: true }),
      ]),
    );
    child('migrate').exit(4);
    await sup.exited;
    expect(sup.exitCode).toBe(1);
    expect(t.logger.has("essential program 'web' cannot start (not started: migrate failed (EXITED, exit status 4)): shutting down with exit code 1")).toBe(true);
  });
});
