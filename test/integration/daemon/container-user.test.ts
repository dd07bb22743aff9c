// Container mode with `[supervisord] user=nobody` and no server section: the default control socket
// must be somewhere nobody can create it (supervisord starts this config fine). Run on the host as
// root, with a private /tmp (a bind mount in a new mount namespace) so the default socket path
// cannot meet another test's.

import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SVCTL, SVINIT, tmpDir, waitFor } from '../../helpers/daemon.js';

const execFileP = promisify(execFile);
if (process.getuid?.() !== 0 || spawnSync('unshare', ['-m', 'true']).status !== 0) throw new Error('this test needs root and `unshare -m`');

describe('container mode as user=nobody without a server section', () => {
  it('starts, serves svctl on a socket nobody could create, and stops cleanly', async () => {
    const privateTmp = tmpDir('svinit-nobody-');
    fs.chmodSync(privateTmp, 0o1777);
    fs.writeFileSync(path.join(privateTmp, 'c.conf'), '[supervisord]\nuser=nobody\n[program:s]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    // The checkout itself may live under /tmp, which the bind mount hides: run a copy of the bundle.
    fs.mkdirSync(path.join(privateTmp, 'dist'));
    for (const f of ['svinit.cjs', 'svinit.node']) fs.copyFileSync(path.join(path.dirname(SVINIT), f), path.join(privateTmp, 'dist', f));
    const proc = spawn('unshare', ['-m', 'sh', '-c', `mount --bind ${privateTmp} /tmp && exec "${process.execPath}" /tmp/dist/svinit.cjs --container -c /tmp/c.conf`], {
      cwd: '/',
      env: { ...process.env, SVINIT_CONTAINER: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => /success: s entered RUNNING/.test(out) || proc.exitCode !== null, 'svinit to start the program');
      expect(out).not.toMatch(/EACCES/);
      expect(out).toMatch(/success: s entered RUNNING/);
      const sock = path.join(privateTmp, 'svinit.sock');
      expect(fs.statSync(sock).uid).toBe(65534);
      const { stdout } = await execFileP(process.execPath, [SVCTL, '-s', `unix://${sock}`, 'status']);
      expect(stdout).toMatch(/^s\s+RUNNING/);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
