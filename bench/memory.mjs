#!/usr/bin/env node
// Where svinit's memory goes: starts svinit in container mode on N sleeping programs (with a unix
// server, as the other workloads), waits until all are RUNNING and 3 s more, then reads
// /proc/PID/smaps and splits RSS by mapping; a preloaded probe records V8's heap spaces and
// process.memoryUsage() at that moment. supervisord runs the same config beside it.
//
//   npm run build && node bench/memory.mjs [--programs 100] [--flags "--v8-pool-size=1"] [--format json]

import fs from 'node:fs';
import path from 'node:path';
import { launch, procStatus, programs, stop, tmpDir, waitLog, writeConfig } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt('programs', '100'));
const FLAGS = opt('flags', '').split(' ').filter(Boolean);
const FORMAT = opt('format', 'text');

/** RSS of every mapping of `pid`, in KiB, grouped by what it is. */
export function smapsByKind(pid) {
  const text = fs.readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const groups = {};
  let kind = null;
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1];
      if (!name) kind = 'anonymous (V8 heap, thread stacks, arenas)';
      else if (name === '[heap]') kind = '[heap] (malloc)';
      else if (name === '[stack]') kind = '[stack]';
      else if (name.startsWith('[')) kind = name;
      else if (/\/node$|\/svinit-exe$|python3/.test(name)) kind = `executable ${path.basename(name)}`;
      else kind = `file ${path.basename(name)}`;
      continue;
    }
    const m = /^(Rss|Private_Dirty):\s+(\d+) kB/.exec(line);
    if (m && kind) {
      groups[kind] ??= { rss: 0, dirty: 0 };
      groups[kind][m[1] === 'Rss' ? 'rss' : 'dirty'] += Number(m[2]);
    }
  }
  return groups;
}

const PROBE = `const fs=require('fs'),v8=require('v8');const out=process.env.SVINIT_MEM_PROBE;
process.on('SIGURG',()=>{fs.writeFileSync(out,JSON.stringify({mem:process.memoryUsage(),spaces:v8.getHeapSpaceStatistics(),code:v8.getHeapCodeStatistics(),modules:process.moduleLoadList.filter(m=>m.startsWith('NativeModule ')).map(m=>m.slice(13))}))});`;

async function measure(kind) {
  const dir = tmpDir();
  const conf = writeConfig(dir, programs(N, 'command=/bin/sleep 1000\nstartsecs=0\nstdout_logfile=NONE'));
  let d;
  const probe = path.join(dir, 'probe.cjs');
  const probeOut = path.join(dir, 'probe.json');
  if (kind === 'svinit') {
    fs.writeFileSync(probe, PROBE);
    // The same launch as the other workloads, with the probe preloaded and the flags given.
    process.env.SVINIT_MEM_PROBE = probeOut;
    d = launch('svinit-container', conf, { nodeArgs: [...FLAGS, '--require', probe], extraArgs: FORMAT === 'json' ? ['--log-format', 'json'] : [] });
  } else d = launch('supervisord', conf);
  await waitLog(path.join(dir, 'main.log'), /entered RUNNING state/, N, 120_000);
  await new Promise((r) => setTimeout(r, 3000));
  const status = procStatus(d.pid);
  const groups = smapsByKind(d.pid);
  const threads = fs.readdirSync(`/proc/${d.pid}/task`).length;
  let probeData = null;
  if (kind === 'svinit') {
    process.kill(d.pid, 'SIGURG');
    for (let i = 0; i < 100 && !fs.existsSync(probeOut); i++) await new Promise((r) => setTimeout(r, 20));
    probeData = JSON.parse(fs.readFileSync(probeOut, 'utf8'));
  }
  await stop(d);
  fs.rmSync(dir, { recursive: true, force: true });
  return { status, groups, threads, probe: probeData };
}

const mib = (kib) => (kib / 1024).toFixed(1);
const sv = await measure('supervisord');
const me = await measure('svinit');
console.log(`svinit (container mode, ${N} programs, flags ${FLAGS.join(' ') || 'none'}, log format ${FORMAT}): RSS ${mib(me.status.rssKiB)} MiB, ${me.threads} threads; supervisord ${mib(sv.status.rssKiB)} MiB (ratio ${(me.status.rssKiB / sv.status.rssKiB).toFixed(3)}×)`);
console.log('| part | RSS MiB | private dirty MiB |\n|---|---|---|');
for (const [k, v] of Object.entries(me.groups).sort((a, b) => b[1].rss - a[1].rss)) if (v.rss >= 100) console.log(`| ${k} | ${mib(v.rss)} | ${mib(v.dirty)} |`);
const { mem, spaces, code } = me.probe;
console.log(`\nprocess.memoryUsage(): rss ${mib(mem.rss / 1024)}, heapTotal ${mib(mem.heapTotal / 1024)}, heapUsed ${mib(mem.heapUsed / 1024)}, external ${mib(mem.external / 1024)}, arrayBuffers ${mib(mem.arrayBuffers / 1024)} MiB`);
console.log('V8 heap spaces (committed / used MiB): ' + spaces.map((s) => `${s.space_name} ${mib(s.physical_space_size / 1024)}/${mib(s.space_used_size / 1024)}`).join(', '));
console.log(`code: bytecode+metadata ${mib(code.bytecode_and_metadata_size / 1024)} MiB, code+metadata ${mib(code.code_and_metadata_size / 1024)} MiB`);
console.log(`built-in modules loaded: ${me.probe.modules.length} (${me.probe.modules.filter((m) => /^(http|_http|net|worker_threads|tls|crypto|zlib|stream)/.test(m)).join(', ')})`);
