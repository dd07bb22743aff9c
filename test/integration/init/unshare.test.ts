// The PID-1 scenarios on the host, without Docker: svinit as PID 1 of a new PID namespace
// (`unshare --pid --fork --mount-proc`), so a reaping or exit-code failure shows fast.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SVINIT, tmpDir, waitFor } from '../../helpers/daemon.js';

if (spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status !== 0) throw new Error('these tests need `unshare --pid` (root)');

/** Zombies whose parent is `pid`, read from the host's /proc. */
function zombieChildren(pid: number): number {
  let n = 0;
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[0] === 'Z' && Number(f[1]) === pid) n++;
    } catch {
      /* gone */
    }
  }
  return n;
}

describe('svinit as PID 1 under unshare', () => {
  it('reaps an orphan storm and exits 0 on SIGTERM', async () => {
    const dir = tmpDir();
    const conf = path.join(dir, 'supervisord.conf');
    fs.writeFileSync(
      conf,
      `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\nloglevel=debug\n${ownSocket(dir)}[program:storm]\ncommand=/bin/sh -c 'i=0; while [ $i -lt 500 ]; do (sleep 0.02 &);i=$((i+1)); done; echo done > ${dir}/made; exec sleep 1000'\nstartsecs=0\n`,
    );
    const outer = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, SVINIT, '-n', '-c', conf], { stdio: 'ignore', env: { ...process.env, SVINIT_CONTAINER: '1' } });
    // The svinit process seen from the host: the child of unshare.
    const svPid = await waitFor(() => {
      const kids = fs.readFileSync(`/proc/${outer.pid}/task/${outer.pid}/children`, 'utf8').trim();
      return kids ? Number(kids.split(' ')[0]) : null;
    }, 'svinit started');
    await waitFor(() => fs.existsSync(path.join(dir, 'made')), 'storm made', 60_000);
    await waitFor(() => zombieChildren(svPid) === 0 && (fs.readFileSync(path.join(dir, 'main.log'), 'utf8').match(/reaped unknown pid/g)?.length ?? 0) >= 500, 'all 500 orphans reaped', 30_000);
    process.kill(svPid, 'SIGTERM');
    const code = await new Promise<number | null>((r) => outer.on('exit', (c) => r(c)));
    expect(code).toBe(0);
  });

  it('single-command mode passes the program\'s exit code through', () => {
    for (const [cmd, code] of [
      ['exit 7', 7],
      ['kill -TERM $$', 143],
    ] as const) {
      const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, SVINIT, '--', '/bin/sh', '-c', cmd], { env: { ...process.env, SVINIT_CONTAINER: '1' } });
      expect(r.status, cmd).toBe(code);
    }
    const missing = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, SVINIT, '--', '/no/such/thing']);
    expect(missing.status).toBe(127);
  });
});

/**
 * A control socket of the test's own: container mode's default /run/svinit.sock is shared by every
 * test file running at the same time.
 */
function ownSocket(dir: string): string {
  return `[unix_http_server]\nfile=${dir}/sv.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
}

/** svinit as PID 1 of a new PID namespace on `body`; resolves once it logged its start. */
async function pid1(body: string) {
  const dir = tmpDir();
  const conf = path.join(dir, 'supervisord.conf');
  const log = path.join(dir, 'main.log');
  fs.writeFileSync(conf, `[supervisord]\nlogfile=${log}\npidfile=${dir}/sv.pid\nchildlogdir=${dir}\n${ownSocket(dir)}${body}`);
  const outer = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, SVINIT, '-n', '-c', conf], { stdio: 'ignore', env: { ...process.env, SVINIT_CONTAINER: '1' } });
  const exited = new Promise<number | null>((r) => outer.on('exit', (c) => r(c)));
  const svPid = await waitFor(() => {
    const kids = fs.readFileSync(`/proc/${outer.pid}/task/${outer.pid}/children`, 'utf8').trim();
    return kids ? Number(kids.split(' ')[0]) : null;
  }, 'svinit started');
  const text = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
  await waitFor(() => text().includes('supervisord started with pid 1'), 'svinit is PID 1');
  return { dir, svPid, text, exited };
}

describe('more PID-1 scenarios under unshare', () => {
  it('records every exit code of 100 short programs during an orphan storm', async () => {
    const codes = Array.from({ length: 100 }, (_, i) => (i * 53 + 7) % 256);
    let body = `[program:storm]\ncommand=/bin/sh -c 'i=0; while [ $i -lt 300 ]; do (sleep 0.02 &);i=$((i+1)); done; exec sleep 1000'\nstartsecs=0\n`;
    codes.forEach((c, i) => (body += `[program:p${i}]\ncommand=/bin/sh -c 'exit ${c}'\nstartsecs=0\nautorestart=false\n`));
    const sv = await pid1(body);
    await waitFor(() => (sv.text().match(/exited: p\d+ /g)?.length ?? 0) >= 100, '100 exits', 20_000);
    codes.forEach((c, i) => expect(sv.text(), `p${i}`).toMatch(new RegExp(`exited: p${i} \\(exit status ${c}; ${c === 0 ? 'expected' : 'not expected'}\\)`)));
    await waitFor(() => zombieChildren(sv.svPid) === 0, 'no zombies', 5_000);
    process.kill(sv.svPid, 'SIGTERM');
    expect(await sv.exited).toBe(0);
  });

  it('SIGTERM: a program ignoring it is SIGKILLed after stopwaitsecs, a setsid escapee is swept, exit 0', async () => {
    const marks = tmpDir('svinit-trap-');
    const sv = await pid1(`[program:stubborn]\ncommand=/bin/sh -c "trap '' TERM; touch ${marks}/trapped; while :; do sleep 0.1; done"\nstartsecs=0\nstopwaitsecs=1\n[program:escapee]\ncommand=/bin/sh -c 'setsid sleep 1003 & wait'\nstartsecs=0\n`);
    await waitFor(() => sv.text().includes('success: escapee entered RUNNING'), 'running');
    // A TERM before the shell has run `trap` would kill it: wait for the trap.
    await waitFor(() => fs.existsSync(`${marks}/trapped`), 'the TERM trap to be set');
    process.kill(sv.svPid, 'SIGTERM');
    expect(await sv.exited).toBe(0);
    expect(sv.text()).toMatch(/killing 'stubborn' \(\d+\) with SIGKILL/);
    // The escapee, and whatever the SIGKILLed loop left behind.
    expect(sv.text()).toMatch(/sending SIGTERM to \d+ adopted orphan\(s\)/);
  });
});
