// The process operations behind the RPC API (control.ts), on fake groups: no Supervisor, no real time.

import { beforeEach, describe, expect, it } from 'vitest';
import type { ActiveGroups } from '../../../src/engine/active-groups.js';
import { FakeClock } from '../../../src/engine/clock.js';
import { ProcessControl } from '../../../src/engine/control.js';
import { EngineError, Faults } from '../../../src/engine/errors.js';
import { ProcessState as S } from '../../../src/engine/states.js';
import type { GroupConfig } from '../../../src/config/types.js';
import { FakeSpawner, MemoryLogger, activeGroups, fakeContext, processConfig, programGroup } from '../../helpers/engine-fakes.js';

let clock: FakeClock;
let spawner: FakeSpawner;
let logger: MemoryLogger;
let groups: ActiveGroups;
let control: ProcessControl;

function setup(configs: GroupConfig[]): void {
  groups = activeGroups(configs, fakeContext(clock, spawner, logger));
  control = new ProcessControl(groups, clock, logger, { PATH: '/usr/bin:/bin' });
}

const faultOf = async (p: Promise<unknown> | (() => unknown)): Promise<string> => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return (e as EngineError).fault;
  }
  return 'no fault';
};

const twoInGroup = (): GroupConfig => ({
  name: 'pool',
  kind: 'program',
  priority: 999,
  processes: [
    processConfig('b', { groupName: 'pool', priority: 20, autostart: false }),
    processConfig('a', { groupName: 'pool', priority: 10, autostart: false }),
  ],
});

beforeEach(() => {
  clock = new FakeClock();
  spawner = new FakeSpawner();
  logger = new MemoryLogger();
});

describe('startProcess', () => {
  it('spawns a stopped process and answers at once without wait', async () => {
    setup([programGroup('web', { autostart: false })]);
    await expect(control.startProcess('web', false)).resolves.toBe(true);
    expect(groups.process('web').state).toBe(S.STARTING);
    expect(spawner.live()).toHaveLength(1);
  });

  it('with wait, resolves only once the process is RUNNING (startsecs elapsed)', async () => {
    setup([programGroup('web', { autostart: false, startsecs: 1 })]);
    let done = false;
    const call = control.startProcess('web', true).then((r) => (done = r === true));
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1001);
    await call;
    expect(done).toBe(true);
  });

  it('with wait, SPAWN_ERROR when the process exits too quickly', async () => {
    setup([programGroup('web', { autostart: false, startsecs: 5 })]);
    const call = faultOf(control.startProcess('web', true));
    spawner.last().exit(1);
    expect(await call).toBe('SPAWN_ERROR');
  });

  it('with wait, ABNORMAL_TERMINATION when the process is stopped while STARTING', async () => {
    setup([programGroup('web', { autostart: false, startsecs: 5 })]);
    const call = faultOf(control.startProcess('web', true));
    await control.stopProcess('web', false);
    expect(await call).toBe('ABNORMAL_TERMINATION');
  });

  it('faults: BAD_NAME, ALREADY_STARTED, NO_FILE for a missing command, SPAWN_ERROR', async () => {
    setup([programGroup('web', { autostart: false }), programGroup('ghost', { autostart: false, command: '/nonexistent/cmd' })]);
    expect(await faultOf(control.startProcess('nope', false))).toBe('BAD_NAME');
    expect(await faultOf(control.startProcess('web:other', false))).toBe('BAD_NAME');
    await control.startProcess('web', false);
    expect(await faultOf(control.startProcess('web', false))).toBe('ALREADY_STARTED');
    expect(await faultOf(control.startProcess('ghost', false))).toBe('NO_FILE');
  });

  it('a group namespec starts every process in priority order and reports each', async () => {
    setup([twoInGroup()]);
    const results = await control.startProcess('pool:*', false);
    expect(results).toEqual([
      { name: 'a', group: 'pool', status: Faults.SUCCESS, description: 'OK' },
      { name: 'b', group: 'pool', status: Faults.SUCCESS, description: 'OK' },
    ]);
    expect(spawner.children.map((c) => c.req.argv[0])).toHaveLength(2);
  });

  it('startAllProcesses skips processes that already run', async () => {
    setup([programGroup('x', { autostart: false }), programGroup('y', { autostart: false })]);
    await control.startProcess('x', false);
    const results = await control.startAllProcesses(false);
    expect(results.map((r) => r.name)).toEqual(['y']);
  });
});

describe('stopProcess', () => {
  it('NOT_RUNNING for a stopped process', async () => {
    setup([programGroup('web', { autostart: false })]);
    expect(await faultOf(control.stopProcess('web', false))).toBe('NOT_RUNNING');
  });

  it('with wait, resolves once the process is STOPPED', async () => {
    setup([programGroup('web', { autostart: false })]);
    await control.startProcess('web', false);
    const pid = spawner.last().pid;
    await expect(control.stopProcess('web', true)).resolves.toBe(true);
    expect(groups.process('web').state).toBe(S.STOPPED);
    expect(spawner.kills).toContainEqual({ pid, signal: 15 });
  });

  it('stopAllProcesses reports one result per running process', async () => {
    setup([twoInGroup(), programGroup('idle', { autostart: false })]);
    await control.startProcessGroup('pool', false);
    const results = await control.stopAllProcesses(true);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['a', Faults.SUCCESS],
      ['b', Faults.SUCCESS],
    ]);
  });
});

describe('signalProcess', () => {
  it('sends the parsed signal to a running process', async () => {
    setup([programGroup('web', { autostart: false })]);
    await control.startProcess('web', false);
    expect(control.signalProcess('web', 'HUP')).toBe(true);
    expect(spawner.kills).toContainEqual({ pid: spawner.last().pid, signal: 1 });
  });

  it('BAD_SIGNAL for an unknown signal, NOT_RUNNING for a stopped process', async () => {
    setup([programGroup('web', { autostart: false })]);
    expect(await faultOf(() => control.signalProcess('web', 'HUP'))).toBe('NOT_RUNNING');
    await control.startProcess('web', false);
    expect(await faultOf(() => control.signalProcess('web', 'NOPE'))).toBe('BAD_SIGNAL');
  });

  it('signalAllProcesses reports a fault per process instead of throwing', async () => {
    setup([programGroup('web', { autostart: false })]);
    await control.startProcess('web', false);
    expect(control.signalAllProcesses('NOPE')).toEqual([{ name: 'web', group: 'web', status: Faults.BAD_SIGNAL, description: 'BAD_SIGNAL: NOPE' }]);
  });
});

describe('sendProcessStdin', () => {
  it('writes to a running process and faults NOT_RUNNING otherwise', async () => {
    setup([programGroup('web', { autostart: false })]);
    expect(await faultOf(() => control.sendProcessStdin('web', 'x'))).toBe('NOT_RUNNING');
    await control.startProcess('web', false);
    control.sendProcessStdin('web', 'hello');
    expect(spawner.last().stdin.read()?.toString()).toBe('hello');
  });
});
