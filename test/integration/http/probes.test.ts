// The real svinit on the host: /readyz and /healthz through start-up, churn and shutdown, a
// liveness restart, shutdown_timeout, env files, and the probe port's refusals.

import fs from 'node:fs';
import path from 'node:path';
import parsePrometheus from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonsKilledAfterEach, freePort, logStamp, SVINIT, tmpDir, waitFor } from '../../helpers/daemon.js';
import { spawnSync } from 'node:child_process';

const daemon = daemonsKilledAfterEach(afterEach);

const supervisordSection = (dir: string, extra = '') => `[supervisord]\nlogfile=${dir}/svinit.log\npidfile=${dir}/svinit.pid\nchildlogdir=${dir}\n${extra}`;

/** One request; a machine loaded by 500 spawning programs answers slowly, hence the long timeout. */
async function get(port: number, p: string, init?: RequestInit, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${p}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  return { status: r.status, body: await r.text() };
}

/** A program that ignores SIGTERM; it touches <dir>/trapped once the trap is set (wait for it before any TERM). */
const termIgnoring = (dir: string) => `/bin/sh -c "trap '' TERM; touch ${dir}/trapped; while :; do sleep 0.1; done"`;
const trapSet = (dir: string) => waitFor(() => fs.existsSync(path.join(dir, 'trapped')), 'the TERM trap to be set');

