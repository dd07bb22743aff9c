// The bundle is built by esbuild, which strips types without checking them: the type checker runs
// here, over src/ and test/, so a type error fails `npm test`.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

it('src/ and test/ type-check (tsc --noEmit)', () => {
  let output = '';
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', ROOT], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    output = `${err.stdout ?? ''}${err.stderr ?? ''}` || String(e);
  }
  // tsc's own report is the failure message.
  expect(output, output).toBe('');
}, 300_000);
