// Runs the built svinit (dist/svinit.cjs) as a real process for integration tests, with helpers to
// wait for activity-log lines and to call XML-RPC through supervisor's own Python client.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';

const execFileP = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SVINIT = path.join(ROOT, 'dist/svinit.cjs');
export const SVCTL = path.join(ROOT, 'dist/svctl.cjs');
const RPC_PY = path.join(ROOT, 'test/helpers/rpc.py');

/** Polls until fn returns a truthy value; throws with `what` after the timeout (generous: CI may be a loaded 2-core machine). */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 30_000, everyMs = 20): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function tmpDir(prefix = 'svinit-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Daemon {
  dir: string;
  conf: string;
  socket: string;
  url: string;
  proc: ChildProcess;
  output(): string;
  /** Resolves with the matching line of svinit's stdout (the activity log in the foreground). */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  logCount(re: RegExp): number;
  rpc<T = unknown>(method: string, ...params: unknown[]): Promise<T>;
  /** Sends a signal and resolves with svinit's exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Starts svinit in the foreground on a config whose text is built from the temp dir. The config
 * gets a unix_http_server at <dir>/sv.sock and the rpcinterface section unless it has its own.
 */
export async function startDaemon(confText: (dir: string) => string, opts: { args?: string[]; env?: NodeJS.ProcessEnv; waitReady?: boolean } = {}): Promise<Daemon> {
  const dir = tmpDir();
  const socket = path.join(dir, 'sv.sock');
  let text = confText(dir);
  if (!/\[unix_http_server\]/.test(text)) text += `\n[unix_http_server]\nfile=${socket}\n`;
  if (!/\[rpcinterface:supervisor\]/.test(text))
    text += `\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
  if (!/\[supervisord\]/.test(text)) text = `[supervisord]\nlogfile=${dir}/svinit.log\npidfile=${dir}/svinit.pid\nchildlogdir=${dir}\n${text}`;
  const conf = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(conf, text);
  const proc = spawn(process.execPath, [SVINIT, '-n', '-c', conf, ...(opts.args ?? [])], {
    cwd: dir,
    env: { ...process.env, SVINIT_CONTAINER: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))));
  const url = `unix://${socket}`;
  const d: Daemon = {
    dir,
    conf,
    socket,
    url,
    proc,
    exited,
    output: () => out,
    waitForLog: (re, timeoutMs = 30_000) => waitFor(() => out.split('\n').find((l) => re.test(l)), `log line ${re}\n--- output so far:\n${out}`, timeoutMs),
    logCount: (re) => out.split('\n').filter((l) => re.test(l)).length,
    async rpc<T>(method: string, ...params: unknown[]): Promise<T> {
      try {
        const { stdout } = await execFileP('/usr/bin/python3', [RPC_PY, url, method, ...params.map((p) => JSON.stringify(p))]);
        return JSON.parse(stdout) as T;
      } catch (e) {
        const err = e as { code?: number; stdout?: string };
        if (err.code === 3 && err.stdout) return JSON.parse(err.stdout) as T;
        throw e;
      }
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
  if (opts.waitReady !== false)
    await d.waitForLog(/supervisord started with pid/, 30_000).catch((e) => {
      // Not started in time: do not leave it running behind the failed test.
      proc.kill('SIGKILL');
      throw e;
    });
  return d;
}

/** Milliseconds since the epoch of an activity-log line (`YYYY-mm-dd HH:MM:SS,mmm`). */
export function logStamp(line: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3})/.exec(line);
  if (!m) throw new Error(`no timestamp in ${line}`);
  const [, y, mo, d, h, mi, s, ms] = m.map(Number);
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

/**
 * startDaemon for a test file: every daemon started through the returned function is SIGKILLed
 * after each test. Call it at the top level of the file.
 */
export function daemonsKilledAfterEach(afterEach: (fn: () => Promise<void>) => void): (conf: (dir: string) => string, opts?: Parameters<typeof startDaemon>[1]) => Promise<Daemon> {
  const running: Daemon[] = [];
  afterEach(async () => {
    for (const d of running.splice(0)) await d.stop('SIGKILL');
  });
  return async (conf, opts) => {
    const d = await startDaemon(conf, opts);
    running.push(d);
    return d;
  };
}

/** Is a pid alive (and not a zombie)? */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as import('node:net').AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * Writes `<dir>/supervisord.conf` (a [supervisord] section logging into the dir, then `body`) and
 * runs svinit or the real supervisord on it in the foreground.
 */
export function spawnOnConfig(kind: 'svinit' | 'supervisord', dir: string, body: string): { conf: string; proc: ChildProcess } {
  const conf = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(conf, `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\nchildlogdir=${dir}\n${body}`);
  const [cmd, args] = kind === 'svinit' ? [process.execPath, [SVINIT, '-n', '-c', conf]] : ['/usr/bin/supervisord', ['-n', '-c', conf]];
  const proc = spawn(cmd, args, { stdio: 'ignore', cwd: dir, env: { ...process.env, SVINIT_CONTAINER: '0' } });
  return { conf, proc };
}

/** startDaemon for one test file: every daemon it starts is SIGKILLed after its test. */
export function daemonPerTest(): typeof startDaemon {
  return daemonsKilledAfterEach(afterEach);
}

