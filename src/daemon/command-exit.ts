// Single-command mode (`svinit -- cmd`): svinit ends when its one program does and exits with the
// program's code, as tini does (docs/exit-codes.md).

import { ProcessState } from '../engine/states.js';
import type { Supervisor } from '../engine/supervisor.js';
import { EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, exitCodeOf } from '../init/exit-codes.js';

/** Watches the program; returns the exit code once known (null until then). */
export function watchCommandExit(supervisor: Supervisor): () => number | null {
  let exitCode: number | null = null;
  supervisor.facts.on('processState', (f) => {
    // The program ended on its own, failed to start, or was stopped by svinit's shutdown.
    if (f.to !== ProcessState.EXITED && f.to !== ProcessState.FATAL && f.to !== ProcessState.STOPPED) return;
    const proc = supervisor.activeGroups()[0]?.processes[0];
    if (!proc) return;
    if (f.to === ProcessState.FATAL) exitCode = proc.spawnerr?.startsWith("can't find") ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
    else if (proc.lastExit?.signal) exitCode = exitCodeOf(null, proc.lastExit.signal);
    else exitCode = proc.lastExit?.code ?? 0;
    supervisor.shutdown();
  });
  return () => exitCode;
}
