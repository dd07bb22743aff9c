// Run as a program (bundled by the tests), usually as PID 1: starts svinit's reaper, spawns
// CHILDREN children through child_process (spawn, exec, execFile) while shell loops make ORPHANS
// double-forked orphans, then prints one JSON line with what it saw and exits.
//   env REAPER=off      no reaper (the negative control: the orphans must stay zombies)
//   env MODE_ONLY=1     only report what enableReaping() decided
//   env CHILDREN, ORPHANS, DEADLINE_MS, SHELL_PATH (default /bin/sh)

import { exec, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { enableReaping, startReaper, type ReapedExit } from '../../../src/init/reaper.js';

const CHILDREN = Number(process.env.CHILDREN ?? 150);
const ORPHANS = Number(process.env.ORPHANS ?? 1000);
const SH = process.env.SHELL_PATH ?? '/bin/sh';
const reaperOn = process.env.REAPER !== 'off';

const started = Date.now();
const mode = reaperOn ? enableReaping() : 'off';
if (process.env.MODE_ONLY) {
  process.stdout.write(`${JSON.stringify({ mode })}\n`);
  process.exit(0);
}
const reapedKinds: Record<string, number> = {};
const reaper = reaperOn
  ? startReaper({
      onReap: (_pid: number, e: ReapedExit) => {
        const k = e.signal ?? `code ${e.code}`;
        reapedKinds[k] = (reapedKinds[k] ?? 0) + 1;
      },
    })
  : null;

/** Our zombie children, from /proc. */
function zombies(): number {
  let n = 0;
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[0] === 'Z' && Number(f[1]) === process.pid) n++;
    } catch {
      /* gone */
    }
  }
  return n;
}

const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
};

let exitEvents = 0;
let wrongCodes = 0;
let makersDone = 0;
const expectCode = (want: number) => (code: number | null) => {
  exitEvents++;
  if (code !== want) wrongCodes++;
};

// The orphan makers: each `( cmd & )` forks a subshell that forks cmd and exits at once, so cmd is
// re-parented to us. A few orphans end with a known code or signal, to check the decoding.
const MAKERS = 10;
const perMaker = Math.floor(ORPHANS / MAKERS);
const special = ORPHANS >= 100 ? 1 : 0;
for (let m = 0; m < MAKERS; m++) {
  const script =
    `i=0; while [ $i -lt ${perMaker - 2 * special} ]; do (sleep 0.0$((i % 5)) &); i=$((i+1)); done;` +
    (special ? ` (${SH} -c 'exit 3' &); (${SH} -c 'kill -KILL $$' &);` : '');
  spawn(SH, ['-c', script], { stdio: 'ignore' }).on('exit', (code) => {
    makersDone++;
    if (code !== 0) wrongCodes++;
  });
}

// The libuv-owned children, every kind of child_process call, each with its own exit code.
for (let i = 0; i < CHILDREN; i++) {
  const code = i % 7;
  const cmd = `sleep 0.0${i % 10}; exit ${code}`;
  if (i % 3 === 0) spawn(SH, ['-c', cmd], { stdio: 'ignore' }).on('exit', expectCode(code));
  else if (i % 3 === 1) exec(cmd, { shell: SH }).on('exit', expectCode(code));
  else execFile(SH, ['-c', cmd]).on('exit', expectCode(code));
}

// Long-lived orphans for adoptedPids(): listed while alive, gone once killed and reaped.
spawn(SH, ['-c', '(sleep 1000 &); (sleep 1000 &); (sleep 1000 &)'], { stdio: 'ignore' });

const deadline = Date.now() + Number(process.env.DEADLINE_MS ?? 60_000);
let longLived: number[] = [];
const tick = setInterval(() => {
  // Without a reaper every orphan ends as our zombie: wait for all of them to have exited.
  const orphansDone = reaperOn
    ? Object.values(reapedKinds).reduce((a, b) => a + b, 0) >= perMaker * MAKERS
    : makersDone === MAKERS && zombies() >= perMaker * MAKERS;
  if (reaper && longLived.length === 0) {
    const found = reaper.adoptedPids().filter((pid) => cmdline(pid) === 'sleep 1000');
    if (found.length >= 3) {
      longLived = found;
      for (const pid of found) process.kill(pid, 'SIGTERM');
    }
  }
  const adoptionDone = !reaper || (longLived.length >= 3 && !reaper.adoptedPids().some((pid) => longLived.includes(pid)));
  const settled = exitEvents === CHILDREN && makersDone === MAKERS && orphansDone && adoptionDone;
  if (!settled && Date.now() < deadline) return;
  clearInterval(tick);
  const result = {
    mode,
    pid: process.pid,
    exitEvents,
    wrongCodes,
    reaped: reaper?.stats().reaped ?? 0,
    reapedKinds,
    zombies: zombies(),
    adoptedSeen: longLived.length,
    ms: Date.now() - started,
    settled,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  reaper?.stop();
  process.exit(0);
}, 20);
