// The layer rules of docs/architecture.md, checked by dependency-cruiser with the rules in
// .dependency-cruiser.cjs: no import cycles, no upward imports, no imports between peers.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

it('src/ keeps its layers and has no import cycles (dependency-cruiser)', () => {
  let output = '';
  let failed = false;
  try {
    output = execFileSync(path.join(ROOT, 'node_modules/.bin/depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err-long'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    failed = true;
    output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
  // The tool's own report is the failure message.
  expect(failed ? output : '', output).toBe('');
}, 120_000);
