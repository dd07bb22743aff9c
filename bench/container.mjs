// The workloads of issue 13: container mode (every program line also copied to svinit's stdout
// as `name | line`) beside plain mode and supervisord 4.2.5 — capture at three line lengths with
// writers in two languages, wake-ups over every thread when idle after RPC traffic, RSS over
// time while 100 programs log, and spawn latency as the program count grows.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bool, launch, procStat, procStatus, programs, rpcClient, stop, str, summary, threadsCtxt, tmpDir, waitLog, waitSocket, writeConfig } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writers of `chunks` 64 KiB writes of `len`-byte lines, in Node and in Python (no C extension). */
function writers(dir) {
  const node = path.join(dir, 'writer.js');
  fs.writeFileSync(
    node,
    `const L=+process.argv[2];let n=+process.argv[3];const b=Buffer.alloc(Math.floor(65536/L)*L,'x');for(let i=L-1;i<b.length;i+=L)b[i]=10;` +
      `function w(){while(n>0){n--;if(!process.stdout.write(b))return process.stdout.once('drain',w)}}w()`,
  );
  const py = path.join(dir, 'writer.py');
  fs.writeFileSync(
    py,
    'import os, sys\nL, n = int(sys.argv[1]), int(sys.argv[2])\nb = (b"x" * (L - 1) + b"\\n") * (65536 // L)\n' +
      'for _ in range(n):\n    v = memoryview(b)\n    while v:\n        v = v[os.write(1, v):]\n',
  );
  return { node: `${process.execPath} ${node}`, python: `/usr/bin/python3 ${py}` };
}

