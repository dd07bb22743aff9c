// Shared pieces of the benchmark harness: starting either daemon on the same config, watching its
// activity log without talking to it (talking would drive supervisord's poll loop), /proc readings,
// and a keep-alive XML-RPC client over the unix socket used identically for both daemons.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** The bundle measured: dist/svinit.cjs, or another build (`SVINIT_BUNDLE=/tmp/before/svinit.cjs`, addon beside it). */
export const SVINIT = process.env.SVINIT_BUNDLE ?? path.join(ROOT, 'dist/svinit.cjs');
export const CLK_TCK = 100;

/**
 * Node flags svinit runs with (`SVINIT_NODE_FLAGS="--max-semi-space-size=1 …" node bench/run.mjs`):
 * by default none, `node dist/svinit.cjs` as the tests and the image run it; `image` gives
 * V8_FLAGS below, the flags proposed for the image's launcher (bench/MEMORY.md).
 */
export const V8_FLAGS = ['--max-semi-space-size=1', '--v8-pool-size=1', '--no-memory-reducer'];
const NODE_FLAGS = process.env.SVINIT_NODE_FLAGS === 'image' ? V8_FLAGS : (process.env.SVINIT_NODE_FLAGS ?? '').split(' ').filter(Boolean);

export const DAEMONS = {
  svinit: (conf) => [process.execPath, [...NODE_FLAGS, SVINIT, '-n', '-c', conf]],
  supervisord: (conf) => ['/usr/bin/supervisord', ['-n', '-c', conf]],
};

export function tmpDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-bench-'));
}

/** A config with `programs` text; the activity log goes to <dir>/main.log, the socket to <dir>/sv.sock. */
export function writeConfig(dir, programs, { loglevel = 'info' } = {}) {
  const conf = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(
    conf,
    `[supervisord]
logfile=${dir}/main.log
logfile_maxbytes=0
pidfile=${dir}/sv.pid
childlogdir=${dir}
loglevel=${loglevel}
silent=true

[unix_http_server]
file=${dir}/sv.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

${programs}
`,
  );
  return conf;
}

export function programs(n, body, name = 'p') {
  let s = '';
  for (let i = 0; i < n; i++) s += `[program:${name}${i}]\n${body}\n\n`;
  return s;
}

/**
 * The daemons a workload can run, by kind: `svinit` (SVINIT_CONTAINER=0), `svinit-container`
 * (SVINIT_CONTAINER=1: every program line is also copied to svinit's stdout, here /dev/null),
 * `svinit-pid1` (container mode as PID 1 of a new PID namespace, via `unshare`; needs root),
 * `svinit-forward` (container mode with forward_output=all: every line copied, labelled) and
 * `supervisord`.
 */
export const MODES = {
  svinit: {},
  'svinit-container': { container: true },
  'svinit-pid1': { container: true, pid1: true },
  /** Container mode copying every program's lines to svinit's stdout as `name | line`. */
  'svinit-forward': { container: true, args: ['--forward-output=all'] },
  supervisord: {},
};

const live = new Set();
/** Stops every daemon still running: a workload that failed half-way leaves none behind. */
export function stopAll() {
  for (const child of live) child.kill('SIGTERM');
}

/**
 * Starts a daemon of `kind` (see MODES); `t0` is taken just before exec. svinit can be given Node
 * flags (`nodeArgs`, before the bundle) and its own (`extraArgs`, after the config).
 */
export function launch(kind, conf, { nodeArgs = [], extraArgs = [] } = {}) {
  const { container = false, pid1 = false, args: modeArgs = [] } = MODES[kind];
  let [cmd, args] = DAEMONS[kind === 'supervisord' ? 'supervisord' : 'svinit'](conf);
  if (kind !== 'supervisord') args = [...nodeArgs, ...args, ...modeArgs, ...extraArgs];
  if (pid1) [cmd, args] = ['unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', cmd, ...args]];
  const t0 = performance.now();
  const env = { ...process.env, SVINIT_CONTAINER: container ? '1' : '0' };
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: path.dirname(conf), env });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig)));
  live.add(child);
  child.on('exit', () => live.delete(child));
  // Under unshare the daemon is unshare's child: /proc readings and signals go to the daemon itself.
  const d = { kind, child, t0, exited, stderr: () => err, pid: child.pid, pid1 };
  if (pid1) Object.defineProperty(d, 'pid', { get: () => daemonPid(child.pid) });
  return d;
}

