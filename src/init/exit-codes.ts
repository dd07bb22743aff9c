// svinit's exit codes (documented in docs/exit-codes.md).
//
// Daemon mode: 0 after an orderly shutdown; 2 for a usage or config error (nothing was started);
// 1 for an internal error. Single-command mode (`svinit -- cmd`) exits like tini: the program's own
// code, 128+n when it was killed by signal n, 127 when the command cannot be found, 126 when it
// cannot be executed.

export const EXIT_OK = 0;
export const EXIT_INTERNAL_ERROR = 1;
export const EXIT_CONFIG_ERROR = 2;
export const EXIT_NOT_EXECUTABLE = 126;
export const EXIT_NOT_FOUND = 127;
export const EXIT_SIGNAL_BASE = 128;