export function containerWorkloads({ record, alternate, REPS, push }) {
  const three = ['svinit', 'svinit-container', 'svinit-forward', 'supervisord'];
  return {
    async capture() {
      const w = writers(tmpDir());
      for (const len of [2, 128, 4096]) {
        // 2-byte lines are 32,768 lines per write: a smaller volume keeps the run bounded.
        const mib = len === 2 ? 16 : 128;
        const chunks = mib * 16;
        const bytes = chunks * Math.floor(65536 / len) * len;
        for (const [lang, cmd] of Object.entries(w)) {
          const plain = [];
          for (let r = 0; r < REPS; r++) {
            const dir = tmpDir();
            const t0 = performance.now();
            spawnSync('/bin/sh', ['-c', `${cmd} ${len} ${chunks} | cat > ${dir}/out`]);
            plain.push(mib / ((performance.now() - t0) / 1000));
            fs.rmSync(dir, { recursive: true, force: true });
          }
          const cat = summary(plain).median;
          const cpu = Object.fromEntries(three.map((k) => [k, []]));
          const rate = await alternate(async (kind) => {
            const dir = tmpDir();
            const conf = writeConfig(dir, `[program:w]\ncommand=${cmd} ${len} ${chunks}\nstartsecs=0\nautorestart=false\nstdout_logfile=${dir}/w.log\nstdout_logfile_maxbytes=0\n`);
            const d = launch(kind, conf);
            const tStart = await waitLog(path.join(dir, 'main.log'), /spawned: 'w'/, 1);
            const c0 = procStat(d.pid).cpu;
            await waitLog(path.join(dir, 'main.log'), /exited: w /, 1, 300_000);
            // Done when the file holds every byte.
            while ((fs.statSync(`${dir}/w.log`, { throwIfNoEntry: false })?.size ?? 0) < bytes) await sleep(2);
            const t = performance.now() - tStart;
            cpu[kind].push((procStat(d.pid).cpu - c0) / (mib / 1024));
            await stop(d);
            fs.rmSync(dir, { recursive: true, force: true });
            return mib / (t / 1000);
          }, three);
          const name = `capture ${len}-byte lines, ${lang} writer`;
          record(name, 'MiB/s', rate, 'higher', `${len === 2 ? '≥ 40' : '≥ 90'} % of cat (container), ≥ 95 % (plain); cat ${cat.toFixed(0)} MiB/s`);
          record(`${name}: CPU`, 'cpu-s/GiB', cpu, 'lower', '≤ 1.5× (container), ≤ 1× (plain)');
          for (const kind of ['svinit', 'svinit-container', 'svinit-forward']) {
            const pct = (summary(rate[kind]).median / cat) * 100;
            console.log(`  ${kind} / (writer | cat > file) = ${pct.toFixed(1)} %`);
            push({ name: `${name} [${kind}] vs cat`, ratioToCat: pct / 100 });
          }
        }
      }
    },

    async idle() {
      // 50 programs, a unix and an inet server, 20 calls, then quiet: every thread's switches.
      const kinds = ['svinit', 'svinit-container', 'svinit-pid1', 'supervisord'];
      const wake = Object.fromEntries(kinds.map((k) => [k, []]));
      const cpu = Object.fromEntries(kinds.map((k) => [k, []]));
      for (let r = 0; r < REPS; r++) {
        // The daemons idle side by side: idling does not disturb each other.
        const runs = await Promise.all(
          kinds.map(async (kind, i) => {
            const dir = tmpDir();
            const port = 29_200 + r * 10 + i;
            const conf = writeConfig(dir, programs(50, 'command=/bin/sleep 1000\nstartsecs=0\nstdout_logfile=NONE') + `[inet_http_server]\nport=127.0.0.1:${port}\n`);
            const d = launch(kind, conf);
            await waitLog(path.join(dir, 'main.log'), /entered RUNNING state/, 50, 120_000);
            await waitSocket(path.join(dir, 'sv.sock'));
            const c = rpcClient(path.join(dir, 'sv.sock'));
            for (let k = 0; k < 20; k++) await c.call('supervisor.getAllProcessInfo');
            c.close();
            return { kind, d };
          }),
        );
        await sleep(10_000);
        const before = runs.map(({ d }) => [threadsCtxt(d.pid), procStat(d.pid).cpu]);
        const seconds = 30;
        await sleep(seconds * 1000);
        runs.forEach(({ kind, d }, i) => {
          wake[kind].push((threadsCtxt(d.pid) - before[i][0]) / seconds);
          cpu[kind].push(procStat(d.pid).cpu - before[i][1]);
        });
        await Promise.all(runs.map(({ d }) => stop(d)));
      }
      record('idle 30 s, 50 programs + servers, after RPC: wake-ups, all threads', '/s', wake, 'lower', 'svinit < 0.2/s');
      record('idle 30 s, 50 programs + servers, after RPC: CPU', 'cpu-s', cpu, 'lower', '≤ 1×');
    },

    async soak() {
      // 100 programs logging 128-byte lines at 64 KiB/s each (the 1 MiB/s each would
      // take this 2-core machine from the daemons); RSS sampled every 10 s for SOAK_SECONDS.
      const seconds = Number(process.env.SOAK_SECONDS ?? 120);
      const kinds = ['svinit-container', 'supervisord'];
      const dir0 = tmpDir();
      const py = path.join(dir0, 'paced.py');
      fs.writeFileSync(py, 'import os, time\nb = (b"x" * 127 + b"\\n") * 64\nwhile True:\n    for _ in range(8):\n        os.write(1, b)\n    time.sleep(0.125)\n');
      const start = Object.fromEntries(kinds.map((k) => [k, []]));
      const end = Object.fromEntries(kinds.map((k) => [k, []]));
      const peak = Object.fromEntries(kinds.map((k) => [k, []]));
      const runs = await Promise.all(
        kinds.map(async (kind) => {
          const dir = tmpDir();
          const conf = writeConfig(dir, programs(100, `command=/usr/bin/python3 ${py}\nstartsecs=0\nstdout_logfile=${dir}/%(program_name)s.log\nstdout_logfile_maxbytes=4MB\nstdout_logfile_backups=1`));
          const d = launch(kind, conf);
          await waitLog(path.join(dir, 'main.log'), /entered RUNNING state/, 100, 120_000);
          return { kind, d, samples: [procStatus(d.pid).rssKiB / 1024] };
        }),
      );
      for (let t = 0; t < seconds; t += 10) {
        await sleep(10_000);
        for (const run of runs) run.samples.push(procStatus(run.d.pid).rssKiB / 1024);
      }
      for (const { kind, d, samples } of runs) {
        start[kind].push(samples[0]);
        end[kind].push(samples.at(-1));
        peak[kind].push(Math.max(...samples));
        console.log(`  RSS every 10 s, ${kind}: ${samples.map((x) => x.toFixed(1)).join(' ')} MiB`);
        await stop(d);
      }
      record(`soak: RSS after start-up, 100 programs logging`, 'MiB', start, 'lower', 'svinit ≤ 45 MiB');
      record(`soak: RSS after ${seconds} s of 100 programs logging`, 'MiB', end, 'lower', 'svinit ≤ 45 MiB, no growth');
      record(`soak: peak RSS over ${seconds} s`, 'MiB', peak, 'lower', '');
    },

    async spawnlatency() {
      // startProcess(x, wait) for one more program while n others run: the spawn cost as the
      // daemon grows (svinit's native spawner uses vfork semantics: no page-table copy).
      for (const n of [1, 100, 500, 2000]) {
        const samples = await alternate(async (kind) => {
          const dir = tmpDir();
          const conf = writeConfig(dir, programs(n, 'command=/bin/sleep 1000\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE') + '[program:x]\ncommand=/bin/sleep 1000\nstartsecs=0\nautostart=false\nstdout_logfile=NONE\n');
          const d = launch(kind, conf);
          await waitLog(path.join(dir, 'main.log'), /entered RUNNING state/, n, 300_000);
          await waitSocket(path.join(dir, 'sv.sock'), 60_000);
          const c = rpcClient(path.join(dir, 'sv.sock'));
          const times = [];
          for (let i = 0; i < 5; i++) {
            const t0 = performance.now();
            await c.call('supervisor.startProcess', str('x') + bool(true));
            times.push(performance.now() - t0);
            await c.call('supervisor.stopProcess', str('x') + bool(true));
          }
          c.close();
          await stop(d, 120_000);
          fs.rmSync(dir, { recursive: true, force: true });
          return summary(times).median;
        }, ['svinit', 'supervisord']);
        record(`spawn latency: startProcess(wait) with ${n} running`, 'ms', samples, 'lower', 'flat in n');
      }
    },
  };
}
