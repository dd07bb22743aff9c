// What a program sees under svinit, checked with real programs and, where it matters, against
// Debian's real supervisord as the oracle: fds 0-2 are real pipes (reopenable through /dev/stdout,
// /dev/stderr and /proc/self/fd/N), redirect_stderr is one pipe on fds 1 and 2, nothing above fd 2
// reaches the program, and its process group, session, signals, umask, limits and environment.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, spawnOnConfig, startDaemon, SVINIT, tmpDir, waitFor, type Daemon } from '../../helpers/daemon.js';

const running: Daemon[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop('SIGKILL');
});
async function daemon(conf: (dir: string) => string, opts?: Parameters<typeof startDaemon>[1]): Promise<Daemon> {
  const d = await startDaemon(conf, opts);
  running.push(d);
  return d;
}

type Info = { name: string; statename: string; pid: number };

// Each way a program can write to its output, and the channel it lands on.
const WRITES: Array<[string, string, 'stdout' | 'stderr']> = [
  ['fd1', 'echo via-fd1', 'stdout'],
  ['fd2', 'echo via-fd2 >&2', 'stderr'],
  ['devstdout', 'echo via-devstdout > /dev/stdout', 'stdout'],
  ['devstderr', 'echo via-devstderr > /dev/stderr', 'stderr'],
  ['procfd1', 'echo via-procfd1 > /proc/self/fd/1', 'stdout'],
  ['procfd2', 'echo via-procfd2 > /proc/self/fd/2', 'stderr'],
];
const script = WRITES.map(([, cmd]) => cmd).join('; ');

