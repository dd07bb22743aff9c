// supervisord's process state machine (supervisord's docs, "Process States") under a fake clock: no real time passes.

import { beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/types.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { EngineError } from '../../../src/engine/errors.js';
import type { ProcessStateFact } from '../../../src/engine/facts.js';
import { ProcessState as S } from '../../../src/engine/states.js';
import { Supervisor } from '../../../src/engine/supervisor.js';
import { FakeSpawner, MemoryLogger, makeConfig, processConfig, programGroup } from '../../helpers/engine-fakes.js';

let clock: FakeClock;
let spawner: FakeSpawner;
let logger: MemoryLogger;
let transitions: ProcessStateFact[];

function boot(config: Config, reread?: () => Config): Supervisor {
  const sup = new Supervisor({
    config,
    spawner,
    logger,
    clock,
    env: { PATH: '/usr/bin:/bin' },
    openChannelLog: () => null,
    resolveAutoLog: () => '/tmp/auto.log',
    rereadConfig: reread ?? (() => config),
  });
  sup.facts.on('processState', (f) => transitions.push(f));
  sup.start();
  return sup;
}

const flush = () => new Promise<void>((r) => setImmediate(r));
const states = (name: string) => transitions.filter((t) => t.name === name).map((t) => S[t.to]);

beforeEach(() => {
  clock = new FakeClock();
  spawner = new FakeSpawner();
  logger = new MemoryLogger();
  transitions = [];
});

describe('start-up', () => {
  it('STOPPED → STARTING at start, RUNNING only once uptime > startsecs', () => {
    const sup = boot(makeConfig([programGroup('web', { startsecs: 2 })]));
    expect(sup.getProcessInfo('web').statename).toBe('STARTING');
    expect(logger.has("spawned: 'web' with pid 1000")).toBe(true);
    clock.advance(2000);
    expect(sup.getProcessInfo('web').statename).toBe('STARTING');
    clock.advance(1);
    expect(sup.getProcessInfo('web').statename).toBe('RUNNING');
    expect(logger.has('success: web entered RUNNING state, process has stayed up for > than 2 seconds (startsecs)')).toBe(true);
    expect(sup.getProcessInfo('web').description).toMatch(/^pid 1000, uptime 0:00:02$/);
  });

  it('spawns autostart programs in ascending priority and skips autostart=false', () => {
    boot(makeConfig([programGroup('c', { priority: 300 }), programGroup('a', { priority: 100 }), programGroup('b', { priority: 200, autostart: false })]));
    expect(spawner.children.map((c) => c.req.argv[0])).toHaveLength(2);
    expect(transitions.filter((t) => t.to === S.STARTING).map((t) => t.name)).toEqual(['a', 'c']);
  });

  it('startsecs=0 reaches RUNNING without waiting a second', () => {
    const sup = boot(makeConfig([programGroup('w', { startsecs: 0 })]));
    clock.advance(1);
    expect(sup.getProcessInfo('w').statename).toBe('RUNNING');
  });
});

describe('backoff and FATAL', () => {
  it('retries after 1 s, 2 s, 3 s and gives up after startretries', () => {
    const sup = boot(makeConfig([programGroup('bad', { startretries: 3 })]));
    const spawnTimes: number[] = [clock.now()];
    for (let attempt = 0; attempt < 4; attempt++) {
      spawner.last().exit(1);
      const before = spawner.children.length;
      // advance in small steps to find when the next spawn happens
      let waited = 0;
      while (spawner.children.length === before && waited < 10_000 && sup.getProcessInfo('bad').statename !== 'FATAL') {
        clock.advance(100);
        waited += 100;
      }
      if (spawner.children.length > before) spawnTimes.push(clock.now());
    }
    const gaps = spawnTimes.slice(1).map((t, i) => Math.round((t - spawnTimes[i]) / 100) * 100);
    expect(gaps).toEqual([1100, 2100, 3100]);
    expect(sup.getProcessInfo('bad').statename).toBe('FATAL');
    expect(spawner.children).toHaveLength(4);
    expect(sup.getProcessInfo('bad').description).toBe('Exited too quickly (process log may have details)');
    expect(logger.has('gave up: bad entered FATAL state, too many start retries too quickly')).toBe(true);
    expect(logger.has('exited: bad (exit status 1; not expected)')).toBe(true);
    expect(states('bad')).toEqual(['STARTING', 'BACKOFF', 'STARTING', 'BACKOFF', 'STARTING', 'BACKOFF', 'STARTING', 'BACKOFF', 'FATAL']);
    expect(transitions.filter((t) => t.to === S.BACKOFF).map((t) => t.tries)).toEqual([1, 2, 3, 4]);
  });

  it('a missing command is a spawn error → BACKOFF → FATAL without forking', () => {
    const sup = boot(makeConfig([programGroup('ghost', { command: 'no-such-command-xyz', startretries: 0 })]));
    clock.advance(10);
    expect(spawner.children).toHaveLength(0);
    expect(sup.getProcessInfo('ghost').statename).toBe('FATAL');
    expect(sup.getProcessInfo('ghost').spawnerr).toBe("can't find command 'no-such-command-xyz'");
    expect(logger.has("spawnerr: can't find command 'no-such-command-xyz'")).toBe(true);
  });

  it('an exec failure writes supervisord\'s lines and counts as exited too quickly', () => {
    spawner.failNext = 'EACCES';
    const sup = boot(makeConfig([programGroup('x', { startretries: 0 })]));
    clock.advance(10);
    expect(sup.getProcessInfo('x').statename).toBe('FATAL');
    expect(logger.has('exited: x (exit status 127; not expected)')).toBe(true);
  });
});

describe('exits and autorestart', () => {
  function runThenExit(over: Parameters<typeof processConfig>[1], code: number) {
    const sup = boot(makeConfig([programGroup('p', { startsecs: 1, ...over })]));
    clock.advance(1500);
    expect(sup.getProcessInfo('p').statename).toBe('RUNNING');
    spawner.last().exit(code);
    return sup;
  }

  it('expected exit with autorestart=unexpected stays EXITED', () => {
    const sup = runThenExit({}, 0);
    clock.advance(5000);
    expect(sup.getProcessInfo('p').statename).toBe('EXITED');
    expect(spawner.children).toHaveLength(1);
    expect(logger.has('exited: p (exit status 0; expected)')).toBe(true);
    expect(transitions.find((t) => t.to === S.EXITED)).toMatchObject({ expected: true, pid: 1000 });
  });

  it('unexpected exit restarts at once when the run was long enough', () => {
    const sup = runThenExit({}, 3);
    expect(spawner.children).toHaveLength(2);
    expect(sup.getProcessInfo('p').statename).toBe('STARTING');
    expect(transitions.find((t) => t.to === S.EXITED)).toMatchObject({ expected: false });
  });

  it('exitcodes make a code expected', () => {
    runThenExit({ exitcodes: [0, 3] }, 3);
    expect(spawner.children).toHaveLength(1);
  });

  it('autorestart=true restarts even on expected exit; false never', () => {
    runThenExit({ autorestart: true }, 0);
    expect(spawner.children).toHaveLength(2);
    spawner = new FakeSpawner();
    transitions = [];
    runThenExit({ autorestart: false }, 1);
    clock.advance(10_000);
    expect(spawner.children).toHaveLength(1);
  });

  it('paces a crash loop with startsecs=0 to one spawn a second', () => {
    boot(makeConfig([programGroup('spin', { startsecs: 0, autorestart: true })]));
    for (let i = 0; i < 50; i++) {
      clock.advance(1);
      spawner.last().exit(0);
      clock.advance(99);
    }
    // 5 simulated seconds → at most 6 spawns
    expect(spawner.children.length).toBeGreaterThanOrEqual(5);
    expect(spawner.children.length).toBeLessThanOrEqual(6);
  });
});

describe('stopping', () => {
  it('sends stopsignal, then STOPPED with supervisord\'s message', async () => {
    const sup = boot(makeConfig([programGroup('web')]));
    clock.advance(1500);
    const p = sup.stopProcess('web', true);
    expect(spawner.kills).toEqual([{ pid: 1000, signal: 15 }]);
    await expect(p).resolves.toBe(true);
    expect(sup.getProcessInfo('web').statename).toBe('STOPPED');
    expect(logger.has('stopped: web (terminated by SIGTERM)')).toBe(true);
    expect(states('web')).toEqual(['STARTING', 'RUNNING', 'STOPPING', 'STOPPED']);
  });

  it('SIGKILLs after stopwaitsecs a process that ignores TERM', async () => {
    const sup = boot(makeConfig([programGroup('stub', { stopwaitsecs: 3 })]));
    clock.advance(1500);
    spawner.stubborn.add(1000);
    const p = sup.stopProcess('stub', true);
    clock.advance(2999);
    expect(spawner.kills.map((k) => k.signal)).toEqual([15]);
    clock.advance(1);
    expect(spawner.kills.map((k) => k.signal)).toEqual([15, 9]);
    expect(logger.has("killing 'stub' (1000) with SIGKILL")).toBe(true);
    await expect(p).resolves.toBe(true);
    expect(sup.getProcessInfo('stub').statename).toBe('STOPPED');
  });

  it('stopasgroup signals the process group and implies killasgroup', async () => {
    const sup = boot(makeConfig([programGroup('g', { stopasgroup: true, killasgroup: true, stopwaitsecs: 1 })]));
    clock.advance(1500);
    spawner.stubborn.add(1000);
    const p = sup.stopProcess('g', true);
    clock.advance(1000);
    await p;
    expect(spawner.kills).toEqual([
      { pid: -1000, signal: 15 },
      { pid: -1000, signal: 9 },
    ]);
  });

  it('stop from BACKOFF → STOPPED without a signal', async () => {
    const sup = boot(makeConfig([programGroup('b')]));
    spawner.last().exit(1);
    expect(sup.getProcessInfo('b').statename).toBe('BACKOFF');
    await sup.stopProcess('b', true);
    expect(sup.getProcessInfo('b').statename).toBe('STOPPED');
    expect(spawner.kills).toHaveLength(0);
  });
});

describe('control API', () => {
  it('startProcess waits for RUNNING, faults like supervisord', async () => {
    const sup = boot(makeConfig([programGroup('m', { autostart: false, startsecs: 1 })]));
    const p = sup.startProcess('m', true);
    clock.advance(1001);
    await expect(p).resolves.toBe(true);
    await expect(sup.startProcess('m', true)).rejects.toMatchObject({ message: 'ALREADY_STARTED: m' });
    await expect(sup.startProcess('nope', true)).rejects.toMatchObject({ message: 'BAD_NAME: nope' });
    await expect(sup.stopProcess('m', false)).resolves.toBe(true);
  });

  it('startProcess on a process that dies while STARTING → SPAWN_ERROR', async () => {
    const sup = boot(makeConfig([programGroup('d', { autostart: false, startsecs: 5 })]));
    const p = sup.startProcess('d', true);
    spawner.last().exit(1);
    await expect(p).rejects.toBeInstanceOf(EngineError);
    await expect(p).rejects.toMatchObject({ message: 'SPAWN_ERROR: d' });
  });

  it('NO_FILE and NOT_EXECUTABLE for bad commands', async () => {
    const sup = boot(makeConfig([programGroup('nf', { autostart: false, command: '/nonexistent/x' }), programGroup('dir', { autostart: false, command: '/tmp' })]));
    await expect(sup.startProcess('nf', true)).rejects.toMatchObject({ message: "NO_FILE: can't find command '/nonexistent/x'" });
    await expect(sup.startProcess('dir', true)).rejects.toMatchObject({ message: "NOT_EXECUTABLE: command at '/tmp' is a directory" });
  });

  it('group results carry status 80/OK and faults per process', async () => {
    const g = { name: 'grp', kind: 'group' as const, priority: 5, processes: [processConfig('a', { groupName: 'grp', startsecs: 0, autostart: false }), processConfig('b', { groupName: 'grp', autostart: false, command: '/nonexistent' })] };
    const sup = boot(makeConfig([g]));
    const res = sup.startProcessGroup('grp', true);
    clock.advance(5);
    const results = await res;
    expect(results).toEqual([
      { name: 'b', group: 'grp', status: 20, description: "NO_FILE: can't find command '/nonexistent'" },
      { name: 'a', group: 'grp', status: 80, description: 'OK' },
    ]);
    expect(sup.getAllProcessInfo().map((i) => `${i.group}:${i.name}`)).toEqual(['grp:a', 'grp:b']);
  });

  it('signalProcess validates the signal and state', () => {
    const sup = boot(makeConfig([programGroup('s', { startsecs: 0 })]));
    clock.advance(1);
    expect(sup.signalProcess('s', 'HUP')).toBe(true);
    expect(spawner.kills.at(-1)).toEqual({ pid: 1000, signal: 1 });
    expect(() => sup.signalProcess('s', 'NOPE')).toThrow('BAD_SIGNAL: NOPE');
  });

  it('reloadConfig reports added, changed and removed groups; add/remove apply them', async () => {
    const v1 = makeConfig([programGroup('keep'), programGroup('change'), programGroup('gone')]);
    const v2 = makeConfig([programGroup('keep'), programGroup('change', { command: '/bin/sleep 5' }), programGroup('new')]);
    let current = v1;
    const sup = boot(v1, () => current);
    clock.advance(1500);
    const keepPid = sup.getProcessInfo('keep').pid;
    current = v2;
    expect(sup.reloadConfig()).toEqual({ added: ['new'], changed: ['change'], removed: ['gone'] });
    expect(() => sup.removeProcessGroup('gone')).toThrow('STILL_RUNNING: gone');
    const diff = sup.applyConfigChanges();
    await diff;
    expect(sup.getAllProcessInfo().map((i) => i.name)).toEqual(['change', 'keep', 'new']);
    expect(sup.getProcessInfo('keep').pid).toBe(keepPid);
    expect(() => sup.addProcessGroup('new')).toThrow('ALREADY_ADDED: new');
  });
});

describe('shutdown', () => {
  it('stops groups one at a time from highest priority to lowest', async () => {
    const sup = boot(makeConfig([programGroup('db', { priority: 10 }), programGroup('app', { priority: 20 }), programGroup('web', { priority: 30 })]));
    clock.advance(1500);
    sup.shutdown();
    await flush();
    await sup.exited;
    const stopping = transitions.filter((t) => t.to === S.STOPPING).map((t) => t.name);
    expect(stopping).toEqual(['web', 'app', 'db']);
    // each group was fully stopped before the next one got its stop signal
    const order = transitions.filter((t) => t.to === S.STOPPING || t.to === S.STOPPED).map((t) => `${S[t.to]}:${t.name}`);
    expect(order).toEqual(['STOPPING:web', 'STOPPED:web', 'STOPPING:app', 'STOPPED:app', 'STOPPING:db', 'STOPPED:db']);
    expect(() => sup.assertRunning()).toThrow('SHUTDOWN_STATE');
  });

  it('no automatic spawn once shutting down; BACKOFF processes give up', async () => {
    const sup = boot(makeConfig([programGroup('flaky')]));
    spawner.last().exit(1);
    sup.shutdown();
    await sup.exited;
    clock.advance(10_000);
    expect(spawner.children).toHaveLength(1);
    expect(sup.getProcessInfo('flaky').statename).toBe('FATAL');
  });
});
