// The svctl-vs-supervisorctl comparison harness. A daemon under test is a parameter (a factory
// that starts one on a program set and returns its server URL), so the same comparisons run
// against the real supervisord here and against svinit later. Each comparison runs Debian's
// supervisorctl against one daemon and svctl (in-process, through main()) against a second,
// identical daemon, in lockstep, so state-changing commands see the same state.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { freePort, tmpDir, waitFor } from '../../helpers/daemon.js';
import { main } from '../../../src/cli/svctl.js';

export const SUPERVISORCTL = '/usr/bin/supervisorctl';
export const SUPERVISORD = '/usr/bin/supervisord';

export interface DaemonUnderTest {
  /** `unix:///...` or `http://host:port` */
  serverurl: string;
  username?: string;
  password?: string;
  /** Rewrites the program sections of the daemon's config (for reread/update/add/remove). */
  setPrograms(programs: string): void;
  /** Stops the daemon if it still runs. */
  kill(): Promise<void>;
  /** Resolves once the daemon process has exited. */
  exited(): Promise<void>;
}

export interface DaemonOptions {
  /** `[program:x]`/`[group:x]` sections. */
  programs: string;
  /** Serve on TCP with Basic auth (username admin, password secret) instead of a unix socket. */
  auth: boolean;
}

export type DaemonFactory = (opts: DaemonOptions) => Promise<DaemonUnderTest>;

export const AUTH = { username: 'admin', password: 'secret' };

/** The real supervisord 4.2.5 (the oracle) in the foreground on a temp config. */
export const supervisordFactory: DaemonFactory = async ({ programs, auth }) => {
  const dir = tmpDir('svctl-oracle-');
  const conf = path.join(dir, 'supervisord.conf');
  const sock = path.join(dir, 'sv.sock');
  const port = auth ? await freePort() : 0;
  const server = auth ? `[inet_http_server]\nport=127.0.0.1:${port}\nusername=${AUTH.username}\npassword=${AUTH.password}\n` : `[unix_http_server]\nfile=${sock}\n`;
  const head = `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\nchildlogdir=${dir}\n${server}[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
  const write = (p: string) => fs.writeFileSync(conf, `${head}${p}`);
  write(programs);
  const proc: ChildProcess = spawn(SUPERVISORD, ['-n', '-c', conf], { stdio: 'ignore', cwd: dir });
  const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const d: DaemonUnderTest = {
    serverurl: auth ? `http://127.0.0.1:${port}` : `unix://${sock}`,
    ...(auth ? AUTH : {}),
    setPrograms: write,
    exited: () => gone,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await gone;
    },
  };
  await waitFor(async () => (await runSupervisorctl(d, ['version'])).code === 0, 'supervisord to answer', 15_000, 50);
  return d;
};

export interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ClientOptions {
  /** Leave credentials out of the [supervisorctl] section. */
  noAuth?: boolean;
  /** Override credentials. */
  username?: string;
  password?: string;
  /** Server URL instead of the daemon's. */
  serverurl?: string;
  stdin?: string;
}

/** A [supervisorctl]-only config for the client, so neither client looks at /etc. */
function ctlConf(d: DaemonUnderTest | null, o: ClientOptions): string {
  const dir = tmpDir('svctl-client-');
  const lines = ['[supervisorctl]', `serverurl=${o.serverurl ?? d?.serverurl}`];
  const username = o.username ?? (o.noAuth ? undefined : d?.username);
  const password = o.password ?? (o.noAuth ? undefined : d?.password);
  if (username !== undefined) lines.push(`username=${username}`);
  if (password !== undefined) lines.push(`password=${password}`);
  const file = path.join(dir, 'ctl.conf');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export function runSupervisorctl(d: DaemonUnderTest | null, args: string[], o: ClientOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(SUPERVISORCTL, ['-c', ctlConf(d, o), ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ stdout, stderr, code });
    });
    child.stdin!.end(o.stdin ?? '');
  });
}

/** svctl through its exported main(), with in-memory streams. */
export async function runSvctl(d: DaemonUnderTest | null, args: string[], o: ClientOptions = {}): Promise<Run> {
  const io = memoryIO(o.stdin ?? '');
  const code = await main(['-c', ctlConf(d, o), ...args], io);
  return { stdout: io.out(), stderr: io.err(), code };
}

