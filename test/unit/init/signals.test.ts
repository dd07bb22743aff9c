// The signal routing table and its installer: every routed signal gets a handler (PID 1 drops
// unhandled signals, Node opens its inspector on an unhandled SIGUSR1), real signals reach the
// right callback, a second stop request becomes forceKill, and the uninstaller removes everything.

import { afterEach, describe, expect, it } from 'vitest';
import { installSignalHandlers, SIGNAL_ROUTES, signalsRoutedTo, type SignalHandlers } from '../../../src/init/signals.js';
import { waitFor } from '../../helpers/daemon.js';

function recorder(withForceKill = true) {
  const calls: string[] = [];
  const h: SignalHandlers = {
    shutdown: (s) => calls.push(`shutdown ${s}`),
    reload: () => calls.push('reload'),
    reopenLogs: () => calls.push('reopenLogs'),
    forward: (s) => calls.push(`forward ${s}`),
    ...(withForceKill ? { forceKill: (s: NodeJS.Signals) => calls.push(`forceKill ${s}`) } : {}),
  };
  return { h, calls };
}

let uninstall: (() => void) | null = null;
afterEach(() => {
  uninstall?.();
  uninstall = null;
});

describe('SIGNAL_ROUTES', () => {
  it('routes as supervisord for TERM/INT/QUIT, HUP and USR2, and forwards USR1 and WINCH', () => {
    expect(signalsRoutedTo('shutdown')).toEqual(['SIGTERM', 'SIGINT', 'SIGQUIT']);
    expect(signalsRoutedTo('reload')).toEqual(['SIGHUP']);
    expect(signalsRoutedTo('reopen-logs')).toEqual(['SIGUSR2']);
    expect(signalsRoutedTo('forward')).toEqual(expect.arrayContaining(['SIGUSR1', 'SIGWINCH', 'SIGCONT', 'SIGALRM', 'SIGPWR']));
    expect(signalsRoutedTo('ignore')).toEqual(['SIGTSTP', 'SIGTTIN', 'SIGTTOU']);
  });

  it('leaves out the signals svinit must not take: CHLD (reaper), PROF/VTALRM (profiler), faults, KILL/STOP', () => {
    for (const s of ['SIGCHLD', 'SIGPROF', 'SIGVTALRM', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGSYS', 'SIGKILL', 'SIGSTOP', 'SIGPIPE'])
      expect(SIGNAL_ROUTES[s], s).toBeUndefined();
  });

  it('explains every route', () => {
    for (const [sig, r] of Object.entries(SIGNAL_ROUTES)) expect(r.why.length, sig).toBeGreaterThan(10);
  });
});

describe('installSignalHandlers', () => {
  it('installs one listener per routed signal and removes them all', () => {
    const before = Object.keys(SIGNAL_ROUTES).map((s) => process.listenerCount(s));
    const { h } = recorder();
    const off = installSignalHandlers(h);
    Object.keys(SIGNAL_ROUTES).forEach((s, i) => expect(process.listenerCount(s), s).toBe(before[i] + 1));
    off();
    Object.keys(SIGNAL_ROUTES).forEach((s, i) => expect(process.listenerCount(s), s).toBe(before[i]));
  });

  it('real signals reach their callbacks; TTIN neither calls anything nor stops us; a second stop request is forceKill', async () => {
    const { h, calls } = recorder();
    uninstall = installSignalHandlers(h);
    const sequence: NodeJS.Signals[] = ['SIGHUP', 'SIGUSR2', 'SIGUSR1', 'SIGTTIN', 'SIGWINCH', 'SIGTERM', 'SIGINT'];
    for (const s of sequence) {
      const n = calls.length;
      process.kill(process.pid, s);
      if (s === 'SIGTTIN') continue; // ignored: the next signal arriving proves we were not stopped
      await waitFor(() => calls.length > n, `${s} handled`, 5000, 5);
    }
    expect(calls).toEqual(['reload', 'reopenLogs', 'forward SIGUSR1', 'forward SIGWINCH', 'shutdown SIGTERM', 'forceKill SIGINT']);
  });

  it('without forceKill a repeated stop request calls shutdown again (the daemon counts itself)', () => {
    const { h, calls } = recorder(false);
    uninstall = installSignalHandlers(h);
    process.emit('SIGQUIT', 'SIGQUIT');
    process.emit('SIGTERM', 'SIGTERM');
    expect(calls).toEqual(['shutdown SIGQUIT', 'shutdown SIGTERM']);
  });

  it('a handled SIGUSR1 does not open the inspector', async () => {
    const { h, calls } = recorder();
    uninstall = installSignalHandlers(h);
    process.kill(process.pid, 'SIGUSR1');
    await waitFor(() => calls.includes('forward SIGUSR1'), 'USR1 forwarded', 5000, 5);
    const inspector = await import('node:inspector');
    expect(inspector.url()).toBeUndefined();
  });
});
