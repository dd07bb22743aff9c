// essential=true (docs/dependencies.md): when such a program stops for good, svinit shuts
// everything down and exits with the program's own code, as a shell would report it.

import { exitCodeOf, exitCodeOfSpawnError, EXIT_INTERNAL_ERROR } from '../init/exit-codes.js';
import type { GateResult } from './dependencies.js';
import { willRestart } from './dependency-tracker.js';
import type { Process } from './process.js';
import { ProcessState } from './states.js';

export interface EssentialEnd {
  /** svinit's exit code. */
  code: number;
  /** For the activity log: which program ended the container, and why. */
  reason: string;
}

/**
 * Did an essential program just stop for good? FATAL, or EXITED without a restart coming. An
 * administrative stop (`svctl stop`) is deliberate and does not end the container.
 */
export function essentialEnded(p: Process, to: ProcessState): EssentialEnd | null {
  if (!p.config.essential) return null;
  if (to === ProcessState.FATAL) return { code: exitCodeOfFailedStart(p), reason: `entered FATAL state (${p.spawnerr ?? 'gave up'})` };
  if (to !== ProcessState.EXITED || willRestart(p)) return null;
  const exit = p.lastExit;
  const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with status ${exit?.code ?? -1}`;
  return { code: exit ? exitCodeOf(exit.code, exit.signal) : EXIT_INTERNAL_ERROR, reason: how };
}

/** An essential program whose dependency failed for good will never run: that ends it too (exit code 1). */
export function essentialCannotStart(p: Process, gate: GateResult): EssentialEnd | null {
  if (!p.config.essential || gate.status !== 'failed') return null;
  return { code: EXIT_INTERNAL_ERROR, reason: `cannot start (${gate.text})` };
}

/** 127/126 when it could not be found/executed, its own code when it kept dying, else 1. */
function exitCodeOfFailedStart(p: Process): number {
  if (p.lastSpawnError) return exitCodeOfSpawnError(p.lastSpawnError);
  if (p.readyFailure === null && p.lastExit) return exitCodeOf(p.lastExit.code, p.lastExit.signal);
  return EXIT_INTERNAL_ERROR;
}