export function memoryIO(input: string | null) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  if (input !== null) stdin.end(input);
  return { stdout, stderr, stdin, isTTY: false, signals: new EventEmitter(), env: {}, cwd: '/', out: () => out, err: () => err };
}

/** Hides what differs between two daemons: pids, uptimes, stop times, temp dirs. */
export function mask(s: string): string {
  return s
    .replace(/pid \d+, uptime (\d+ days?, )?\d+:\d\d:\d\d/g, 'pid N, uptime T')
    .replace(/^\d+$/gm, 'N')
    .replace(/[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M/g, 'DATE')
    .replace(/\/tmp\/svctl-oracle-\w+/g, 'DIR')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
}

/** Lines in order, or sorted for commands whose result order depends on process timing. */
export function normalise(r: Run, unordered: boolean): string {
  const text = mask(r.stdout);
  const lines = unordered ? text.split('\n').sort().join('\n') : text;
  return `${lines}[exit ${r.code}]`;
}

/** Waits until every program of PROGRAMS has reached its steady state. */
export async function settled(d: DaemonUnderTest): Promise<void> {
  await waitFor(
    async () => {
      const s = (await runSvctl(d, ['status'])).stdout;
      return /bad +FATAL/.test(s) && /hello +RUNNING/.test(s) && /grp:b +RUNNING/.test(s) && /w:w_01 +RUNNING/.test(s);
    },
    'the daemon to settle',
    20_000,
    100,
  );
}

/** A running program, a FATAL one, a stopped one, numprocs=2 and a heterogeneous group. */
export const PROGRAMS = `
[program:hello]
command=/bin/sh -c "echo hello-out; echo hello-err >&2; exec sleep 1000"
startsecs=0
[program:bad]
command=/bin/false
startretries=0
[program:off]
command=/bin/sleep 100
autostart=false
[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=w_%(process_num)02d
startsecs=0
[program:a]
command=/bin/sleep 1000
startsecs=0
[program:b]
command=/bin/sleep 1000
startsecs=0
[group:grp]
programs=a,b
`;

/** PROGRAMS edited: hello removed, `off` changed, a new program `fresh` (reread/update). */
export const PROGRAMS_EDITED = PROGRAMS.replace(/\[program:hello\][^[]*/, '')
  .replace('command=/bin/sleep 100\nautostart=false', 'command=/bin/sleep 101\nautostart=false')
  .concat('[program:fresh]\ncommand=/bin/sleep 1000\nstartsecs=0\n');

export interface StreamOptions {
  /** Shown once the command is underway. */
  until: RegExp;
  /** Press Ctrl-C once `until` shows; otherwise the command must end by itself. */
  interrupt: boolean;
  /** Typed input (fg); null leaves stdin open. */
  stdin?: string | null;
  /**
   * Kill supervisorctl once `until` shows instead of waiting for it: after fg its log thread
   * sits in a 30-second select() before the process can exit. Its exit code is then -1.
   */
  killReal?: boolean;
}

/** Runs a streaming command (tail -f, fg) in both clients, one daemon each. */
export async function streamBoth(a: DaemonUnderTest, b: DaemonUnderTest, args: string[], o: StreamOptions): Promise<[Run, Run]> {
  const stdin = o.stdin ?? null;
  const real = spawn(SUPERVISORCTL, ['-c', ctlConf(a, {}), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let rOut = '';
  let rErr = '';
  real.stdout.on('data', (c: Buffer) => (rOut += c.toString()));
  real.stderr.on('data', (c: Buffer) => (rErr += c.toString()));
  const realExit = new Promise<number>((resolve) => real.once('exit', (code) => resolve(code ?? -1)));
  if (stdin !== null) real.stdin.end(stdin);
  await waitFor(() => o.until.test(rOut), `supervisorctl ${args.join(' ')} to show ${o.until}`, 15_000);
  if (o.interrupt) real.kill('SIGINT');
  if (o.killReal) real.kill('SIGKILL');
  const realCode = await realExit;

  const io = memoryIO(stdin);
  const running = main(['-c', ctlConf(b, {}), ...args], io);
  await waitFor(() => o.until.test(io.out()), `svctl ${args.join(' ')} to show ${o.until}`, 15_000);
  if (o.interrupt) io.signals.emit('SIGINT');
  const code = await running;
  return [
    { stdout: rOut, stderr: rErr, code: realCode },
    { stdout: io.out(), stderr: io.err(), code },
  ];
}
