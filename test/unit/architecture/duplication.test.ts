// No duplicated logic in src/: jscpd (settings in .jscpd.json) must find no clone at all.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface Clone {
  firstFile: { name: string; start: number; end: number };
  secondFile: { name: string; start: number; end: number };
}

it('src/ has no duplicated code (jscpd)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-jscpd-'));
  try {
    execFileSync(path.join(ROOT, 'node_modules/.bin/jscpd'), ['--config', '.jscpd.json', '--output', out, '--silent'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const report = JSON.parse(fs.readFileSync(path.join(out, 'jscpd-report.json'), 'utf8')) as { duplicates: Clone[] };
    // jscpd names files relative to the scanned folder (src/) or absolutely, depending on version.
    const rel = (f: string) => (path.isAbsolute(f) ? path.relative(ROOT, f) : f.startsWith('src/') ? f : `src/${f}`);
    const clones = report.duplicates.map((c) => `${rel(c.firstFile.name)}:${c.firstFile.start}-${c.firstFile.end} ~ ${rel(c.secondFile.name)}:${c.secondFile.start}-${c.secondFile.end}`);
    expect(clones, `jscpd found duplicated code:\n${clones.join('\n')}`).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 120_000);
