#!/usr/bin/env node
// Side-by-side benchmarks: the same workloads against svinit and Debian's supervisord 4.2.5 in one
// run, alternating them, printing medians (min–max) and the ratio svinit/supervisord.
//
//   npm run build && node bench/run.mjs [--reps N] [--only name,name] [--json out.json]
//
// Latencies are measured by watching each daemon's activity log file, never by asking the daemon:
// a polling client would drive supervisord's loop and hide its one-second timeout.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerWorkloads } from './container.mjs';
import {
  bool,
  DAEMONS,
  launch,
  procStat,
  procStatus,
  programs,
  ROOT,
  rpcClient,
  startRunning,
  stop,
  stopAll,
  str,
  summary,
  tmpDir,
  waitLog,
  waitSocket,
  writeConfig,
} from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const REPS = Number(opt('reps', '3'));
const ONLY = opt('only', '')?.split(',').filter(Boolean) ?? [];
const JSON_OUT = opt('json', null);
const KINDS = ['svinit', 'supervisord'];
/** Plain, container mode and container mode as PID 1 (when unshare --pid works: root). */
const PID1 = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
const ALL = ['svinit', 'svinit-container', ...(PID1 ? ['svinit-pid1'] : []), 'supervisord'];

if (!fs.existsSync('/usr/bin/supervisord')) {
  console.error('bench: /usr/bin/supervisord is missing (apt-get install -y supervisor)');
  process.exit(1);
}
if (!fs.existsSync(path.join(ROOT, 'dist/svinit.cjs'))) {
  console.error('bench: run `npm run build` first');
  process.exit(1);
}

const results = [];
const f = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(4));
/**
 * Records one figure: samples per daemon kind; each svinit mode present gets its own line and
 * ratio against supervisord. `better` says which direction wins.
 */
function record(name, unit, samples, better = 'lower', target = '') {
  const sv = summary(samples.supervisord);
  for (const kind of Object.keys(samples).filter((k) => k !== 'supervisord' && samples[k].length)) {
    const s = summary(samples[kind]);
    const label = kind === 'svinit' ? name : `${name} [${kind.slice(7)}]`;
    const ratio = s.median / sv.median;
    results.push({ name: label, unit, better, target, svinit: s, supervisord: sv, ratio });
    console.log(
      `${label.padEnd(56)} svinit ${f(s.median)} (${f(s.min)}–${f(s.max)}) ${unit}`.padEnd(110) +
        `supervisord ${f(sv.median)} (${f(sv.min)}–${f(sv.max)})  ratio ${ratio.toFixed(3)}×  target ${target}`,
    );
  }
}

/** Runs `fn(kind)` REPS times for each kind, alternating the order. */
async function alternate(fn, kinds = KINDS) {
  const samples = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let r = 0; r < REPS; r++) {
    const order = r % 2 ? [...kinds].reverse() : kinds;
    for (const kind of order) samples[kind].push(await fn(kind));
  }
  return samples;
}

