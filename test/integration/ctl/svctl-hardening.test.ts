// svctl against slow readers and silent servers: every byte reaches a slow pipe before svctl
// exits, `tail -f` into a blocked stdout keeps svctl's memory bounded, and a server that accepts
// and never answers is a clear message after --timeout.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, SVCTL, tmpDir, waitFor, type Daemon } from '../../helpers/daemon.js';
import { bytesWritten, fastWriterProgram, MiB, rssBytes } from '../http/fast-writer.js';

const execFileP = promisify(execFile);
let d: Daemon;

beforeAll(async () => {
  d = await startDaemon(
    (dir) => `
[program:big]
command=/bin/sh -c "head -c 2000000 /dev/zero | tr '\\\\0' x; exec sleep 1000"
startsecs=0
stdout_logfile=${dir}/big.log
${fastWriterProgram(dir)}[program:many]
command=/bin/sleep 1000
numprocs=2000
process_name=%(program_name)s_%(process_num)04d
autostart=false
`,
    { waitReady: false },
  );
  // 2002 programs take a while to set up on a loaded machine.
  await d.waitForLog(/success: big entered RUNNING/, 120_000);
  await waitFor(() => fs.existsSync(path.join(d.dir, 'big.log')) && fs.statSync(path.join(d.dir, 'big.log')).size === 2_000_000, 'big.log complete', 60_000);
}, 200_000);
afterAll(async () => {
  await d?.stop('SIGKILL');
});

const slowPipe = (cmd: string) => execFileP('bash', ['-c', `${cmd} | (sleep 1; wc -c)`], { maxBuffer: 10 * MiB, timeout: 60_000 });

describe('svctl and slow readers', () => {
  it('`tail -1000000 big | (sleep 1; wc -c)` counts every byte', async () => {
    const { stdout } = await slowPipe(`${process.execPath} ${SVCTL} -s ${d.url} tail -1000000 big`);
    expect(stdout.trim()).toBe('1000001');
  }, 90_000);

  it('`status` of 2002 programs into a slow pipe is not truncated', async () => {
    const { stdout } = await execFileP('bash', ['-c', `${process.execPath} ${SVCTL} -s ${d.url} status | (sleep 1; wc -l)`], { timeout: 60_000 });
    expect(stdout.trim()).toBe('2002');
  }, 90_000);

  it('`tail -f` into a stdout nobody reads keeps svctl under 150 MiB while 300 MB go by', async () => {
    const writer = (await d.rpc<{ pid: number }>('supervisor.getProcessInfo', 'fast')).pid;
    const written = () => bytesWritten(writer);
    const ctl = spawn(process.execPath, [SVCTL, '-s', d.url, 'tail', '-f', 'fast'], { stdio: ['ignore', 'pipe', 'ignore'] });
    ctl.stdout.pause();
    try {
      const mark = written();
      await waitFor(() => written() - mark > 300 * MiB, 'the writer to write 300 MB', 120_000, 100);
      const rss = rssBytes(ctl.pid!);
      expect(rss, `svctl RSS ${Math.round(rss / MiB)} MiB`).toBeLessThan(150 * MiB);
      expect(ctl.exitCode).toBeNull();
    } finally {
      ctl.kill('SIGKILL');
    }
  }, 200_000);
});

describe('a server that never answers', () => {
  it('is a clear message after --timeout, and exit status 1', async () => {
    const sock = path.join(tmpDir(), 'silent.sock');
    const held: net.Socket[] = [];
    const server = net.createServer((s) => held.push(s)).listen(sock);
    try {
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const r = await execFileP(process.execPath, [SVCTL, '-s', `unix://${sock}`, '--timeout=1', 'status'], { timeout: 30_000 }).catch((e: { code: number; stdout: string }) => e);
      expect(r).toMatchObject({ code: 1 });
      expect((r as { stdout: string }).stdout).toBe(`unix://${sock} did not answer within 1 seconds (svctl --timeout=SECONDS waits longer, 0 for ever)\n`);
      const help = await execFileP(process.execPath, [SVCTL, '-h']);
      expect(help.stdout).toContain('-t/--timeout SECONDS');
    } finally {
      for (const s of held) s.destroy();
      server.close();
    }
  }, 60_000);
});
