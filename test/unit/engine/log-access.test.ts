// Reading, tailing and clearing logs (log-access.ts): files on disk and in-memory tail buffers.

import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActiveGroups } from '../../../src/engine/active-groups.js';
import { FakeClock } from '../../../src/engine/clock.js';
import type { EngineError } from '../../../src/engine/errors.js';
import { LogAccess } from '../../../src/engine/log-access.js';
import { TailBuffer } from '../../../src/logging/tail-buffer.js';
import { FakeSpawner, MemoryLogger, activeGroups, fakeContext, programGroup } from '../../helpers/engine-fakes.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-log-access-');
let logger: MemoryLogger;
let groups: ActiveGroups;
let logs: LogAccess;

const faultOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as EngineError).message;
  }
  return 'no fault';
};

beforeEach(() => {
  logger = new MemoryLogger();
  groups = activeGroups([programGroup('web', { autostart: false })], fakeContext(new FakeClock(), new FakeSpawner(), logger));
  logs = new LogAccess(groups, logger);
});

describe('the main log', () => {
  it('NO_FILE without a log file; reads a slice of the file otherwise', () => {
    expect(faultOf(() => logs.readMainLog(0, 0))).toBe('NO_FILE');
    logger.path = tmp.file('main');
    fs.writeFileSync(logger.path, 'hello world\n');
    expect(logs.readMainLog(6, 5)).toBe('world');
    expect(logs.readMainLog(-6, 0)).toBe('world\n');
  });

  it('clearMainLog turns a logger failure into FAILED', () => {
    logger.clear = () => {
      throw new Error('disk gone');
    };
    expect(faultOf(() => logs.clearMainLog())).toBe('FAILED: disk gone');
  });
});

describe('process logs', () => {
  it('read and tail a log file; clear truncates it while the process is stopped', () => {
    const path = tmp.file('web');
    fs.writeFileSync(path, '0123456789');
    groups.process('web').logPaths.stdout = path;
    expect(logs.readProcessLog('web', 'stdout', 2, 3)).toBe('234');
    expect(logs.tailProcessLog('web', 'stdout', 0, 4)).toEqual(['6789', 10, true]);
    expect(logs.processLogPath('web', 'stdout')).toBe(path);
    logs.clearProcessLogs('web');
    expect(fs.readFileSync(path, 'utf8')).toBe('');
  });

  it('a channel without a readable file is served from its tail buffer', () => {
    const tail = new TailBuffer();
    tail.write(Buffer.from('recent output'));
    groups.process('web').tails.stdout = tail;
    expect(logs.readProcessLog('web', 'stdout', 0, 6)).toBe('recent');
    expect(logs.tailProcessLog('web', 'stdout', 0, 6)[0]).toBe('output');
    expect(faultOf(() => logs.processLogPath('web', 'stdout'))).toBe('NO_FILE: web');
    logs.clearProcessLogs('web');
    expect(logs.readProcessLog('web', 'stdout', 0, 0)).toBe('');
  });

  it('faults: BAD_NAME for an unknown process, NO_FILE without a log, an empty tail for a missing file', () => {
    expect(faultOf(() => logs.readProcessLog('nope', 'stdout', 0, 0))).toBe('BAD_NAME: nope');
    expect(faultOf(() => logs.readProcessLog('web', 'stderr', 0, 0))).toBe('NO_FILE');
    groups.process('web').logPaths.stdout = tmp.file('missing');
    expect(logs.tailProcessLog('web', 'stdout', 0, 10)).toEqual(['', 0, false]);
  });

  it('clearAllProcessLogs reports one result per process', () => {
    expect(logs.clearAllProcessLogs()).toEqual([{ name: 'web', group: 'web', status: 80, description: 'OK' }]);
  });
});
