// What reaches the init's own stdout/stderr (a container's `docker logs`): by default exactly what
// supervisord 4.2.5 puts there — the activity log and, byte for byte, the channels whose log is
// /dev/stdout or /dev/stderr — and with forward_output, labelled whole-line copies of the rest.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, startDaemon, SVINIT, tmpDir, waitFor, type Daemon } from '../../helpers/daemon.js';
import { expected, expectLabelled, expectRaw, programs, STEPS, stepDone, WRITER } from './passthrough-case.js';

const execFileP = promisify(execFile);
const RPC_PY = path.join(ROOT, 'test/helpers/rpc.py');

/** Runs one init on the shared config, steps through the writers, stops it; its stdout and stderr. */
async function runInit(kind: 'svinit' | 'supervisord', supervisord = ''): Promise<{ out: Buffer; err: Buffer; code: number | null }> {
  const dir = tmpDir(`svinit-pass-${kind}-`);
  const socket = path.join(dir, 'sv.sock');
  const conf = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(
    conf,
    `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\nchildlogdir=${dir}\n${supervisord}\n` +
      `[unix_http_server]\nfile=${socket}\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n` +
      programs(WRITER, dir),
  );
  const [cmd, args] = kind === 'svinit' ? [process.execPath, [SVINIT, '-n', '-c', conf]] : ['/usr/bin/supervisord', ['-n', '-c', conf]];
  // Files, not Node's pipes: those are socketpairs, which supervisord cannot open as /dev/stdout (ENXIO).
  const outFile = path.join(dir, 'init.out');
  const errFile = path.join(dir, 'init.err');
  const [outFd, errFd] = [fs.openSync(outFile, 'a'), fs.openSync(errFile, 'a')];
  const proc = spawn(cmd, args as string[], { cwd: dir, stdio: ['ignore', outFd, errFd], env: { ...process.env, SVINIT_CONTAINER: '0' } });
  fs.closeSync(outFd);
  fs.closeSync(errFd);
  const exited = new Promise<number | null>((r) => proc.on('exit', (c) => r(c)));
  const out = () => fs.readFileSync(outFile);
  const err = () => fs.readFileSync(errFile);
  const rpc = (method: string, ...params: unknown[]) =>
    execFileP('/usr/bin/python3', [RPC_PY, `unix://${socket}`, method, ...params.map((p) => JSON.stringify(p))]).catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`${method} ${params.join(' ')} on ${kind}: ${e.stdout ?? ''}${e.stderr ?? ''}`);
    });
  try {
    await waitFor(() => fs.existsSync(socket) && /RUNNING/.test(fs.readFileSync(`${dir}/main.log`, 'utf8')), `${kind} up`, 30_000, 50);
    await waitFor(() => rpc('supervisor.getState').then(() => true), `${kind} answers`, 30_000, 100);
    for (const step of STEPS) {
      await rpc(step.kind === 'group' ? 'supervisor.startProcessGroup' : 'supervisor.startProcess', step.start);
      fs.writeFileSync(path.join(dir, step.start), '');
      await waitFor(() => stepDone(step.start, out(), err()), `${step.start}'s output on ${kind}'s stdout/stderr`, 60_000, 50);
    }
  } finally {
    proc.kill('SIGTERM');
  }
  const code = await exited;
  return { out: out(), err: err(), code };
}

describe('default: supervisord\'s output, byte for byte', () => {
  it('/dev/stdout, /dev/stderr and their aliases pass through as under supervisord; file, AUTO and NONE logs stay out', async () => {
    const want = expected();
    const ref = await runInit('supervisord');
    const sv = await runInit('svinit');
    expectRaw(ref, want, 'supervisord');
    expectRaw(sv, want);
  }, 240_000);
});

