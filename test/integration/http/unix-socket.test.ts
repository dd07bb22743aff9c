// [unix_http_server] file= that cannot be used: each is one clear line in supervisord's words and
// exit status 2, never a stack trace, and nothing left behind at a wrong path.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SVINIT, tmpDir } from '../../helpers/daemon.js';

function runSvinit(dir: string, socket: string, asUser?: number): { status: number | null; stderr: string } {
  const conf = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(conf, `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\n[unix_http_server]\nfile=${socket}\n[program:x]\ncommand=/bin/sleep 1000\n`);
  const [cmd, args] = asUser === undefined ? [process.execPath, [SVINIT, '-n', '-c', conf]] : ['/usr/bin/setpriv', [`--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', process.execPath, SVINIT, '-n', '-c', conf]];
  const r = spawnSync(cmd, args as string[], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SVINIT_CONTAINER: '0' } });
  return { status: r.status, stderr: r.stderr };
}

describe('unix socket paths svinit cannot use', () => {
  it('a path over 107 bytes: "AF_UNIX path too long", and no socket at the truncated path', () => {
    const dir = tmpDir();
    const long = path.join(dir, 'd'.repeat(Math.max(1, 110 - dir.length)));
    fs.mkdirSync(long);
    const socket = path.join(long, 'supervisor.sock');
    expect(Buffer.byteLength(socket)).toBeGreaterThan(107);
    const r = runSvinit(dir, socket);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Error: Cannot open an HTTP server: socket.error reported AF_UNIX path too long');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(long)).toEqual([]);
    expect(fs.existsSync(socket.slice(0, 107))).toBe(false);
  });

  it('a missing directory is ENOENT, not EACCES', () => {
    const dir = tmpDir();
    const r = runSvinit(dir, path.join(dir, 'nosuchdir', 'sv.sock'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Error: Cannot open an HTTP server: socket.error reported errno.ENOENT (2)');
  });

  it("another user's stale socket in a sticky directory is a clear error for a non-root svinit", () => {
    const dir = tmpDir();
    fs.chmodSync(dir, 0o1777);
    const socket = path.join(dir, 'sv.sock');
    // A socket file nobody listens on (Python leaves it behind, Node would unlink it), owned by 1234.
    const made = spawnSync('/usr/bin/python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(socket)})`]);
    expect(made.status).toBe(0);
    fs.chownSync(socket, 1234, 1234);
    const r = runSvinit(dir, socket, 65534);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot remove the stale socket ${socket} (owned by uid 1234)`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.lstatSync(socket).uid).toBe(1234);
  });
});
