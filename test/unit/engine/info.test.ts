// Process and config info as the API presents it (info.ts), on fake groups under a fake clock.

import { beforeEach, describe, expect, it } from 'vitest';
import type { GroupConfig } from '../../../src/config/types.js';
import type { ActiveGroups } from '../../../src/engine/active-groups.js';
import { FakeClock } from '../../../src/engine/clock.js';
import { allConfigInfo, allProcessInfo, processInfo, stopTimeText, uptimeText } from '../../../src/engine/info.js';
import { FakeSpawner, MemoryLogger, activeGroups, fakeContext, makeConfig, processConfig, programGroup } from '../../helpers/engine-fakes.js';

let clock: FakeClock;
let spawner: FakeSpawner;

function groupsOf(configs: GroupConfig[]): ActiveGroups {
  return activeGroups(configs, fakeContext(clock, spawner, new MemoryLogger()));
}

beforeEach(() => {
  clock = new FakeClock();
  spawner = new FakeSpawner();
});

describe('text formats', () => {
  it("uptimeText is Python's str(timedelta)", () => {
    expect(uptimeText(0)).toBe('0:00:00');
    expect(uptimeText(3725)).toBe('1:02:05');
    expect(uptimeText(86400 + 61)).toBe('1 day, 0:01:01');
    expect(uptimeText(3 * 86400)).toBe('3 days, 0:00:00');
    expect(uptimeText(-5)).toBe('0:00:00');
  });

  it("stopTimeText is strftime('%b %d %I:%M %p') in local time", () => {
    const t = new Date(2024, 0, 5, 13, 7).getTime() / 1000;
    expect(stopTimeText(t)).toBe('Jan 05 01:07 PM');
    expect(stopTimeText(new Date(2024, 11, 31, 0, 30).getTime() / 1000)).toBe('Dec 31 12:30 AM');
  });
});

describe('processInfo', () => {
  it('a never-started process: STOPPED, "Not started", zero times', () => {
    const p = groupsOf([programGroup('web', { autostart: false })]).process('web');
    const info = processInfo(p, clock.now());
    expect(info).toMatchObject({ name: 'web', group: 'web', statename: 'STOPPED', description: 'Not started', start: 0, stop: 0, pid: 0 });
    expect(info.now).toBe(Math.trunc(clock.now() / 1000));
  });

  it('a running process: pid and uptime', () => {
    const p = groupsOf([programGroup('web', { startsecs: 0 })]).process('web');
    p.spawn();
    p.transition();
    clock.advance(65_000);
    const info = processInfo(p, clock.now());
    expect(info.statename).toBe('RUNNING');
    expect(info.description).toBe(`pid ${p.pid}, uptime 0:01:05`);
  });

  it('log file names: the resolved path, the configured file, or empty; no stderr with redirect_stderr', () => {
    const p = groupsOf([programGroup('web', { redirectStderr: true })]).process('web');
    p.logPaths.stdout = '/var/log/web.log';
    expect(processInfo(p, clock.now())).toMatchObject({ logfile: '/var/log/web.log', stdout_logfile: '/var/log/web.log', stderr_logfile: '' });
  });
});

describe('allProcessInfo', () => {
  it('sorts groups by name, then processes by name', () => {
    const pool: GroupConfig = {
      name: 'a-pool',
      kind: 'program',
      priority: 999,
      processes: [processConfig('z', { groupName: 'a-pool' }), processConfig('m', { groupName: 'a-pool' })],
    };
    const groups = groupsOf([programGroup('b', {}, 1), pool]);
    expect(allProcessInfo(groups, clock.now()).map((i) => `${i.group}:${i.name}`)).toEqual(['a-pool:m', 'a-pool:z', 'b:b']);
  });
});

describe('allConfigInfo', () => {
  it('lists configured processes whether active or not, with supervisord defaults for unset values', () => {
    const config = makeConfig([programGroup('web'), programGroup('idle', { redirectStderr: true, stdout: { ...processConfig('x').stdout, logfile: { kind: 'auto' } } })]);
    const groups = groupsOf([config.groups.find((g) => g.name === 'web')!]);
    const infos = allConfigInfo(config, groups);
    expect(infos.map((i) => [i.name, i.inuse])).toEqual([
      ['idle', false],
      ['web', true],
    ]);
    expect(infos[0]).toMatchObject({ stdout_logfile: 'auto', stderr_logfile: 'none', directory: 'none', uid: 'none', serverurl: 'auto' });
  });

  it('shows the real AUTO path of an active process', () => {
    const auto = { ...processConfig('x').stdout, logfile: { kind: 'auto' as const } };
    const config = makeConfig([programGroup('web', { stdout: auto })]);
    const groups = groupsOf(config.groups);
    groups.process('web').logPaths.stdout = '/tmp/web-stdout---supervisor-abc.log';
    expect(allConfigInfo(config, groups)[0].stdout_logfile).toBe('/tmp/web-stdout---supervisor-abc.log');
  });
});
