// Signalling a child's whole process group, falling back to the child alone (it may not lead a
// group of its own), and ignoring a child that is already gone: its exit is handled when reaped.

import type { Spawner } from './types.js';

export function killGroupOrProcess(spawner: Spawner, pid: number, sig: number): void {
  try {
    spawner.kill(-pid, sig);
  } catch {
    try {
      spawner.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}
