// pidproxy (src/cli/pidproxy.ts) as a real process, bundled from the current sources, standing in
// for shell "daemons" that fork into the background and write a pidfile.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir, waitFor } from '../../helpers/daemon.js';
import { bundle } from './bundle.js';

let PIDPROXY: string;
let PIDPROXY_NO_ADDON: string;
beforeAll(async () => {
  PIDPROXY = await bundle('src/cli/pidproxy.ts', 'pidproxy');
  PIDPROXY_NO_ADDON = await bundle('src/cli/pidproxy.ts', 'pidproxy', { addon: false });
});
const dirs: string[] = [];
afterAll(() => {
  for (const d of [...dirs, ...[PIDPROXY, PIDPROXY_NO_ADDON].filter(Boolean).map((f) => path.dirname(f))]) fs.rmSync(d, { recursive: true, force: true });
});

interface Proxy {
  proc: ChildProcess;
  dir: string;
  pidfile: string;
  out(): string;
  exited: Promise<number | null>;
  daemonPid(): Promise<number>;
}

/** A launcher script that backgrounds `body` in a double fork (the daemon writes $$ to the pidfile) and exits 0. */
function forkingLauncher(dir: string, body: string): string {
  const daemon = path.join(dir, 'daemon.sh');
  fs.writeFileSync(daemon, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  const launcher = path.join(dir, 'launcher.sh');
  fs.writeFileSync(launcher, `#!/bin/sh\n(${daemon} &)\nexit 0\n`, { mode: 0o755 });
  return launcher;
}

function startProxy(args: (dir: string, pidfile: string) => string[], env: Record<string, string> = {}, file = PIDPROXY): Proxy {
  const dir = tmpDir('svinit-pidproxy-');
  dirs.push(dir);
  const pidfile = path.join(dir, 'd.pid');
  const proc = spawn(process.execPath, [file, ...args(dir, pidfile)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return {
    proc,
    dir,
    pidfile,
    out: () => out,
    exited,
    daemonPid: () => waitFor(() => Number(fs.readFileSync(pidfile, 'utf8').trim()) || null, 'the daemon wrote its pidfile'),
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const TRAPPING = (dir: string, onTerm: string) =>
  `trap '${onTerm}' TERM; trap 'echo usr1 >> ${dir}/got' USR1; trap 'echo hup >> ${dir}/got' HUP; echo $$ > ${dir}/d.pid.tmp; mv ${dir}/d.pid.tmp ${dir}/d.pid; while :; do sleep 0.05; done`;

describe('pidproxy', () => {
  it('prints the usage and exits 1 without arguments', async () => {
    const p = startProxy(() => []);
    expect(await p.exited).toBe(1);
    expect(p.out()).toContain('pidproxy -- run command and proxy signals to it via its pidfile.');
    expect(p.out()).toContain('Usage: pidproxy <pidfile> <command> [<cmdarg1> ...]');
  });

  it("relays HUP and USR1 to the forked daemon, TERM stops it, and exits with the daemon's own status", async () => {
    const p = startProxy((dir, pidfile) => [pidfile, forkingLauncher(dir, TRAPPING(dir, 'exit 5'))]);
    const pid = await p.daemonPid();
    expect(pid).not.toBe(p.proc.pid);
    // The daemon was re-parented to pidproxy (a child subreaper), not to our test runner.
    await waitFor(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(p.proc.pid), 'daemon adopted by pidproxy');
    p.proc.kill('SIGHUP');
    await waitFor(() => fs.existsSync(path.join(p.dir, 'got')) && fs.readFileSync(path.join(p.dir, 'got'), 'utf8').includes('hup'), 'HUP relayed');
    p.proc.kill('SIGUSR1');
    await waitFor(() => fs.readFileSync(path.join(p.dir, 'got'), 'utf8').includes('usr1'), 'USR1 relayed');
    expect(p.proc.exitCode).toBe(null);
    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(5);
    expect(alive(pid)).toBe(false);
  });

  it('a TERM the moment the pidfile appears reaches the daemon (handlers exist before the launcher runs)', async () => {
    for (let i = 0; i < 5; i++) {
      const p = startProxy((dir, pidfile) => [pidfile, forkingLauncher(dir, TRAPPING(dir, 'exit 5'))]);
      const pid = await waitFor(() => Number(fs.readFileSync(p.pidfile, 'utf8').trim()) || null, 'pidfile', 10_000, 2);
      p.proc.kill('SIGTERM');
      expect(await p.exited).toBe(5);
      expect(alive(pid)).toBe(false);
    }
  });

  it('a TERM before any pidfile exists is kept and relayed to the daemon once it writes one', async () => {
    const p = startProxy((dir, pidfile) => [pidfile, forkingLauncher(dir, `sleep 0.4; ${TRAPPING(dir, 'exit 5')}`)]);
    // The launcher has exited (it only forks); the daemon has not written its pidfile yet.
    await waitFor(() => fs.readdirSync('/proc').some((d) => /^\d+$/.test(d) && fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(`${p.dir}/daemon.sh`)), 'daemon forked');
    p.proc.kill('SIGTERM');
    await waitFor(() => p.out().includes("Can't read child pidfile"), 'pidproxy said it has no pid yet');
    expect(await p.exited).toBe(5);
    expect(alive(Number(fs.readFileSync(p.pidfile, 'utf8')))).toBe(false);
  });

  it('exits when the daemon dies on its own: its code, or 128+n for a signal', async () => {
    const a = startProxy((dir, pidfile) => [pidfile, forkingLauncher(dir, `echo $$ > ${dir}/d.pid; sleep 0.3; exit 7`)]);
    expect(await a.exited).toBe(7);
    const b = startProxy((dir, pidfile) => [pidfile, forkingLauncher(dir, `echo $$ > ${dir}/d.pid; exec sleep 1000`)]);
    process.kill(await b.daemonPid(), 'SIGKILL');
    expect(await b.exited).toBe(137);
  });

  it('escalates to SIGKILL when the daemon ignores TERM for the grace period', async () => {
    const p = startProxy((dir, pidfile) => [pidfile, forkingLauncher(dir, TRAPPING(dir, `echo ignored >> ${dir}/got`))], { PIDPROXY_GRACE_MS: '400' });
    const pid = await p.daemonPid();
    const t0 = Date.now();
    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(137);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    expect(fs.readFileSync(path.join(p.dir, 'got'), 'utf8')).toContain('ignored');
    expect(alive(pid)).toBe(false);
  });

  it('ignores a stale pidfile naming a live unrelated process until the daemon rewrites it', async () => {
    const bystander = spawn('sleep', ['1000'], { stdio: 'ignore' });
    try {
      const p = startProxy((dir, pidfile) => {
        fs.writeFileSync(pidfile, `${bystander.pid}\n`);
        fs.utimesSync(pidfile, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
        return [pidfile, forkingLauncher(dir, `sleep 0.5; ${TRAPPING(dir, 'exit 0')}`)];
      });
      await waitFor(() => Number(fs.readFileSync(p.pidfile, 'utf8')) !== bystander.pid, 'daemon rewrote the pidfile', 5000);
      p.proc.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(alive(bystander.pid!)).toBe(true);
    } finally {
      bystander.kill('SIGKILL');
    }
  });

  it('gives up after the pidfile timeout when no daemon appears', async () => {
    const p = startProxy((dir, pidfile) => [pidfile, forkingLauncher(dir, 'sleep 0.1')], { PIDPROXY_PIDFILE_TIMEOUT_MS: '300' });
    expect(await p.exited).toBe(1);
    expect(p.out()).toMatch(/did not name a running process within 300 ms/);
  });

  it("passes the launcher's failure through: its code, 127 when the command does not exist", async () => {
    const dir = tmpDir('svinit-pidproxy-');
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'fail.sh'), '#!/bin/sh\nexit 4\n', { mode: 0o755 });
    expect(await startProxy((_d, pidfile) => [pidfile, path.join(dir, 'fail.sh')]).exited).toBe(4);
    expect(await startProxy((_d, pidfile) => [pidfile, '/no/such/daemon']).exited).toBe(127);
  });

  it('a daemon that stays in the foreground and writes its own pidfile: its exit code', async () => {
    const dir = tmpDir('svinit-pidproxy-');
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'fg.sh'), `#!/bin/sh\necho $$ > ${dir}/fg.pid\nsleep 0.2\nexit 9\n`, { mode: 0o755 });
    expect(await startProxy(() => [path.join(dir, 'fg.pid'), path.join(dir, 'fg.sh')]).exited).toBe(9);
  });

  it("without the native addon it still relays TERM and exits 0 once the daemon is gone (pidproxy.py's status)", async () => {
    const p = startProxy((dir, pidfile) => [pidfile, forkingLauncher(dir, TRAPPING(dir, 'exit 5'))], {}, PIDPROXY_NO_ADDON);
    const pid = await p.daemonPid();
    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    await waitFor(() => !alive(pid), 'daemon gone');
  });
});
