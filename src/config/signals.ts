// The one signal table of svinit: names and numbers as Python's `signal` module has them on Linux,
// which is what supervisord's signal_number() accepts and its signame() prints. Everything that
// turns a signal name into a number or back (config values, signalProcess, exit codes, the reaper,
// the PID-1 relay, log lines) goes through here.

import { pyRepr } from './ini.js';
import { ValueError } from './value-error.js';

/**
 * Python's `signal` module on Linux: the names signal_number() accepts (getattr on the module, so
 * SIG_DFL & co. count too) and, through their values, the numbers it accepts — so `0` passes and
 * 35..63 do not (supervisord's datatypes.signal_number). Node's os.constants.signals differs (no
 * SIGCLD, SIGRTMIN, SIGRTMAX; an extra SIGUNUSED), hence the explicit table.
 */
const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17, SIGCLD: 17,
  SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25,
  SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31, SIGRTMIN: 34,
  SIGRTMAX: 64, SIG_DFL: 0, SIG_IGN: 1, SIG_BLOCK: 0, SIG_UNBLOCK: 1, SIG_SETMASK: 2,
};
const SIGNUMS = new Set(Object.values(SIGNALS));

/** Number → the name Python's Signals enum prints for it (its canonical name), with the SIG prefix. */
export const SIGNAL_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(SIGNALS)
    .filter(([k]) => !['SIGIOT', 'SIGCLD', 'SIGPOLL'].includes(k) && !k.startsWith('SIG_'))
    .map(([k, n]) => [n, k]),
);

/** A signal number from `TERM`, `sigterm`, `SIGTERM` or `15`. */
export function parseSignal(v: string): number {
  let num: number;
  if (/^\s*[-+]?\d+(_\d+)*\s*$/.test(v)) num = Number(v.trim().replace(/_/g, ''));
  else {
    let name = v.trim().toUpperCase();
    if (!name.startsWith('SIG')) name = `SIG${name}`;
    const n = SIGNALS[name];
    if (n === undefined) throw new ValueError(`value ${pyRepr(v)} is not a valid signal name`);
    num = n;
  }
  if (!SIGNUMS.has(num)) throw new ValueError(`value ${pyRepr(v)} is not a valid signal number`);
  return num;
}

/** 15 → 'TERM' (supervisorctl and logs add the SIG prefix where supervisord does). */
export function signalName(n: number): string {
  return SIGNAL_NAMES[n]?.slice(3) ?? String(n);
}

/** 15 → 'SIGTERM', as supervisord's signame() prints it in log lines. */
export function signame(n: number): string {
  return SIGNAL_NAMES[n] ?? `signal ${n}`;
}

/** 'SIGTERM' → 15, for a signal name as Node reports it (a child's exit, a received signal). */
export function signalNumber(name: string): number | undefined {
  return name.startsWith('SIG_') ? undefined : SIGNALS[name];
}
