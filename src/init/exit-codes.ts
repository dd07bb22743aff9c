// svinit's exit codes (documented in docs/exit-codes.md).
//
// Daemon mode: 0 after an orderly shutdown; 2 for a usage or config error (nothing was started);
// 1 for an internal error. Single-command mode (`svinit -- cmd`) exits like tini: the program's own
// code, 128+n when it was killed by signal n, 127 when the command cannot be found, 126 when it
// cannot be executed. pidproxy exits with its daemon's status the same way.

import { signalNumber } from '../config/signals.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL_ERROR = 1;
export const EXIT_CONFIG_ERROR = 2;
export const EXIT_NOT_EXECUTABLE = 126;
export const EXIT_NOT_FOUND = 127;
export const EXIT_SIGNAL_BASE = 128;

/** A child's wait status as a shell would report it: its code, or 128+n for signal n. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | string | number | null): number {
  if (code !== null) return code & 0xff;
  if (signal === null) return EXIT_INTERNAL_ERROR;
  const n = typeof signal === 'number' ? signal : (signalNumber(signal) ?? 0);
  return EXIT_SIGNAL_BASE + n;
}

/** tini's mapping of an exec failure (a spawn 'error' event's errno code) to an exit code. */
export function exitCodeOfSpawnError(errnoCode: string | undefined): number {
  if (errnoCode === 'ENOENT' || errnoCode === 'ENOTDIR') return EXIT_NOT_FOUND;
  if (errnoCode === 'EACCES' || errnoCode === 'EISDIR' || errnoCode === 'ENOEXEC' || errnoCode === 'EPERM') return EXIT_NOT_EXECUTABLE;
  return EXIT_INTERNAL_ERROR;
}
