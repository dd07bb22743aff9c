// `pidproxy <pidfile> <command> [args…]`: runs a daemon that forks into the background and keeps
// standing in for it, so supervisord's signals reach the real pid (supervisord's pidproxy.py).
// svinit's version also waits a bounded time for the pidfile, exits with the daemon's status when
// it dies, escalates to SIGKILL after a grace period, and copes with a stale pidfile.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RELAYED: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];
const STOPPING: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT'];

export const USAGE = 'pidproxy -- run command and proxy signals to it via its pidfile.\n\nUsage: pidproxy <pidfile> <command> [<cmdarg1> ...]\n';

function readPid(pidfile: string): number | null {
  try {
    const pid = Number(fs.readFileSync(pidfile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

export interface PidproxyOptions {
  /** How long to wait for the pidfile to name a live process (ms). */
  pidfileTimeoutMs?: number;
  /** After relaying a stop signal, how long before SIGKILL (ms). */
  graceMs?: number;
  pollMs?: number;
}

export async function main(argv: string[], opts: PidproxyOptions = {}): Promise<number> {
  if (argv.length < 2) {
    process.stdout.write(USAGE);
    return 1;
  }
  const [pidfile, command, ...args] = argv;
  const pidfileTimeout = opts.pidfileTimeoutMs ?? Number(process.env.PIDPROXY_PIDFILE_TIMEOUT_MS ?? 60_000);
  const grace = opts.graceMs ?? Number(process.env.PIDPROXY_GRACE_MS ?? 10_000);
  const poll = opts.pollMs ?? 100;
  // A pidfile left by an earlier run names a dead (or unrelated) pid: ignore what was there before.
  const stale = readPid(pidfile);
  const startedAt = Date.now();

  const child = spawn(path.resolve(command), args, { stdio: 'inherit' });
  let childExit: number | null = null;
  child.on('exit', (code, sig) => (childExit = code ?? 128 + (sig ? ((os.constants.signals as Record<string, number>)[sig] ?? 0) : 0)));
  child.on('error', (e) => {
    process.stderr.write(`pidproxy: cannot run ${command}: ${e.message}\n`);
    childExit = 127;
  });

  const daemonPid = (): number | null => {
    const pid = readPid(pidfile);
    if (pid === null) return null;
    if (pid === stale && fs.statSync(pidfile).mtimeMs < startedAt) return null;
    return alive(pid) ? pid : null;
  };

  let stopRequested = false;
  const onSignal = (sig: NodeJS.Signals) => {
    const pid = daemonPid();
    if (pid === null) {
      process.stdout.write(`Can't read child pidfile ${pidfile}!\n`);
      if (child.pid && childExit === null) child.kill(sig);
      return;
    }
    process.kill(pid, sig);
    if (STOPPING.includes(sig) && !stopRequested) {
      stopRequested = true;
      setTimeout(() => {
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      }, grace).unref();
    }
  };
  for (const s of RELAYED) process.on(s, onSignal);

  // Wait until the daemon has written its pidfile (or the launcher failed).
  const deadline = Date.now() + pidfileTimeout;
  let pid: number | null = null;
  while (pid === null) {
    pid = daemonPid();
    if (pid !== null) break;
    if (childExit !== null && childExit !== 0) return childExit;
    if (Date.now() > deadline) {
      process.stderr.write(`pidproxy: ${pidfile} did not name a running process within ${pidfileTimeout} ms\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, poll));
  }
  // The daemon is not our child: watch it until it is gone. If it is our child, use its status.
  for (;;) {
    if (child.pid === pid && childExit !== null) return childExit;
    if (!alive(pid)) {
      // Give a just-exited direct child its exit event.
      await new Promise((r) => setTimeout(r, poll));
      return child.pid === pid && childExit !== null ? childExit : 0;
    }
    await new Promise((r) => setTimeout(r, poll));
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