/** The first child of `pid` (unshare --fork's child is the daemon); `pid` itself until it has one. */
function daemonPid(pid) {
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
    return kids.length ? Number(kids[0]) : pid;
  } catch {
    return pid;
  }
}

/**
 * Resolves at the moment `count` lines matching `re` are in the log file, by watching the file
 * (inotify) — the daemon is never contacted.
 */
export function waitLog(file, re, count = 1, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let watcher = null;
    let timer = null;
    let poll = null;
    const check = () => {
      let text = '';
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return false;
      }
      let n = 0;
      for (const line of text.split('\n')) if (re.test(line)) n++;
      if (n >= count) {
        const t = performance.now();
        watcher?.close();
        clearTimeout(timer);
        clearInterval(poll);
        resolve(t);
        return true;
      }
      return false;
    };
    if (check()) return;
    try {
      watcher = fs.watch(path.dirname(file), () => check());
    } catch {
      /* fall back to the poll below */
    }
    poll = setInterval(check, 5);
    timer = setTimeout(() => {
      watcher?.close();
      clearInterval(poll);
      reject(new Error(`timeout waiting for ${count}× ${re} in ${file}`));
    }, timeoutMs);
  });
}

export function procStat(pid) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { utime: Number(f[11]), stime: Number(f[12]), cpu: (Number(f[11]) + Number(f[12])) / CLK_TCK };
}

export function procStatus(pid) {
  const out = {};
  for (const line of fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const [k, v] = line.split(':');
    if (v) out[k] = v.trim();
  }
  return {
    rssKiB: parseInt(out.VmRSS, 10),
    hwmKiB: parseInt(out.VmHWM, 10),
    ctxt: Number(out.voluntary_ctxt_switches) + Number(out.nonvoluntary_ctxt_switches),
  };
}

/** Voluntary + involuntary context switches summed over every thread of `pid` (each is a wake-up). */
export function threadsCtxt(pid) {
  let n = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const s = fs.readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
      n += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(s)[1]) + Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(s)[1]);
    } catch {
      /* the thread ended */
    }
  }
  return n;
}

export async function stop(d, timeoutMs = 30_000) {
  if (d.child.exitCode === null) process.kill(d.pid, 'SIGTERM');
  const t = setTimeout(() => d.child.kill('SIGKILL'), timeoutMs);
  await d.exited;
  clearTimeout(t);
}

/** A keep-alive XML-RPC client over a unix socket (one connection, like supervisorctl's). */
export function rpcClient(socketPath) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    call(method, params = '') {
      const body = `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n${params}</params>\n</methodCall>\n`;
      return new Promise((resolve, reject) => {
        const req = http.request(
          { socketPath, agent, method: 'POST', path: '/RPC2', headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body), Host: 'localhost' } },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}`))));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

export const str = (s) => `<param><value><string>${s}</string></value></param>\n`;
export const bool = (b) => `<param><value><boolean>${b ? 1 : 0}</boolean></value></param>\n`;

export async function waitSocket(sock, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(sock)) {
      const c = rpcClient(sock);
      try {
        await c.call('supervisor.getAPIVersion');
        c.close();
        return;
      } catch {
        c.close();
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no RPC on ${sock}`);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summary(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * Starts `kind` on `n` sleeping programs and waits until all are RUNNING (by the log) and the
 * socket answers; resolves with the daemon, its dir and socket path.
 */
export async function startRunning(kind, n, { socket = true } = {}) {
  const dir = tmpDir();
  const conf = writeConfig(dir, programs(n, 'command=/bin/sleep 1000\nstartsecs=0\nstdout_logfile=NONE'));
  const d = launch(kind, conf);
  await waitLog(path.join(dir, 'main.log'), /entered RUNNING state/, n, 60_000);
  const sock = path.join(dir, 'sv.sock');
  if (socket) await waitSocket(sock);
  return { d, dir, sock };
}
