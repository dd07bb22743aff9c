// The daemon's last-resort handlers: an exception or rejection that reaches the process level is
// logged at CRITICAL with its stack, once, and does not end svinit.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installLastResort } from '../../../src/daemon/last-resort.js';
import { MemoryLogger } from '../../helpers/engine-fakes.js';

describe('installLastResort', () => {
  it('logs an uncaught exception at CRITICAL with its stack, once', () => {
    const proc = new EventEmitter();
    const logger = new MemoryLogger();
    installLastResort(logger, proc);
    const err = new Error('EMFILE: too many open files');
    proc.emit('uncaughtException', err);
    proc.emit('uncaughtException', err);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^CRIT uncaught exception, svinit keeps running: Error: EMFILE: too many open files\n\s+at /);
  });

  it('logs unhandled rejections, and can be removed', () => {
    const proc = new EventEmitter();
    const logger = new MemoryLogger();
    const remove = installLastResort(logger, proc);
    proc.emit('unhandledRejection', 'plain reason');
    expect(logger.lines).toEqual(['CRIT unhandled promise rejection, svinit keeps running: plain reason']);
    remove();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});
