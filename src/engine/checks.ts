// One attempt of a readiness or liveness check: connect to a TCP port or a unix socket, GET an
// HTTP URL (2xx/3xx is success), or run a command (exit 0 is success). Every attempt ends within
// its timeout: sockets are destroyed and a hung command is SIGKILLed with its whole process group.

import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { CheckTarget } from '../config/depends.js';
import { describeCheckTarget } from '../config/depends.js';

export interface CheckOutcome {
  ok: boolean;
  /** Why it failed (or what succeeded), for the activity log and status text. */
  detail: string;
}

export interface CheckOptions {
  timeoutMs: number;
  /** For exec checks: the environment, working directory and user of the program. */
  env?: Record<string, string>;
  cwd?: string | null;
  uid?: number | null;
  gid?: number | null;
}

/** Runs one attempt of a check; never rejects. */
export function runCheck(target: CheckTarget, opts: CheckOptions): Promise<CheckOutcome> {
  switch (target.kind) {
    case 'tcp':
      return connectCheck({ host: target.host, port: target.port }, describeCheckTarget(target), opts.timeoutMs);
    case 'unix':
      return connectCheck({ path: target.path }, describeCheckTarget(target), opts.timeoutMs);
    case 'http':
      return httpCheck(target.url, opts.timeoutMs);
    case 'exec':
      return execCheck(target.command, opts);
  }
}

/** The first outcome wins; cleanup runs once; the timeout's outcome is used if nothing came first. */
function settleOnce(resolve: (o: CheckOutcome) => void, timeoutMs: number, timedOut: CheckOutcome, cleanup: () => void) {
  let done = false;
  const finish = (outcome: CheckOutcome) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    cleanup();
    resolve(outcome);
  };
  const timer = setTimeout(() => finish(timedOut), timeoutMs);
  return finish;
}

function connectCheck(where: net.NetConnectOpts, label: string, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect(where);
    const finish = settleOnce(resolve, timeoutMs, { ok: false, detail: `${label}: no connection within ${timeoutMs} ms` }, () => socket.destroy());
    socket.once('connect', () => finish({ ok: true, detail: `${label} accepted a connection` }));
    socket.once('error', (e: NodeJS.ErrnoException) => finish({ ok: false, detail: `${label}: ${e.code ?? e.message}` }));
  });
}

async function httpCheck(url: string, timeoutMs: number): Promise<CheckOutcome> {
  // TLS is loaded only when a check needs it: loading it costs every start-up ~15 ms.
  const get = url.startsWith('https:') ? (await import('node:https')).get : http.get;
  return new Promise((resolve) => {
    // A health endpoint is polled: no keep-alive socket may outlive the attempt.
    const req = get(url, { agent: false, headers: { 'user-agent': 'svinit-check', connection: 'close' } }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      finish({ ok: status >= 200 && status < 400, detail: `${url}: HTTP ${status}` });
    });
    const finish = settleOnce(resolve, timeoutMs, { ok: false, detail: `${url}: no answer within ${timeoutMs} ms` }, () => req.destroy());
    req.once('error', (e: NodeJS.ErrnoException) => finish({ ok: false, detail: `${url}: ${e.code ?? e.message}` }));
  });
}

/** Most of a failing command's output that goes into the detail. */
const EXEC_DETAIL_BYTES = 200;

function execCheck(command: string, opts: CheckOptions): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const label = `exec:${command}`;
    let child;
    try {
      child = spawn('/bin/sh', ['-c', command], {
        env: opts.env ?? process.env,
        cwd: opts.cwd ?? undefined,
        uid: opts.uid ?? undefined,
        gid: opts.gid ?? undefined,
        // Its own process group, so a timeout kills whatever the shell started too.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      resolve({ ok: false, detail: `${label}: ${(e as Error).message}` });
      return;
    }
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-EXEC_DETAIL_BYTES);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    }, opts.timeoutMs);
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: `${label}: ${e.code ?? e.message}` });
    });
    // 'exit', not 'close': a background grandchild may keep the pipes open long after.
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const said = output.trim() ? `: ${output.trim().split('\n').pop()}` : '';
      if (timedOut) resolve({ ok: false, detail: `${label}: killed after ${opts.timeoutMs} ms without an answer` });
      else if (code === 0) resolve({ ok: true, detail: `${label}: exit status 0` });
      else resolve({ ok: false, detail: `${label}: ${signal ? `terminated by ${signal}` : `exit status ${code}`}${said}` });
    });
  });
}