const workloads = {
  async startup() {
    for (const n of [1, 100, 500]) {
      const first = Object.fromEntries(ALL.map((k) => [k, []]));
      const samples = await alternate(async (kind) => {
        const dir = tmpDir();
        const conf = writeConfig(dir, programs(n, 'command=/bin/sleep 1000\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE'));
        const d = launch(kind, conf);
        const log = path.join(dir, 'main.log');
        const tFirst = await waitLog(log, /spawned: '/, 1);
        const tAll = await waitLog(log, /entered RUNNING state/, n, 600_000);
        first[kind].push(tFirst - d.t0);
        await stop(d);
        fs.rmSync(dir, { recursive: true, force: true });
        return tAll - d.t0;
      }, ALL);
      record(`start-up: all ${n} RUNNING (no polling)`, 'ms', samples, 'lower', '≤ 0.25×');
      if (n === 1) record('start-up: first program spawned', 'ms', first, 'lower', 'svinit ≤ 150 ms');
    }
  },

  async crash() {
    const samples = await alternate(async (kind) => {
      const dir = tmpDir();
      const conf = writeConfig(dir, programs(1, 'command=/bin/sleep 1000\nstartsecs=0\nautorestart=true\nstdout_logfile=NONE'));
      const d = launch(kind, conf);
      const log = path.join(dir, 'main.log');
      await waitLog(log, /entered RUNNING state/, 1);
      // Let the first run age past the respawn pacing window so this measures crash recovery alone.
      await new Promise((r) => setTimeout(r, 1500));
      const pid = Number(/spawned: 'p0' with pid (\d+)/.exec(fs.readFileSync(log, 'utf8'))[1]);
      const t0 = performance.now();
      process.kill(pid, 'SIGKILL');
      const t1 = await waitLog(log, /entered RUNNING state/, 2);
      await stop(d);
      return t1 - t0;
    });
    record('crash recovery: SIGKILL → RUNNING again', 'ms', samples, 'lower', '≤ 0.1×');
  },

  async stop() {
    const all = await alternate(async (kind) => {
      const { d, dir } = await startRunning(kind, 100);
      const c = rpcClient(path.join(dir, 'sv.sock'));
      const t0 = performance.now();
      await c.call('supervisor.stopAllProcesses', bool(true));
      const t = performance.now() - t0;
      c.close();
      await stop(d);
      return t;
    });
    record('stopAllProcesses, 100 programs', 'ms', all, 'lower', '≤ 0.5×');
    const term = await alternate(async (kind) => {
      const { d, dir } = await startRunning(kind, 100, { socket: false });
      const t0 = performance.now();
      d.child.kill('SIGTERM');
      await d.exited;
      return performance.now() - t0;
    });
    record('SIGTERM → daemon exited, 100 programs', 'ms', term, 'lower', '≤ 0.5×');
  },

  /**
   * Raw passthrough as `docker logs` sees it: a program whose stdout_logfile is /dev/stdout, the
   * daemon (svinit in container mode) writing into a pipe read by `cat > file`.
   */
  async passthrough() {
    const mib = 128;
    const writer = path.join(tmpDir(), 'writer.js');
    fs.writeFileSync(
      writer,
      `const b=Buffer.alloc(65536,'{"level":"info","msg":"request served","ms":12}\\n');let n=${mib}*16;function w(){while(n>0){n--;if(!process.stdout.write(b))return process.stdout.once('drain',w)}}w()`,
    );
    const samples = await alternate(async (kind) => {
      const dir = tmpDir();
      const conf = writeConfig(dir, `[program:w]\ncommand=${process.execPath} ${writer}\nstartsecs=0\nautorestart=false\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n`);
      const [cmd, cargs] = DAEMONS[kind](conf);
      // A real pipe (Node's own stdio pipes are socketpairs, which supervisord cannot open as /dev/stdout).
      const quoted = [cmd, ...cargs].map((a) => `'${a}'`).join(' ');
      const child = spawn('/bin/sh', ['-c', `${quoted} | cat > ${dir}/out`], { stdio: 'ignore', env: { ...process.env, SVINIT_CONTAINER: kind === 'svinit' ? '1' : '0' } });
      const tStart = await waitLog(path.join(dir, 'main.log'), /spawned: 'w'/, 1);
      const size = () => (fs.existsSync(`${dir}/out`) ? fs.statSync(`${dir}/out`).size : 0);
      while (size() < mib * 1024 * 1024) await new Promise((r) => setTimeout(r, 5));
      const t = performance.now() - tStart;
      spawnSync('pkill', ['-f', conf]);
      await new Promise((r) => child.on('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
      return mib / (t / 1000);
    });
    record(`/dev/stdout passthrough ${mib} MiB (container mode)`, 'MiB/s', samples, 'higher', '≥ 1×');
  },

  async rpc() {
    const measure = async (method, params, seconds = 3) =>
      alternate(async (kind) => {
        const { d, dir } = await startRunning(kind, 100);
        const c = rpcClient(path.join(dir, 'sv.sock'));
        let n = 0;
        const end = performance.now() + seconds * 1000;
        while (performance.now() < end) {
          await c.call(method, params);
          n++;
        }
        c.close();
        await stop(d);
        return n / seconds;
      });
    record('getAllProcessInfo, 100 programs', 'calls/s', await measure('supervisor.getAllProcessInfo', ''), 'higher', '≥ 10×');
    record('getProcessInfo', 'calls/s', await measure('supervisor.getProcessInfo', str('p50')), 'higher', '≥ 3×');
    const svctl = path.join(ROOT, 'dist/svctl.cjs');
    const status = await alternate(async (kind) => {
      const { d, dir } = await startRunning(kind, 100);
      const url = `unix://${dir}/sv.sock`;
      const times = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        // svctl against svinit, supervisorctl against supervisord: each tool with its own daemon.
        if (kind === 'svinit') spawnSync(process.execPath, [svctl, '-s', url, 'status']);
        else spawnSync('/usr/bin/supervisorctl', ['-s', url, 'status']);
        times.push(performance.now() - t0);
      }
      await stop(d);
      return summary(times).median;
    });
    record('`status` wall time (svctl vs supervisorctl)', 'ms', status, 'lower', '≤ 0.7×');
  },

  async memory() {
    for (const n of [1, 100]) {
      const hwm = Object.fromEntries(ALL.map((k) => [k, []]));
      const rss = await alternate(async (kind) => {
        const { d } = await startRunning(kind, n, { socket: false });
        await new Promise((r) => setTimeout(r, 1000));
        const s = procStatus(d.pid);
        hwm[kind].push(s.hwmKiB / 1024);
        await stop(d);
        return s.rssKiB / 1024;
      }, ALL);
      record(`RSS after start-up, ${n} program(s)`, 'MiB', rss, 'lower', 'svinit ≤ 45 MiB');
      record(`VmHWM, ${n} program(s)`, 'MiB', hwm, 'lower', '');
    }
  },

  async pacing() {
    const cpu = { svinit: [], supervisord: [] };
    const rate = await alternate(async (kind) => {
      const dir = tmpDir();
      const conf = writeConfig(dir, `[program:spin]\ncommand=/bin/true\nstartsecs=0\nautorestart=true\nstdout_logfile=NONE\n`);
      const d = launch(kind, conf);
      const log = path.join(dir, 'main.log');
      await waitLog(log, /spawned: 'spin'/, 1);
      const c0 = procStat(d.pid).cpu;
      const seconds = 5;
      const n0 = (fs.readFileSync(log, 'utf8').match(/spawned: 'spin'/g) ?? []).length;
      await new Promise((r) => setTimeout(r, seconds * 1000));
      const n1 = (fs.readFileSync(log, 'utf8').match(/spawned: 'spin'/g) ?? []).length;
      cpu[kind].push((procStat(d.pid).cpu - c0) / seconds);
      await stop(d);
      return (n1 - n0) / seconds;
    });
    record('restart pacing: spawns/s of a crash loop', '/s', rate, 'lower', '≈ 1/s');
    record('restart pacing: daemon CPU', 'cpu-s/s', cpu, 'lower', '');
  },

  async reaping() {
    // Both daemons run as PID 1 of a new PID namespace; a program leaves 10,000 orphans behind.
    if (spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status !== 0) {
      console.log('reaping: skipped (unshare --pid needs root)');
      return;
    }
    const samples = await alternate(async (kind) => {
      const dir = tmpDir();
      const orphans = path.join(dir, 'orphans.sh');
      fs.writeFileSync(orphans, `#!/bin/sh\ni=0\nwhile [ $i -lt 10000 ]; do (true &) ; i=$((i+1)); done\necho done > ${dir}/made\nexec sleep 1000\n`);
      fs.chmodSync(orphans, 0o755);
      const conf = writeConfig(dir, `[program:orphans]\ncommand=${orphans}\nstartsecs=0\nstdout_logfile=NONE\n`, { loglevel: 'warn' });
      const cmd = kind === 'svinit' ? `${process.execPath} ${path.join(ROOT, 'dist/svinit.cjs')}` : '/usr/bin/supervisord';
      const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', '/bin/sh', '-c', `${cmd} -n -c ${conf} & echo $! > ${dir}/pid; wait`], { stdio: 'ignore' });
      const t0 = performance.now();
      while (!fs.existsSync(`${dir}/made`)) await new Promise((r) => setTimeout(r, 5));
      // Zombies are visible from the host's /proc: count those whose parent is the daemon.
      const zombies = () => {
        let z = 0;
        for (const p of fs.readdirSync('/proc')) {
          if (!/^\d+$/.test(p)) continue;
          try {
            if (/\) Z /.test(fs.readFileSync(`/proc/${p}/stat`, 'utf8'))) z++;
          } catch {
            /* gone */
          }
        }
        return z;
      };
      while (zombies() > 0 && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
      const t = performance.now() - t0;
      spawnSync('pkill', ['-f', conf]);
      child.kill('SIGKILL');
      return t;
    });
    record('reap 10,000 orphans (as PID 1)', 'ms', samples, 'lower', '');
  },
};

/** Latency from an orphan's exit to its reaping, both daemons as PID 1 of a PID namespace. */
workloads.reaplatency = async () => {
  if (spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status !== 0) return;
  const samples = await alternate(async (kind) => {
    const dir = tmpDir();
    // The orphan records its pid, waits, then exits; we time exit → gone from the process table.
    const conf = writeConfig(dir, `[program:o]\ncommand=/bin/sh -c '(sh -c "echo \\$\\$ > ${dir}/opid; sleep 1; touch ${dir}/exiting" &);exec sleep 1000'\nstartsecs=0\nstdout_logfile=NONE\n`, { loglevel: 'warn' });
    const cmd = kind === 'svinit' ? `${process.execPath} ${path.join(ROOT, 'dist/svinit.cjs')}` : '/usr/bin/supervisord';
    const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', '/bin/sh', '-c', `${cmd} -n -c ${conf}`], { stdio: 'ignore' });
    while (!fs.existsSync(`${dir}/opid`)) await new Promise((r) => setTimeout(r, 5));
    // The orphan's pid as the host sees it: find the `sleep 1` whose parent is the daemon.
    let hostPid = null;
    while (!hostPid) {
      for (const p of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(p)) continue;
        try {
          if (fs.readFileSync(`/proc/${p}/cmdline`, 'utf8') === `sh\0-c\0echo $$ > ${dir}/opid; sleep 1; touch ${dir}/exiting\0`) hostPid = p;
        } catch {
          /* gone */
        }
      }
    }
    while (!fs.existsSync(`${dir}/exiting`)) await new Promise((r) => setImmediate(r));
    const t0 = performance.now();
    while (fs.existsSync(`/proc/${hostPid}`)) await new Promise((r) => setImmediate(r));
    const t = performance.now() - t0;
    spawnSync('pkill', ['-f', conf]);
    child.kill('SIGKILL');
    return t;
  });
  record('orphan exit → reaped (as PID 1)', 'ms', samples, 'lower', '');
};

Object.assign(workloads, containerWorkloads({ record, alternate, REPS, push: (r) => results.push(r) }));

const names = ONLY.length ? ONLY : Object.keys(workloads);
console.log(`svinit bench — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0].model}, node ${process.version}, supervisord ${execFileSync('/usr/bin/supervisord', ['-v']).toString().trim()}, reps ${REPS}`);
const machine = `${os.cpus().length} × ${os.cpus()[0].model}, load ${os.loadavg()[0].toFixed(1)} at start, node ${process.version}`;
for (const n of names) {
  try {
    await workloads[n]();
  } catch (e) {
    console.log(`${n}: FAILED ${e.stack ?? e}`);
    stopAll();
  }
  // Written after every workload: a long run cut short still leaves what it measured.
  if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify({ date: new Date().toISOString(), machine, reps: REPS, results }, null, 2));
}