describe('what a program sees', () => {
  it('every way of writing to stdout/stderr arrives once, in order, in the right log', async () => {
    const d = await daemon(
      (dir) => `
[program:split]
command=/bin/sh -c '${script}; sleep 1000'
startsecs=0
stdout_logfile=${dir}/split.out
stderr_logfile=${dir}/split.err
[program:merged]
command=/bin/sh -c '${script}; sleep 1000'
startsecs=0
redirect_stderr=true
stdout_logfile=${dir}/merged.out
`,
    );
    const read = (f: string) => (fs.existsSync(path.join(d.dir, f)) ? fs.readFileSync(path.join(d.dir, f), 'utf8') : '');
    await waitFor(() => read('merged.out').includes('via-procfd2') && read('split.err').includes('via-procfd2') && read('split.out').includes('via-procfd1'), 'all lines');
    const lines = (f: string) => read(f).split('\n').filter(Boolean);
    expect(lines('split.out')).toEqual(WRITES.filter((w) => w[2] === 'stdout').map((w) => `via-${w[0]}`));
    expect(lines('split.err')).toEqual(WRITES.filter((w) => w[2] === 'stderr').map((w) => `via-${w[0]}`));
    // One pipe on fds 1 and 2: the interleaving is exactly the program's.
    expect(lines('merged.out')).toEqual(WRITES.map((w) => `via-${w[0]}`));
    expect(d.output()).not.toMatch(/FATAL|BACKOFF/);
  });

  it('a program whose log is /dev/stdout reaches svinit stdout once, also when it opens /dev/stderr itself', async () => {
    const d = await daemon(
      () => `
[program:dev]
command=/bin/sh -c '${script}; sleep 1000'
startsecs=0
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
`,
    );
    await waitFor(() => d.output().includes('via-procfd2'), 'the last line on svinit stdout');
    for (const [name] of WRITES) expect(d.output().split('\n').filter((l) => l.endsWith(`via-${name}`))).toHaveLength(1);
  });

  it('in container mode nginx-style /dev/stderr writes are captured like fd 2', async () => {
    const d = await daemon(
      () => `
[program:web]
command=/bin/sh -c 'echo started > /dev/stderr; echo access > /dev/stdout; sleep 1000'
startsecs=0
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
stderr_logfile=/dev/stderr
stderr_logfile_maxbytes=0
`,
      { args: ['--container'], env: { SVINIT_CONTAINER: '1' } },
    );
    await waitFor(() => /started/.test(d.output()) && /access/.test(d.output()), 'both lines');
    const info = await d.rpc<Info>('supervisor.getProcessInfo', 'web');
    expect(info.statename).toBe('RUNNING');
  });

  it('a program gets exactly fds 0-2, all pipes, even when svinit inherited another descriptor', async () => {
    const dir = tmpDir();
    const conf = path.join(dir, 'supervisord.conf');
    fs.writeFileSync(
      conf,
      `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\n[unix_http_server]\nfile=${dir}/sv.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[program:p]\ncommand=/bin/sleep 1000\nstartsecs=0\n`,
    );
    // fd 3 and fd 4 are open in svinit without close-on-exec, as a careless parent shell leaves them.
    const extra = fs.openSync(path.join(dir, 'leak'), 'w');
    const proc = spawn(process.execPath, [SVINIT, '-n', '-c', conf], {
      cwd: dir,
      env: { ...process.env, SVINIT_CONTAINER: '0' },
      stdio: ['ignore', 'pipe', 'pipe', extra, 'pipe'],
    });
    fs.closeSync(extra);
    let out = '';
    proc.stdout!.on('data', (b) => (out += b));
    try {
      const pid = Number(await waitFor(() => /spawned: 'p' with pid (\d+)/.exec(out)?.[1], 'spawn'));
      const fds = fs.readdirSync(`/proc/${pid}/fd`).map(Number).sort((a, b) => a - b);
      expect(fds).toEqual([0, 1, 2]);
      for (const fd of fds) expect(fs.readlinkSync(`/proc/${pid}/fd/${fd}`)).toMatch(/^pipe:\[\d+\]$/);
    } finally {
      proc.kill('SIGKILL');
    }
  });

  it('process group, session, signals, umask, limits and environment are what supervisord gives a child', async () => {
    // ($$ is the shell's pid: neither daemon expands $ in a command.)
    const probe = `/bin/sh -c 'set -- $(cut -d" " -f5,6 /proc/$$/stat); echo "pgrp-is-pid=$( [ $1 = $$ ] && echo yes || echo no) sid=$2"; grep -E "^Sig(Blk|Ign)" /proc/self/status; echo umask=$(umask); echo nofile=$(ulimit -Sn); env | grep -E "^SUPERVISOR_" | sort; sleep 1000'`;
    const body = (dir: string) =>
      `[unix_http_server]\nfile=${dir}/sv.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[program:probe]\ncommand=${probe}\nstartsecs=0\nstdout_logfile=${dir}/probe.out\nredirect_stderr=true\numask=027\n`;
    const results: Record<string, string> = {};
    for (const kind of ['supervisord', 'svinit'] as const) {
      const dir = tmpDir();
      const { proc } = spawnOnConfig(kind, dir, body(dir));
      try {
        const text: string = await waitFor(() => {
          const t = fs.existsSync(`${dir}/probe.out`) ? fs.readFileSync(`${dir}/probe.out`, 'utf8') : '';
          return /SUPERVISOR_SERVER_URL/.test(t) ? t : null;
        }, `${kind}'s probe output`);
        // Both daemons are started from this test process, so both children share its session.
        results[kind] = text.replace(/sid=\d+/, `sid=${process.pid === 1 ? 1 : 'S'}`).replaceAll(dir, '<dir>');
        expect(text).toContain(`sid=${sessionOf(process.pid)}`);
      } finally {
        proc.kill('SIGTERM');
        await waitFor(() => proc.exitCode !== null || proc.signalCode !== null, `${kind} to exit`, 20_000);
      }
    }
    expect(results.svinit).toContain('pgrp-is-pid=yes');
    expect(results.svinit).toContain('SigIgn:\t0000000001001000');
    expect(results.svinit).toContain('umask=0027');
    expect(results.svinit).toEqual(results.supervisord);
  });

  it('survives a program that closes its stdout and keeps running, and one that never reads its stdin', async () => {
    const d = await daemon(
      () => `
[program:closer]
command=/bin/sh -c 'echo before; exec 1>&- 2>&-; sleep 1000'
startsecs=0
[program:deaf]
command=/bin/sleep 1000
startsecs=0
`,
    );
    await d.waitForLog(/success: deaf entered RUNNING/);
    await d.waitForLog(/success: closer entered RUNNING/);
    // 400 kB into a stdin nobody reads: the 64 KiB pipe fills and svinit must not block on it.
    for (let i = 0; i < 4; i++) await d.rpc('supervisor.sendProcessStdin', 'deaf', 'x'.repeat(100_000));
    const all = await d.rpc<Info[]>('supervisor.getAllProcessInfo');
    expect(all.map((i) => i.statename)).toEqual(['RUNNING', 'RUNNING']);
    const closer = all.find((i) => i.name === 'closer')!;
    expect(alive(closer.pid)).toBe(true);
    expect(await d.rpc('supervisor.stopProcess', 'closer')).toBe(true);
    expect(alive(closer.pid)).toBe(false);
  });
});

function sessionOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
}
