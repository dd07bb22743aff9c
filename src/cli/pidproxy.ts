// `pidproxy <pidfile> <command> [args…]`: runs a daemon that forks into the background and keeps
// standing in for it, so supervisord's signals reach the real pid (supervisord's pidproxy.py).
//
// Beyond pidproxy.py: it waits a bounded time for the pidfile, ignores a stale one, relays
// TERM/INT/QUIT/HUP/USR1/USR2 and escalates to SIGKILL after a grace period, and exits when the
// daemon dies — with the daemon's own status: pidproxy makes itself a child subreaper, so a daemon
// that double-forks is re-parented to it and its wait status can be collected (without the native
// addon the daemon is only watched with kill(pid, 0) and the exit is 0).

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exitCodeOf, exitCodeOfSpawnError, EXIT_INTERNAL_ERROR, EXIT_OK } from '../init/exit-codes.js';
import { enableReaping, startReaper, type Reaper } from '../init/reaper.js';

const RELAYED: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];
const STOPPING: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT'];
const STOP_PIDFILE_WAIT_MS = 2000;

export const USAGE = 'pidproxy -- run command and proxy signals to it via its pidfile.\n\nUsage: pidproxy <pidfile> <command> [<cmdarg1> ...]\n';

export interface PidproxyOptions {
  /** How long to wait for the pidfile to name a live process (ms); env PIDPROXY_PIDFILE_TIMEOUT_MS. */
  pidfileTimeoutMs?: number;
  /** After relaying a stop signal, how long before SIGKILL (ms); env PIDPROXY_GRACE_MS. */
  graceMs?: number;
  pollMs?: number;
}

interface PidfileState {
  pid: number;
  mtimeMs: number;
}

function readPidfile(pidfile: string): PidfileState | null {
  try {
    const pid = Number(fs.readFileSync(pidfile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return null;
    return { pid, mtimeMs: fs.statSync(pidfile).mtimeMs };
  } catch {
    return null;
  }
}

/** Alive and not a zombie (a zombie still answers kill(pid, 0)). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v >= 0 ? v : fallback;
}

function send(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function main(argv: string[], opts: PidproxyOptions = {}): Promise<number> {
  if (argv.length < 2) {
    process.stdout.write(USAGE);
    return 1;
  }
  const [pidfile, command, ...args] = argv;
  const pidfileTimeout = opts.pidfileTimeoutMs ?? envMs('PIDPROXY_PIDFILE_TIMEOUT_MS', 60_000);
  const grace = opts.graceMs ?? envMs('PIDPROXY_GRACE_MS', 10_000);
  const poll = opts.pollMs ?? 50;

  // Exit statuses of processes re-parented to us (the daemon among them), kept until looked up.
  const reapedExits = new Map<number, number>();
  let reaper: Reaper | null = null;
  if (enableReaping() !== 'none') {
    reaper = startReaper({
      onReap(pid, exit) {
        reapedExits.set(pid, exitCodeOf(exit.code, exit.signal));
        if (reapedExits.size > 1000) reapedExits.delete(reapedExits.keys().next().value!);
      },
    });
  }

  // A pidfile left by an earlier run names a dead or unrelated pid: only a rewrite counts.
  const stale = readPidfile(pidfile);
  const daemonPid = (): number | null => {
    const now = readPidfile(pidfile);
    if (!now || (stale && now.pid === stale.pid && now.mtimeMs === stale.mtimeMs)) return null;
    return alive(now.pid) || reapedExits.has(now.pid) ? now.pid : null;
  };

  let child: ChildProcess | null = null;
  let childExit: number | null = null;
  let knownPid: number | null = null;
  // A stop signal that came before the daemon was known: relayed to it once it shows up.
  let pendingStop = null as { sig: NodeJS.Signals; at: number } | null;
  let killTimer: NodeJS.Timeout | null = null;
  let finished = false;
  const relay = (pid: number, sig: NodeJS.Signals) => {
    send(pid, sig);
    if (STOPPING.includes(sig) && !killTimer) {
      killTimer = setTimeout(() => alive(pid) && send(pid, 'SIGKILL'), grace);
      killTimer.unref();
    }
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (finished) return;
    const pid = knownPid ?? daemonPid();
    if (pid === null) {
      process.stdout.write(`Can't read child pidfile ${pidfile}!\n`);
      if (STOPPING.includes(sig)) pendingStop ??= { sig, at: Date.now() };
      // Not started yet: the launcher is all there is to stop.
      if (child?.pid && childExit === null) send(child.pid, sig);
      return;
    }
    knownPid = pid;
    relay(pid, sig);
  };
  // Installed before the spawn, so a signal can never find pidproxy without its handlers (the
  // default action would kill it and leave the daemon behind); they stay installed until the
  // process exits, for the same reason, and go quiet once main() is done.
  for (const s of RELAYED) process.on(s, onSignal);

  // supervisord's pidproxy runs abspath(command): no PATH search.
  const launcher = spawn(path.resolve(command), args, { stdio: 'inherit' });
  child = launcher;
  launcher.on('exit', (code, sig) => (childExit = exitCodeOf(code, sig)));
  launcher.on('error', (e: NodeJS.ErrnoException) => {
    process.stderr.write(`pidproxy: cannot run ${command}: ${e.message}\n`);
    childExit = exitCodeOfSpawnError(e.code);
  });

  try {
    // 1. Wait until the daemon has written its pidfile, the launcher failed, or time is up.
    const deadline = Date.now() + pidfileTimeout;
    while (knownPid === null && (knownPid = daemonPid()) === null) {
      if (childExit !== null && childExit !== 0) return childExit;
      // Asked to stop and the launcher is gone: a daemon it forked gets a moment to write its pidfile.
      if (pendingStop && childExit !== null && Date.now() - pendingStop.at > STOP_PIDFILE_WAIT_MS) return childExit;
      if (Date.now() > deadline) {
        process.stderr.write(`pidproxy: ${pidfile} did not name a running process within ${pidfileTimeout} ms\n`);
        if (launcher.pid && childExit === null) send(launcher.pid, 'SIGTERM');
        return EXIT_INTERNAL_ERROR;
      }
      await sleep(poll);
    }
    if (pendingStop) relay(knownPid, pendingStop.sig);
    const pid = knownPid;
    // 2. Watch it until it is gone, then report its status if it reached us.
    for (;;) {
      if (reapedExits.has(pid)) return reapedExits.get(pid)!;
      if (launcher.pid === pid && childExit !== null) return childExit;
      if (!alive(pid)) {
        reaper?.reap();
        if (reapedExits.has(pid)) return reapedExits.get(pid)!;
        // A direct child's 'exit' event may still be on its way.
        await sleep(poll);
        if (launcher.pid === pid && childExit !== null) return childExit;
        return reapedExits.get(pid) ?? EXIT_OK;
      }
      await sleep(poll);
    }
  } finally {
    finished = true;
    if (killTimer) clearTimeout(killTimer);
    reaper?.stop();
  }
}

// The standalone executable (src/cli/sea.ts) dispatches itself; bundles run the entry they are.
const invokedDirectly = process.env.SVINIT_SEA_BUILD !== '1' && /pidproxy(\.c?js|\.ts)?$/.test(process.argv[1] ?? '');
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`pidproxy: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