describe('forward_output and prefix_output', () => {
  let d: Daemon | undefined;
  afterEach(async () => {
    await d?.stop();
    d = undefined;
  });
  const conf = (sd: string) => (dir: string) => `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\nchildlogdir=${dir}\n${sd}\n${programs(WRITER, dir).replace(/autostart=false/g, 'autostart=true')}`;
  const count = (text: string, s: string) => text.split(s).length - 1;

  it('auto: programs without a log file are copied, labelled; a /dev/stdout log stays raw; a file log stays in its file', async () => {
    d = await startDaemon(conf('forward_output = auto'));
    fs.writeFileSync(path.join(d.dir, 'json'), '');
    await d.waitForLog(/^auto \| AUTO-OUT$/);
    await d.waitForLog(/^none \| NONE-ERR$/);
    await d.waitForLog(/^\{"seq": 1999, /);
    const out = d.output();
    expect(count(out, 'auto | AUTO-OUT\n')).toBe(1);
    expect(count(out, 'none | NONE-OUT\n')).toBe(1);
    expect(out).not.toMatch(/FILED/);
    expect(out).not.toMatch(/json \| /);
    expect(fs.readFileSync(path.join(d.dir, 'filed.log'), 'utf8')).toBe('FILED-OUT\n');
  }, 120_000);

  it('all: every line of every program appears once, labelled, never split by another program', async () => {
    const r = await runInit('svinit', 'forward_output = all');
    expectLabelled(r, expected());
  }, 240_000);

  it('prefix_output=false with --log-format json: each stdout line is one JSON object', async () => {
    d = await startDaemon(conf('forward_output = all\nprefix_output = false'), { args: ['--log-format', 'json'] });
    fs.writeFileSync(path.join(d.dir, 'pair'), '');
    await d.waitForLog(/"line":"B 02999 /, 60_000);
    await d.waitForLog(/"line":"A 02999 /, 60_000);
    const out = d.output();
    const objs = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { process?: string; line?: string });
    expect(objs.filter((o) => o.process === 'a').map((o) => `${o.line}\n`).join('')).toBe(expected().a.toString());
  }, 120_000);

  it('--prefix-output alone still labels every program; --forward-output picks the mode', async () => {
    d = await startDaemon(conf(''), { args: ['--prefix-output'] });
    await d.waitForLog(/^filed \| FILED-ERR$/);
    await d.stop();
    d = await startDaemon(conf(''), { args: ['--forward-output', 'auto', '--no-prefix-output'] });
    await d.waitForLog(/^AUTO-OUT$/);
    expect(d.output()).not.toMatch(/FILED/);
  }, 120_000);

  it('maxbytes and backups on /dev/stdout are ignored: no "Illegal seek", every byte passes', async () => {
    d = await startDaemon((dir) => conf('')(dir).replace('[program:json]', '[program:json]\nstdout_logfile_backups=3').replace(/stdout_logfile_maxbytes=0\n/, 'stdout_logfile_maxbytes=1KB\n'));
    fs.writeFileSync(path.join(d.dir, 'json'), '');
    await d.waitForLog(/^\{"seq": 1999, /);
    const out = d.output();
    expect(out).not.toMatch(/Illegal seek|ESPIPE/);
    expect(out.split('\n').filter((l) => l.startsWith('{"seq"')).map((l) => `${l}\n`).join('')).toBe(expected().json.toString());
  }, 120_000);

  it('bad values are config errors with file and line; a bad --forward-output is a usage error', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 's.conf');
    fs.writeFileSync(file, `[supervisord]\nlogfile=${dir}/m.log\nforward_output = sometimes\n[program:x]\ncommand=/bin/true\n`);
    const env = { ...process.env, SVINIT_CONTAINER: '0' };
    type Failed = { code?: number; stderr: string };
    const bad = await execFileP(process.execPath, [SVINIT, '-n', '-c', file], { env }).then((r): Failed => r, (e: Failed) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/forward_output/);
    expect(bad.stderr).toContain(`${file}:3`);
    fs.writeFileSync(file, `[supervisord]\nlogfile=${dir}/m.log\n\nprefix_output = perhaps\n`);
    const bad2 = await execFileP(process.execPath, [SVINIT, '-n', '-c', file], { env }).then((r): Failed => r, (e: Failed) => e);
    expect(bad2.code).toBe(2);
    expect(bad2.stderr).toContain(`${file}:4`);
    const usage = await execFileP(process.execPath, [SVINIT, '-n', '-c', file, '--forward-output', 'most'], { env }).then((r): Failed => r, (e: Failed) => e);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/forward_output value "most"/);
  }, 60_000);
});
