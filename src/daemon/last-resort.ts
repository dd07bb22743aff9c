// PID 1 must never die of an exception: when svinit runs as a container's init, its death kills
// every program with it. Each timer, stream and socket callback guards its own errors; this is the
// net under them. An error that reaches the process level is logged at CRITICAL with its stack
// (once per distinct stack, so a repeating fault cannot flood the log) and the daemon keeps running.

import type { ActivityLogger } from '../logging/types.js';

/** Installs the process-level handlers; returns how to remove them. */
export function installLastResort(logger: Pick<ActivityLogger, 'critical'>, proc: NodeJS.EventEmitter = process): () => void {
  const seen = new Set<string>();
  const report = (kind: string) => (err: unknown) => {
    const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
    if (seen.has(text)) return;
    seen.add(text);
    logger.critical(`${kind}, svinit keeps running: ${text}`);
  };
  const onException = report('uncaught exception');
  const onRejection = report('unhandled promise rejection');
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
