// AUTO child log names and their cleanup at start.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoLogPath, cleanupAutoLogs } from '../../../src/logging/index.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-log-');

describe('AUTO logs', () => {
  it('names them <process>-<channel>---<identifier>-<8 chars>.log, created empty, mode 0600, unique', () => {
    const d = fs.mkdtempSync(path.join(tmp.path, 'auto-'));
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = autoLogPath(d, 'web_00', 'stderr', 'supervisor');
      expect(path.dirname(p)).toBe(d);
      expect(path.basename(p)).toMatch(/^web_00-stderr---supervisor-[a-z0-9_]{8}\.log$/);
      expect(fs.statSync(p).size).toBe(0);
      expect(fs.statSync(p).mode & 0o777).toBe(0o600);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });

  it("removes what supervisord's regex matches (rotated backups too), nothing else", () => {
    const d = fs.mkdtempSync(path.join(tmp.path, 'auto-'));
    const p = autoLogPath(d, 'web', 'stdout', 'supervisor');
    const keep = ['keep.log', 'web-stdout---other-abcdefgh.log', 'web-stdout--supervisor-abcdefgh.log', 'x---supervisor-.log'];
    for (const k of keep) fs.writeFileSync(path.join(d, k), 'x');
    for (const r of [`${p}.1`, `${p}.10`, path.join(d, 'a---supervisor-zz.log.9999')]) fs.writeFileSync(r, 'old');
    const warnings: string[] = [];
    cleanupAutoLogs(d, 'supervisor', { warn: (m) => warnings.push(m) });
    expect(fs.readdirSync(d).sort()).toEqual(keep.sort());
    expect(warnings).toEqual([]);
  });

  it('an identifier with regex characters is taken literally; a missing dir only warns', () => {
    const d = fs.mkdtempSync(path.join(tmp.path, 'auto-'));
    const p = autoLogPath(d, 'w', 'stdout', 'a.b+c');
    fs.writeFileSync(path.join(d, 'w-stdout---aXbbc-abcdefgh.log'), 'x');
    cleanupAutoLogs(d, 'a.b+c');
    expect(fs.existsSync(p)).toBe(false);
    expect(fs.readdirSync(d)).toEqual(['w-stdout---aXbbc-abcdefgh.log']);
    const warnings: string[] = [];
    cleanupAutoLogs(path.join(d, 'missing'), 'supervisor', { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual(['Could not clear childlog dir']);
  });
});
