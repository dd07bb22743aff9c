// The checks supervisord's child makes before exec, done here before spawning so the failure
// lands in the process log like supervisord's `supervisor: couldn't chdir to …` lines.

import fs from 'node:fs';
import type { ProcessConfig } from '../config/types.js';

export function checkChildSetup(pc: ProcessConfig): string | null {
  if (pc.uid !== null) {
    const me = process.getuid?.();
    if (me !== undefined && me !== 0 && me !== pc.uid) return `couldn't setuid to ${pc.uid}: Can't drop privilege as nonroot user`;
  }
  if (pc.directory !== null) {
    try {
      if (!fs.statSync(pc.directory).isDirectory()) return `couldn't chdir to ${pc.directory}: ENOTDIR`;
    } catch (e) {
      return `couldn't chdir to ${pc.directory}: ${(e as NodeJS.ErrnoException).code ?? 'ENOENT'}`;
    }
  }
  return null;
}
