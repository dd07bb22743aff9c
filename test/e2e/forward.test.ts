// `docker logs` under svinit is what it is under supervisord (issue 15): the same config, with
// programs logging to /dev/stdout, /dev/stderr and their aliases, runs with Debian's supervisord
// and with svinit as PID 1; each program's bytes in the container's stdout and stderr must be the
// same, and nothing but the activity log may be added. With forward_output=all every line of
// every program appears once, labelled, never split by another program's bytes.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/daemon.js';
import { expected, expectLabelled, expectRaw, programs, splitStdout, STEPS, stepDone, WRITER } from '../integration/logging/passthrough-case.js';
import { startSvinit, type SvContainer } from './helpers.js';

const CONF = '/etc/supervisord.conf';
const IN_WRITER = '/opt/fw/writer.py';

const config = (extra = '') => `[supervisord]
nodaemon=true
logfile=/dev/null
logfile_maxbytes=0
pidfile=/tmp/sd.pid
childlogdir=/tmp
${extra}
[unix_http_server]
file=/tmp/fw.sock
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix:///tmp/fw.sock
${programs(IN_WRITER, '/tmp', '/tmp')}`;

/** The container's stdout and stderr, apart, as bytes. */
function logs(id: string): Promise<{ out: Buffer; err: Buffer }> {
  return new Promise((resolve, reject) =>
    execFile('docker', ['logs', id], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (e, out, err) => (e ? reject(e) : resolve({ out, err }))),
  );
}

const containers: SvContainer[] = [];
afterAll(async () => {
  for (const c of containers) await c.remove();
});

/** Starts the init on the config, steps through the writers (started with the real supervisorctl), stops it. */
async function run(entrypoint: string[], extra = ''): Promise<{ out: Buffer; err: Buffer }> {
  const c = await startSvinit({
    image: 'svinit-base:debian',
    entrypoint,
    files: { [CONF]: config(extra), [IN_WRITER]: fs.readFileSync(WRITER, 'utf8') },
    waitFor: /supervisord started with pid 1/,
  });
  containers.push(c);
  for (const step of STEPS) {
    const r = await c.exec(['supervisorctl', '-c', CONF, 'start', step.kind === 'group' ? `${step.start}:*` : step.start]);
    expect(r.output).toMatch(/started/);
    await c.exec(['touch', `/tmp/${step.start}`]);
    await waitFor(async () => {
      const { out, err } = await logs(c.id);
      return stepDone(step.start, out, err);
    }, `${step.start}'s output in docker logs`, 60_000, 200);
  }
  const { exitCode } = await c.dockerStop(30);
  expect(exitCode).toBe(0);
  return logs(c.id);
}

describe('docker logs: svinit as PID 1 beside Debian\'s supervisord', () => {
  it('each program\'s bytes are supervisord\'s; nothing but the activity log is added', async () => {
    const want = expected();
    const ref = await run(['/usr/bin/supervisord', '-n', '-c', CONF]);
    const sv = await run(['node', '/opt/svinit/svinit.cjs']);
    expectRaw(ref, want, 'supervisord');
    expectRaw(sv, want);
    const svActivity = splitStdout(sv.out).activity.join('');
    expect(svActivity).not.toMatch(/FILED|AUTO-|NONE-|Illegal seek/);
    expect(svActivity).toMatch(/stopped: json/);
  }, 600_000);

  it('forward_output=all: every line of every program once, labelled, never split', async () => {
    const want = expected();
    const r = await run(['node', '/opt/svinit/svinit.cjs'], 'forward_output = all');
    expectLabelled(r, expected());
  }, 600_000);
});
