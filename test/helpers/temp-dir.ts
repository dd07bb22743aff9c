// The one temp-dir helper of the test suite: a fresh directory per test file, removed afterwards.
// Nothing happens at import; call useTempDir() at the top level of a test file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface TempDir {
  /** The directory (valid inside tests and hooks). */
  readonly path: string;
  /** A fresh file name inside the directory (not created). */
  file(name?: string): string;
}

/** Creates a temp directory before the file's tests and removes it after them. */
export function useTempDir(prefix = 'svinit-test-'): TempDir {
  let dir = '';
  let n = 0;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get path() {
      if (!dir) throw new Error('useTempDir: the directory exists only inside tests and hooks');
      return dir;
    },
    file(name = 'f') {
      return path.join(this.path, `${name}-${n++}`);
    },
  };
}