describe('probe endpoints', () => {
  it('/readyz goes 503 → 200 as programs become RUNNING, and 200 → 503 when SIGTERM arrives, before any program is signalled', async () => {
    const port = await freePort();
    const d = await daemon(
      (dir) => `${supervisordSection(dir, 'loglevel=debug')}
[probe_http_server]
port=${port}
host=127.0.0.1
[program:fast]
command=/bin/sleep 1000
startsecs=0
[program:slow]
command=/bin/sleep 1000
startsecs=8
[program:stubborn]
command=${termIgnoring(dir)}
startsecs=0
stopwaitsecs=60
`,
    );
    const first = await waitFor(() => get(port, '/readyz'), 'the probe port');
    expect(first.status).toBe(503);
    expect(first.body).toMatch(/^not ready:\n/);
    expect(first.body).toContain('slow: STARTING');
    expect((await get(port, '/healthz')).status).toBe(200);
    await waitFor(async () => (await get(port, '/readyz')).status === 200, '/readyz 200', 60_000, 100);
    expect((await get(port, '/readyz')).body).toBe('ready\n');
    await d.waitForLog(/readiness: ready \(\/readyz answers 200\)/);
    await trapSet(d.dir);

    d.proc.kill('SIGTERM');
    await d.waitForLog(/received SIGTERM indicating exit request/);
    // stubborn ignores TERM and has 60 s: svinit is still up, and no longer ready or healthy.
    expect(await get(port, '/readyz')).toEqual({ status: 503, body: 'not ready:\nsvinit: shutting down\n' });
    expect(await get(port, '/healthz')).toEqual({ status: 503, body: 'shutting down\n' });
    const lines = d.output().split('\n');
    const notReady = lines.findIndex((l) => /readiness: not ready, shutting down \(\/readyz answers 503\)/.test(l));
    const firstSignal = lines.findIndex((l) => /killing \w+ \(pid \d+\) with signal/.test(l));
    expect(notReady).toBeGreaterThan(-1);
    expect(firstSignal).toBeGreaterThan(-1);
    expect(notReady).toBeLessThan(firstSignal);
    expect(d.proc.exitCode).toBeNull();
  }, 120_000);

  it('/healthz stays 200 while 500 programs churn', async () => {
    const port = await freePort();
    const d = await daemon(
      (dir) => `${supervisordSection(dir)}
[probe_http_server]
port=${port}
host=127.0.0.1
[program:churn]
command=/bin/sleep 30
process_name=%(program_name)s_%(process_num)03d
numprocs=500
startsecs=0
autorestart=true
stdout_logfile=NONE
`,
    );
    // Churning: programs exit and are restarted over and over while the probes are asked.
    await d.waitForLog(/exited: churn_\d+ \(exit status 0; expected\)/, 240_000);
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) answers.push((await get(port, '/healthz', undefined, 120_000)).status);
    expect(answers.every((s) => s === 200)).toBe(true);
    const families = parsePrometheus((await get(port, '/metrics', undefined, 120_000)).body) as Array<{ name: string; metrics: Array<{ value: string }> }>;
    const restarts = families.find((f) => f.name === 'svinit_process_restarts_total')!;
    expect(restarts.metrics).toHaveLength(500);
    expect(restarts.metrics.some((m) => Number(m.value) > 0)).toBe(true);
  }, 600_000);

  it('the probe port answers no /RPC2, 404s unknown paths, and the inet server keeps its auth on every path', async () => {
    const port = await freePort();
    const inet = await freePort();
    await daemon(
      (dir) => `${supervisordSection(dir)}
[probe_http_server]
port=${port}
host=127.0.0.1
[inet_http_server]
port=127.0.0.1:${inet}
username=admin
password=secret
[program:a]
command=/bin/sleep 1000
startsecs=0
`,
    );
    await waitFor(async () => (await get(port, '/readyz')).status === 200, 'ready', 20_000, 100);
    const rpc = '<?xml version="1.0"?><methodCall><methodName>supervisor.shutdown</methodName></methodCall>';
    expect((await get(port, '/RPC2', { method: 'POST', body: rpc, headers: { 'content-type': 'text/xml' } })).status).toBe(404);
    expect((await get(port, '/')).status).toBe(404);
    expect((await get(port, '/logtail/a')).status).toBe(404);
    expect((await get(port, '/nope')).status).toBe(404);
    expect((await get(inet, '/metrics')).status).toBe(401);
    expect((await get(inet, '/readyz')).status).toBe(401);
    const auth = { headers: { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` } };
    expect(await get(inet, '/readyz', auth)).toEqual({ status: 200, body: 'ready\n' });
    await get(inet, '/RPC2', { method: 'POST', body: '<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName></methodCall>', ...auth });
    const metrics = parsePrometheus((await get(inet, '/metrics', auth)).body) as Array<{ name: string; metrics: Array<{ labels?: Record<string, string>; value: string }> }>;
    const requests = metrics.find((f) => f.name === 'svinit_xmlrpc_requests_total')!;
    expect(requests.metrics.find((m) => m.labels?.method === 'supervisor.getState')?.value).toBe('1');
    expect(metrics.find((f) => f.name === 'svinit_process_up')!.metrics).toEqual([{ labels: { group: 'a', name: 'a' }, value: '1' }]);
  });
});

describe('liveness checks', () => {
  it('restarts a program that stops answering its HTTP check after the threshold, and says why', async () => {
    const port = await freePort();
    const d = await daemon((dir) => {
      fs.writeFileSync(
        path.join(dir, 'server.js'),
        `const fs = require('fs');
const hang = ${JSON.stringify(path.join(dir, 'hang'))};
require('http').createServer((req, res) => { if (!fs.existsSync(hang)) res.end('ok'); }).listen(${port}, '127.0.0.1');
`,
      );
      return `${supervisordSection(dir)}
[program:web]
command=${process.execPath} ${dir}/server.js
startsecs=0
liveness_check=http://127.0.0.1:${port}/health
liveness_check_initial_delay=5
liveness_check_interval=1
liveness_check_timeout=0.5
liveness_check_failure_threshold=3
`;
    });
    const spawned = await d.waitForLog(/spawned: 'web' with pid \d+/);
    const pid1 = Number(/pid (\d+)/.exec(spawned)![1]);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 'the server', 30_000, 100);
    const hang = path.join(d.dir, 'hang');
    fs.writeFileSync(hang, '');
    await d.waitForLog(/restarting 'web': liveness check failed 3 times in a row: http:\/\/127\.0\.0\.1:\d+\/health: no answer within 500 ms/, 60_000);
    const again = await waitFor(() => d.output().split('\n').filter((l) => /spawned: 'web' with pid/.test(l))[1], 'a second spawn', 30_000);
    expect(Number(/pid (\d+)/.exec(again)![1])).not.toBe(pid1);
    expect(d.output()).toMatch(/stopped: web \(terminated by SIGTERM\)/);
    // While the server keeps hanging, the description always says why it is being restarted.
    const info = await d.rpc<{ description: string }>('supervisor.getProcessInfo', 'web');
    expect(info.description).toMatch(/(liveness check failed [12]\/3|restarted after failed liveness checks): http:\/\/127\.0\.0\.1:\d+\/health: no answer within 500 ms$/);
    // It answers again: the next check succeeds and the description is back to supervisord's.
    fs.rmSync(hang);
    await waitFor(async () => /^pid \d+, uptime [\d:]+$/.test((await d.rpc<{ description: string }>('supervisor.getProcessInfo', 'web')).description), 'a clean description', 60_000, 200);
  }, 120_000);

  it('a malformed check URL is a config error with file and line', () => {
    const dir = tmpDir();
    const conf = path.join(dir, 'supervisord.conf');
    fs.writeFileSync(conf, `${supervisordSection(dir)}\n[program:web]\ncommand=/bin/sleep 1\nliveness_check=ftp://nowhere\n`);
    const r = spawnSync(process.execPath, [SVINIT, '-n', '-c', conf], { encoding: 'utf8', env: { ...process.env, SVINIT_CONTAINER: '0' }, timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/malformed liveness_check "ftp:\/\/nowhere"/);
    expect(r.stderr).toContain(`${conf}:8`);
  });
});

describe('shutdown_timeout', () => {
  it('with a TERM-ignoring program and stopwaitsecs=60, svinit SIGKILLs it and exits within 3 s of SIGTERM', async () => {
    const d = await daemon(
      (dir) => `${supervisordSection(dir, 'shutdown_timeout=3')}
[program:stubborn]
command=${termIgnoring(dir)}
startsecs=0
stopwaitsecs=60
; started first, so stopped last: polite gets its SIGTERM first
priority=1
[program:polite]
command=/bin/sleep 1000
startsecs=0
`,
    );
    await d.waitForLog(/success: stubborn entered RUNNING/);
    await d.waitForLog(/success: polite entered RUNNING/);
    await trapSet(d.dir);
    d.proc.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    const lines = d.output().split('\n').filter((l) => /^\d{4}-/.test(l));
    const term = lines.find((l) => /received SIGTERM indicating exit request/.test(l))!;
    expect(lines.some((l) => /shutdown_timeout of 3 s nearly spent: killing every remaining process with SIGKILL/.test(l))).toBe(true);
    expect(lines.some((l) => /stopped: stubborn \(terminated by SIGKILL\)/.test(l))).toBe(true);
    expect(lines.some((l) => /stopped: polite \(terminated by SIGTERM\)/.test(l))).toBe(true);
    // svinit's own clock: its last line is inside the budget.
    expect(logStamp(lines[lines.length - 1]) - logStamp(term)).toBeLessThan(3000);
  });
});

describe('shutdown_timeout during a restart', () => {
  it('a SIGTERM that arrives while SIGHUP restart is stopping a stubborn program still ends within the budget', async () => {
    const d = await daemon(
      (dir) => `${supervisordSection(dir, 'shutdown_timeout=3')}
[program:stubborn]
command=${termIgnoring(dir)}
startsecs=0
stopwaitsecs=60
`,
    );
    await d.waitForLog(/success: stubborn entered RUNNING/);
    await trapSet(d.dir);
    d.proc.kill('SIGHUP');
    await d.waitForLog(/received SIGHUP indicating restart request/);
    await d.waitForLog(/waiting for stubborn to die/, 30_000);
    d.proc.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    const lines = d.output().split('\n').filter((l) => /^\d{4}-/.test(l));
    const term = lines.find((l) => /received SIGTERM indicating exit request/.test(l))!;
    expect(lines.some((l) => /shutdown_timeout of 3 s nearly spent/.test(l))).toBe(true);
    expect(logStamp(lines[lines.length - 1]) - logStamp(term)).toBeLessThan(3000);
  });
});

describe('env files', () => {
  it('are read at every spawn; environment= wins; a missing file or a bad line is a spawn error naming it', async () => {
    const d = await daemon((dir) => {
      fs.writeFileSync(path.join(dir, 'common.env'), '# shared\nexport SHARED=from-common\nOVERRIDDEN=from-common\n');
      fs.writeFileSync(path.join(dir, 'app.env'), 'APP="quoted # value"\nOVERRIDDEN=from-app\n');
      return `${supervisordSection(dir, `env_files=${dir}/common.env`)}
[program:show]
command=/bin/sh -c 'echo "SHARED=$SHARED APP=$APP OVERRIDDEN=$OVERRIDDEN WINS=$WINS"; sleep 1000'
env_files=app.env
environment=WINS="environment"
startsecs=0
stdout_logfile=${dir}/show.log
[program:missing]
command=/bin/sleep 1000
envFiles=${dir}/nope.env
startsecs=0
startretries=0
autorestart=false
`;
    });
    await waitFor(() => fs.existsSync(path.join(d.dir, 'show.log')) && fs.readFileSync(path.join(d.dir, 'show.log'), 'utf8').includes('\n'), 'show.log', 20_000);
    expect(fs.readFileSync(path.join(d.dir, 'show.log'), 'utf8')).toBe('SHARED=from-common APP=quoted # value OVERRIDDEN=from-app WINS=environment\n');
    await waitFor(async () => (await d.rpc<{ statename: string }>('supervisor.getProcessInfo', 'missing')).statename === 'FATAL', 'missing FATAL', 20_000, 100);
    const missing = await d.rpc<{ spawnerr: string }>('supervisor.getProcessInfo', 'missing');
    expect(missing.spawnerr).toBe(`env file doesn't exist: ${d.dir}/nope.env`);
    // Read at every spawn: a bad line appears, the next start reports it with its line.
    fs.writeFileSync(path.join(d.dir, 'app.env'), 'APP=1\nthis is not a pair\n');
    await d.rpc('supervisor.stopProcess', 'show');
    const started = await d.rpc<{ fault: { faultString: string } }>('supervisor.startProcess', 'show');
    expect(started.fault.faultString).toBe('SPAWN_ERROR: show');
    const show = await d.rpc<{ spawnerr: string }>('supervisor.getProcessInfo', 'show');
    expect(show.spawnerr).toBe(`not a KEY=VALUE line: 'this is not a pair' (file: '${d.dir}/app.env', line 2)`);
    expect(d.proc.exitCode).toBeNull();
  });
});
