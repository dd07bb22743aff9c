import { describe, expect, it } from 'vitest';
import { ProcessState, processStateName, RUNNING_STATES, STOPPED_STATES } from '../../../src/engine/states.js';
import { EngineError, Faults } from '../../../src/engine/errors.js';

describe('states', () => {
  it('uses supervisord codes and names', () => {
    expect([0, 10, 20, 30, 40, 100, 200, 1000].map((c) => processStateName(c as ProcessState))).toEqual([
      'STOPPED', 'STARTING', 'RUNNING', 'BACKOFF', 'STOPPING', 'EXITED', 'FATAL', 'UNKNOWN',
    ]);
    expect(STOPPED_STATES.has(ProcessState.EXITED)).toBe(true);
    expect(RUNNING_STATES.has(ProcessState.BACKOFF)).toBe(true);
  });
  it('formats fault strings as NAME: extra', () => {
    const e = new EngineError('BAD_NAME', 'nosuch');
    expect(e.message).toBe('BAD_NAME: nosuch');
    expect(e.code).toBe(Faults.BAD_NAME);
    expect(new EngineError('SHUTDOWN_STATE').message).toBe('SHUTDOWN_STATE');
  });
});
