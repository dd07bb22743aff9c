// What each signal does to svinit (documented in docs/signals.md). As PID 1 the kernel drops any
// signal without a handler, and Node starts its inspector on an unhandled SIGUSR1, so every signal
// below gets a handler.

export type SignalRoute = 'shutdown' | 'reload' | 'reopen-logs' | 'forward' | 'ignore';

export const SIGNAL_ROUTES: Record<string, { route: SignalRoute; why: string }> = {
  SIGTERM: { route: 'shutdown', why: 'orderly stop in reverse priority; a second TERM kills everything now' },
  SIGINT: { route: 'shutdown', why: 'as TERM (Ctrl-C in a terminal)' },
  SIGQUIT: { route: 'shutdown', why: "as TERM (supervisord's meaning)" },
  SIGHUP: { route: 'reload', why: 're-read the config and apply added, changed and removed programs' },
  SIGUSR2: { route: 'reopen-logs', why: "reopen every log file (supervisord's meaning, for logrotate)" },
  SIGUSR1: { route: 'forward', why: 'relayed to every running program (supervisord ignores it; Node would start its inspector)' },
  SIGWINCH: { route: 'forward', why: 'terminal resize, relayed like tini does' },
  SIGCONT: { route: 'forward', why: 'relayed to every running program' },
  SIGALRM: { route: 'forward', why: 'relayed to every running program' },
  SIGPWR: { route: 'forward', why: 'relayed to every running program (power failure, e.g. from a UPS daemon)' },
  SIGURG: { route: 'forward', why: 'relayed to every running program' },
  SIGXCPU: { route: 'forward', why: 'relayed to every running program' },
  SIGXFSZ: { route: 'forward', why: 'relayed to every running program; svinit itself then sees EFBIG instead of dying' },
  // Job control: programs run in their own sessions without a terminal, so a stop signal would only
  // freeze them behind the state machine's back; svinit must not stop itself either (tini ignores
  // TTIN/TTOU the same way).
  SIGTSTP: { route: 'ignore', why: 'not forwarded: a stopped program looks RUNNING to supervisord; svinit does not stop' },
  SIGTTIN: { route: 'ignore', why: 'svinit never stops when it reads from a terminal it lost' },
  SIGTTOU: { route: 'ignore', why: 'svinit never stops when it writes to a terminal it lost' },
};
// Not in the table: SIGCHLD (the reaper's), SIGPIPE (libuv ignores it), SIGPROF and SIGVTALRM
// (V8's CPU profiler drives itself with them), and the fault signals SIGSEGV, SIGBUS, SIGFPE,
// SIGILL, SIGTRAP, SIGABRT, SIGSYS: they are about svinit's own code, never meant for programs.

export interface SignalHandlers {
  shutdown(sig: NodeJS.Signals): void;
  /** A second TERM/INT/QUIT while shutting down; without it, shutdown() is called again. */
  forceKill?(sig: NodeJS.Signals): void;
  reload(): void;
  reopenLogs(): void;
  forward(sig: NodeJS.Signals): void;
}

/** The signals of one route, in table order. */
export function signalsRoutedTo(route: SignalRoute): NodeJS.Signals[] {
  return Object.entries(SIGNAL_ROUTES)
    .filter(([, r]) => r.route === route)
    .map(([name]) => name as NodeJS.Signals);
}

/** Installs a handler for every routed signal; returns a function that removes them. */
export function installSignalHandlers(h: SignalHandlers): () => void {
  const installed: Array<[NodeJS.Signals, () => void]> = [];
  let shutdowns = 0;
  const onShutdown = (sig: NodeJS.Signals) => {
    shutdowns++;
    if (shutdowns > 1 && h.forceKill) h.forceKill(sig);
    else h.shutdown(sig);
  };
  const handlerFor = (sig: NodeJS.Signals, route: SignalRoute): (() => void) => {
    switch (route) {
      case 'shutdown':
        return () => onShutdown(sig);
      case 'reload':
        return () => h.reload();
      case 'reopen-logs':
        return () => h.reopenLogs();
      case 'forward':
        return () => h.forward(sig);
      case 'ignore':
        return () => {};
    }
  };
  for (const [name, { route }] of Object.entries(SIGNAL_ROUTES)) {
    const sig = name as NodeJS.Signals;
    const fn = handlerFor(sig, route);
    try {
      process.on(sig, fn);
      installed.push([sig, fn]);
    } catch {
      /* a signal this platform lacks */
    }
  }
  return () => {
    for (const [sig, fn] of installed) process.off(sig, fn);
  };
}
