import { describe, expect, it } from 'vitest';
import { EXIT_CONFIG_ERROR, EXIT_INTERNAL_ERROR, EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, EXIT_OK, exitCodeOf, exitCodeOfSpawnError } from '../../../src/init/exit-codes.js';

describe('exit codes', () => {
  it('has the documented constants', () => {
    expect([EXIT_OK, EXIT_INTERNAL_ERROR, EXIT_CONFIG_ERROR, EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND]).toEqual([0, 1, 2, 126, 127]);
  });

  it('maps a wait status like a shell: the code, or 128+n for signal n', () => {
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(7, null)).toBe(7);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137);
    expect(exitCodeOf(null, 2)).toBe(130);
    expect(exitCodeOf(null, null)).toBe(1);
  });

  it('maps exec failures like tini: 127 not found, 126 not executable', () => {
    expect(exitCodeOfSpawnError('ENOENT')).toBe(127);
    expect(exitCodeOfSpawnError('EACCES')).toBe(126);
    expect(exitCodeOfSpawnError('EISDIR')).toBe(126);
    expect(exitCodeOfSpawnError('ENOEXEC')).toBe(126);
    expect(exitCodeOfSpawnError('E2BIG')).toBe(1);
  });
});
