// Wire compatibility, judged by the real thing: the same command sequence is run by Debian's
// supervisorctl and by svctl, against svinit and against the real supervisord 4.2.5. Outputs and
// exit codes must be identical (pids, uptimes and times masked).

import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnOnConfig, SVCTL, tmpDir, waitFor } from '../../helpers/daemon.js';
import { PROGRAMS } from './harness.js';

const run = promisify(execFile);
const SUPERVISORCTL = '/usr/bin/supervisorctl';
const SUPERVISORD = '/usr/bin/supervisord';

if (!fs.existsSync(SUPERVISORCTL) || !fs.existsSync(SUPERVISORD)) throw new Error('the real supervisor package is required (apt-get install -y supervisor)');


interface Server {
  kind: 'svinit' | 'supervisord';
  conf: string;
  proc: ChildProcess;
}

function startServer(kind: 'svinit' | 'supervisord', auth: boolean): Server {
  const dir = tmpDir('svinit-compat-');
  const sock = path.join(dir, 'sv.sock');
  const { conf, proc } = spawnOnConfig(
    kind,
    dir,
    `[unix_http_server]
file=${sock}
${auth ? 'username=admin\npassword={SHA}d033e22ae348aeb5660fc2140aec35850c4da997' : ''}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://${sock}
${auth ? 'username=admin\npassword=admin' : ''}
${PROGRAMS}`,
  );
  return { kind, conf, proc };
}

async function ctl(client: 'supervisorctl' | 'svctl', server: Server, command: string[]): Promise<string> {
  const [cmd, args] = client === 'supervisorctl' ? [SUPERVISORCTL, ['-c', server.conf, ...command]] : [process.execPath, [SVCTL, '-c', server.conf, ...command]];
  let out: string;
  let code = 0;
  try {
    const r = await run(cmd, args);
    out = r.stdout + r.stderr;
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    out = err.stdout + err.stderr;
    code = err.code;
  }
  return `${mask(out)}[exit ${code}]`;
}

function mask(s: string): string {
  return s
    .replace(/pid \d+, uptime \d+:\d\d:\d\d/g, 'pid N, uptime T')
    .replace(/^\d+$/gm, 'N')
    .replace(/[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M/g, 'DATE')
    .replace(/\/tmp\/svinit-compat-\w+/g, 'DIR');
}

async function settled(server: Server): Promise<void> {
  await waitFor(async () => {
    const s = await ctl('supervisorctl', server, ['status']);
    return /bad +FATAL/.test(s) && /hello +RUNNING/.test(s) && /grp:b +RUNNING/.test(s) && /w:w_01 +RUNNING/.test(s);
  }, `${server.kind} settled`, 15_000, 100);
}

/** Commands run in order; each leaves the daemon in the same state for both clients. */
const SEQUENCE: string[][] = [
  ['status'],
  ['status', 'hello'],
  ['status', 'nosuch', 'w:*'],
  ['status', 'x:'],
  ['status', 'grp:*'],
  ['pid', 'hello'],
  ['pid', 'off'],
  ['pid', 'nosuch'],
  ['tail', 'hello'],
  ['tail', '-3', 'hello', 'stderr'],
  ['tail', 'hello', 'foo'],
  ['tail', 'off'],
  ['tail', 'nosuch'],
  ['avail'],
  ['stop', 'hello'],
  ['stop', 'hello'],
  ['start', 'hello'],
  ['start', 'hello'],
  ['start', 'nosuch', 'nogroup:*'],
  ['start', 'bad'],
  ['stop', 'grp:*'],
  ['start', 'grp:*'],
  ['restart', 'w:*'],
  ['signal', 'HUP', 'off'],
  ['signal', 'FOO', 'hello'],
  ['signal', 'USR1'],
  ['signal', 'USR1', 'w:*'],
  ['clear', 'hello'],
  ['clear', 'nosuch'],
  ['version'],
  ['reread'],
  ['update'],
  ['add', 'nosuch'],
  ['remove', 'hello'],
  ['start'],
  ['stop'],
  ['restart'],
  ['help'],
  ['help', 'tail'],
  ['help', 'nothing'],
  ['bogus', 'command'],
  ['fg'],
  ['fg', 'off'],
  ['fg', 'a', 'b'],
  ['avail', 'x'],
];

describe.each([false, true])('supervisorctl and svctl agree (auth %s)', (auth) => {
  let servers: Server[] = [];
  beforeAll(async () => {
    servers = [startServer('svinit', auth), startServer('svinit', auth), startServer('supervisord', auth), startServer('supervisord', auth)];
    await Promise.all(servers.map(settled));
  }, 60_000);
  afterAll(() => {
    for (const s of servers) s.proc.kill('SIGKILL');
  });

  it('gives identical output and exit codes, on svinit and on supervisord', async () => {
    const [svA, svB, sdC, sdD] = servers;
    for (const command of SEQUENCE) {
      const [a, b, c, d] = await Promise.all([ctl('supervisorctl', svA, command), ctl('svctl', svB, command), ctl('supervisorctl', sdC, command), ctl('svctl', sdD, command)]);
      const label = command.join(' ');
      expect(b, `svctl vs supervisorctl on svinit: ${label}`).toBe(a);
      // supervisord reports the results of a group stop/start in the order its 1-second poll finds
      // the processes done, which varies between two runs of it; svinit's order is fixed. So only
      // comparisons that involve supervisord ignore the order of result lines.
      const unordered = (x: string) => x.split('\n').sort().join('\n');
      expect(unordered(d), `svctl vs supervisorctl on supervisord: ${label}`).toBe(unordered(c));
      expect(unordered(a), `svinit vs supervisord with supervisorctl: ${label}`).toBe(unordered(c));
    }
    // ~60 commands × 4 Python or Node client start-ups: minutes on a loaded 2-core machine.
  }, 480_000);

  it('maintail and shutdown behave alike', async () => {
    for (const s of servers) {
      const client = s === servers[1] || s === servers[3] ? 'svctl' : 'supervisorctl';
      expect(await ctl(client, s, ['maintail', '-100'])).toMatch(/\[exit 0\]$/);
      expect(await ctl(client, s, ['shutdown'])).toBe('Shut down\n[exit 0]');
    }
    for (const s of servers) await waitFor(() => s.proc.exitCode !== null, `${s.kind} exited`, 15_000);
    expect(servers.map((s) => s.proc.exitCode)).toEqual([0, 0, 0, 0]);
  }, 60_000);
});
