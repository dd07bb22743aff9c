// Real daemons in a real image (issue 9): nginx in front of php-fpm, Apache httpd, cron, sshd, redis
// and PostgreSQL, configured as their official images are (logging to /dev/stdout, /dev/stderr and
// /proc/self/fd/2), plus a shell entrypoint that writes to /dev/stderr, all under one
// supervisord.conf (images/real-daemons/). The same list of checks runs twice: with Debian's
// supervisord as PID 1 (the oracle) and with svinit as PID 1; whatever passes under supervisord must
// pass under svinit.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/daemon.js';
import { ROOT, startSvinit, type SvContainer } from './helpers.js';

const CONF = '/etc/supervisor/supervisord.conf';

/** One program of the image and how to see that it works. */
interface Daemon {
  program: string;
  /** A real request made inside the container, and what its output must show. */
  request?: { cmd: string[]; answer: RegExp };
  /** Lines the program writes that must reach `docker logs` (after the request, if any). */
  logs: RegExp[];
}

const sh = (script: string) => ['sh', '-c', script];

const DAEMONS: Daemon[] = [
  {
    program: 'php-fpm',
    // php-fpm is reached through nginx; the script's stderr line comes back through the master.
    request: { cmd: sh('curl -sS http://127.0.0.1:8080/index.php?from=php-fpm-check'), answer: /php-fpm says 42/ },
    // The pool's access line and the worker's stderr, both through the master's /proc/self/fd/2.
    logs: [/"GET \/index\.php" 200/, /php-worker-output: request served/],
  },
  {
    program: 'nginx',
    request: { cmd: sh('curl -sS http://127.0.0.1:8080/index.php?from=nginx-check'), answer: /php-fpm says 42/ },
    logs: [/"GET \/index\.php\?from=nginx-check HTTP\/1\.1" 200/],
  },
  {
    program: 'apache2',
    request: { cmd: sh('curl -sS http://127.0.0.1:8081/?from=apache-check'), answer: /apache2 says hello/ },
    logs: [/"GET \/\?from=apache-check HTTP\/1\.1" 200/],
  },
  {
    program: 'cron',
    request: { cmd: sh('pgrep -x cron'), answer: /^\d+\s*$/ },
    logs: [],
  },
  {
    program: 'sshd',
    request: {
      cmd: ['python3', '-c', "import socket; s = socket.create_connection(('127.0.0.1', 22), 10); print(s.recv(128).decode())"],
      answer: /^SSH-2\.0-OpenSSH/,
    },
    logs: [/Server listening on \S+ port 22/],
  },
  {
    program: 'redis',
    request: { cmd: ['redis-cli', '-h', '127.0.0.1', 'ping'], answer: /PONG/ },
    logs: [/Ready to accept connections/],
  },
  {
    program: 'postgres',
    request: { cmd: ['psql', '-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'select 6 * 7'], answer: /^42$/m },
    logs: [/database system is ready to accept connections/],
  },
  {
    program: 'entrypoint',
    logs: [/entrypoint: starting \(via \/dev\/stderr\)/, /entrypoint: ready \(via \/dev\/stdout\)/],
  },
];

/** The two PID 1s: the same image and config, each with its own control client. */
const INITS = [
  { name: "Debian's supervisord", entrypoint: ['/usr/bin/supervisord', '-n', '-c', CONF], ctl: ['supervisorctl', '-c', CONF] },
  { name: 'svinit', entrypoint: ['node', '/opt/svinit/svinit.cjs', '-c', CONF], ctl: ['svctl', '-c', CONF] },
];

/** Polls probe until it says ok; on timeout the error shows what the probe saw last. */
async function until(what: string, timeoutMs: number, probe: () => Promise<{ ok: boolean; seen: string }>): Promise<void> {
  let seen = '';
  try {
    await waitFor(
      async () => {
        const r = await probe();
        seen = r.seen;
        return r.ok;
      },
      what,
      timeoutMs,
      250,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- last seen:\n${seen}`);
  }
}

let image = '';
beforeAll(async () => {
  // Built once per recipe (the tag holds its hash); the first build takes minutes.
  const { stdout } = await promisify(execFile)('bash', [`${ROOT}/scripts/build-real-daemons-image.sh`], { maxBuffer: 16 * 1024 * 1024 });
  image = stdout.trim().split('\n').pop() ?? '';
}, 1_200_000);

describe.each(INITS)('real daemons under $name as PID 1', ({ entrypoint, ctl }) => {
  let c: SvContainer;
  beforeAll(async () => {
    c = await startSvinit({ image, entrypoint, waitFor: /supervisord started with pid 1/ });
  });
  afterAll(async () => {
    await c?.remove();
  });

  const status = async () => (await c.exec([...ctl, 'status'])).output;

  it.each(DAEMONS)('$program reaches RUNNING, answers, and its log lines reach docker logs', async ({ program, request, logs }) => {
    const running = new RegExp(`^${program}\\s+RUNNING\\s+pid \\d+`, 'm');
    await until(`${program} RUNNING`, 60_000, async () => {
      const seen = await status();
      return { ok: running.test(seen), seen };
    });
    if (request) {
      await until(`${program} to answer ${request.answer}`, 30_000, async () => {
        const seen = (await c.exec(request.cmd)).output;
        return { ok: request.answer.test(seen), seen };
      });
    }
    for (const line of logs) await c.waitForLog(line, 30_000);
    // Still RUNNING after serving: not a process that answered once and died.
    expect(await status()).toMatch(running);
  }, 120_000);

  it('docker stop ends every program and the init exits 0 within the grace period', async () => {
    const { exitCode } = await c.dockerStop(30);
    expect(exitCode).toBe(0); // not 137: nothing was left for Docker's SIGKILL
    const log = await c.logs();
    for (const { program } of DAEMONS) expect(log).toMatch(new RegExp(`stopped: ${program} \\(`));
  }, 120_000);
});
