// The one temp-dir helper of the test suite: a fresh directory per test file, created when first
// used and removed after the file's tests. Nothing happens at import; call useTempDir() at the top
// level of a test file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export interface TempDir {
  /** The directory (created on first use, real path). */
  readonly path: string;
  /** A fresh path inside the directory (not created). */
  file(name?: string): string;
}

export function useTempDir(prefix = 'svinit-test-'): TempDir {
  let dir = '';
  let n = 0;
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get path() {
      dir ||= fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
      return dir;
    },
    file(name = 'f') {
      return path.join(this.path, `${name}${n++}.log`);
    },
  };
}
