// What each signal does to svinit (documented in docs/signals.md). As PID 1 the kernel drops any
// signal without a handler, and Node starts its inspector on an unhandled SIGUSR1, so every signal
// below gets a handler.

export type SignalRoute = 'shutdown' | 'reload' | 'reopen-logs' | 'forward';

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
  SIGPWR: { route: 'forward', why: 'relayed to every running program' },
  SIGSYS: { route: 'forward', why: 'relayed to every running program' },
  SIGURG: { route: 'forward', why: 'relayed to every running program' },
  SIGXCPU: { route: 'forward', why: 'relayed to every running program' },
  SIGXFSZ: { route: 'forward', why: 'relayed to every running program' },
};
// SIGPROF and SIGVTALRM are left alone: V8's CPU profiler (node --cpu-prof) drives itself with them.

export interface SignalHandlers {
  shutdown(sig: NodeJS.Signals): void;
  reload(): void;
  reopenLogs(): void;
  forward(sig: NodeJS.Signals): void;
}

/** Installs a handler for every routed signal; returns a function that removes them. */
export function installSignalHandlers(h: SignalHandlers): () => void {
  const installed: Array<[NodeJS.Signals, () => void]> = [];
  for (const [name, { route }] of Object.entries(SIGNAL_ROUTES)) {
    const sig = name as NodeJS.Signals;
    const fn =
      route === 'shutdown' ? () => h.shutdown(sig) : route === 'reload' ? () => h.reload() : route === 'reopen-logs' ? () => h.reopenLogs() : () => h.forward(sig);
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
