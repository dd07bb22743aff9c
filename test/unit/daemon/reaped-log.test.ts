// supervisord logs "reaped unknown pid" at INFO; as a container's init it is routine, so DEBUG.

import { describe, expect, it } from 'vitest';
import { reportReaped } from '../../../src/daemon/reaping.js';
import { MemoryLogger } from '../../helpers/engine-fakes.js';

describe('reaped unknown pid', () => {
  it('is INFO outside a container, as supervisord', () => {
    const logger = new MemoryLogger();
    reportReaped(logger, false)(77, { code: 3, signal: null });
    expect(logger.lines).toEqual(['INFO reaped unknown pid 77 (exit status 3)']);
  });

  it('is DEBUG in container mode', () => {
    const logger = new MemoryLogger();
    reportReaped(logger, true)(78, { code: null, signal: 'SIGKILL' });
    expect(logger.lines).toEqual(['DEBG reaped unknown pid 78 (terminated by SIGKILL)']);
  });
});
