// depends_on, readiness and essential with the real svinit and real programs on the host, driven
// and inspected through the real supervisorctl and supervisor's XML-RPC client.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonPerTest, freePort, logStamp as stamp, SVINIT, tmpDir, waitFor, type Daemon } from '../../helpers/daemon.js';
import { runSupervisorctl } from '../ctl/harness.js';

const daemon = daemonPerTest();
/** Real programs and Python clients on a shared, loaded machine. */
const SLOW = 120_000;

type Info = { name: string; statename: string; pid: number; description: string };
const info = (d: Daemon, name: string) => d.rpc<Info>('supervisor.getProcessInfo', name);

/** The real supervisorctl against the daemon. */
async function supervisorctl(d: Daemon, ...args: string[]): Promise<{ out: string; code: number }> {
  const r = await runSupervisorctl(null, args, { serverurl: d.url });
  return { out: r.stdout, code: r.code };
}

const lines = (d: Daemon, re: RegExp) => d.output().split('\n').filter((l) => re.test(l));

/**
 * A "database": listens on PORT only after DELAY seconds and once GOFILE exists (so a busy test
 * machine cannot let it open before the test has looked), and notes when it started listening.
 */
function writeSlowServer(dir: string): string {
  const file = path.join(dir, 'slow_server.py');
  fs.writeFileSync(
    file,
    `import os, socket, sys, time
port, delay, stampfile, gofile = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
time.sleep(delay)
while not os.path.exists(gofile):
    time.sleep(0.05)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(64)
open(stampfile, 'w').write(repr(time.time()))
while True:
    c, _ = s.accept()
    c.close()
`,
  );
  return file;
}

describe('depends_on with a ready_check', () => {
  it('spawns the app only after the database accepts connections, and says what it waits for', async () => {
    const port = await freePort();
    const d = await daemon(
      (dir) => `
[program:db]
command=python3 ${writeSlowServer(dir)} ${port} 2 ${dir}/listening-at ${dir}/go
ready_check=tcp://127.0.0.1:${port}
ready_check_interval=0.1
[program:app]
command=/bin/sleep 1000
depends_on=db
startsecs=0
`,
    );
    await d.waitForLog(/held: 'app' waiting for db \(running\)/, 30_000);
    expect(await info(d, 'app')).toMatchObject({ statename: 'STOPPED', description: 'waiting for db (running)', pid: 0 });
    const status = await supervisorctl(d, 'status');
    expect(status.out).toMatch(/^app\s+STOPPED\s+waiting for db \(running\)$/m);
    expect(status.out).toMatch(/^db\s+STARTING/m);
    fs.writeFileSync(path.join(d.dir, 'go'), '');

    const spawnedApp = await d.waitForLog(/spawned: 'app'/, 30_000);
    const ready = lines(d, /success: db entered RUNNING state, ready_check tcp:\/\/127\.0\.0\.1:\d+ succeeded/)[0];
    expect(ready).toBeDefined();
    const listeningAt = Math.floor(Number(fs.readFileSync(path.join(d.dir, 'listening-at'), 'utf8')) * 1000);
    // Never before the port accepted: the log's milliseconds are truncated, hence the 1 ms.
    expect(stamp(spawnedApp)).toBeGreaterThanOrEqual(listeningAt - 1);
    expect(stamp(ready)).toBeGreaterThanOrEqual(listeningAt - 1);
    const order = d.output().split('\n').filter((l) => /spawned: 'db'|success: db|spawned: 'app'/.test(l));
    expect(order.map((l) => /(spawned: '\w+'|success: db)/.exec(l)![1])).toEqual(["spawned: 'db'", 'success: db', "spawned: 'app'"]);
    console.log(`measured: db ready → app spawned ${stamp(spawnedApp) - stamp(ready)} ms (port listening → db ready ${stamp(ready) - listeningAt} ms)`);
    await waitFor(async () => (await info(d, 'app')).statename === 'RUNNING', 'app RUNNING', 30_000);
  }, SLOW);
});

describe('each readiness kind with a real program', () => {
  it('notification_fd, ready_log_regex, an HTTP check and an exec check make programs RUNNING when ready', async () => {
    const port = await freePort();
    const d = await daemon(
      (dir) => `
[program:fd]
command=/bin/sh -c "sleep 0.5; echo >&3; exec sleep 1000"
notification_fd=3
[program:log]
command=/bin/sh -c "echo warming up; sleep 0.5; echo 'server listening on port 8080' >&2; exec sleep 1000"
ready_log_regex=listening on port \\d+$
[program:http]
command=/bin/sh -c "sleep 0.5; exec python3 -m http.server ${port} --bind 127.0.0.1 --directory ${dir}"
ready_check=http://127.0.0.1:${port}/
ready_check_interval=0.2
[program:exec]
command=/bin/sh -c "sleep 0.5; touch ${dir}/flag; exec sleep 1000"
ready_check=exec:test -f ${dir}/flag
ready_check_interval=0.2
`,
    );
    await d.waitForLog(/success: fd entered RUNNING state, wrote a newline to notification_fd/, 30_000);
    await d.waitForLog(/success: log entered RUNNING state, stderr line matched ready_log_regex: server listening on port 8080/, 30_000);
    await d.waitForLog(new RegExp(`success: http entered RUNNING state, ready_check http://127.0.0.1:${port}/ succeeded`), 30_000);
    await d.waitForLog(/success: exec entered RUNNING state, ready_check exec:test -f \S+ succeeded/, 30_000);
    expect(d.logCount(/entered RUNNING state, process has stayed up/)).toBe(0);
  }, SLOW);

  it('notify_socket: Debian\'s systemd-notify --ready makes the program RUNNING, STATUS= shows in its description', async () => {
    expect(fs.existsSync('/bin/systemd-notify') || fs.existsSync('/usr/bin/systemd-notify'), 'systemd-notify is installed (scripts/ensure-deps.sh)').toBe(true);
    const d = await daemon(
      (dir) => `
[program:svc]
command=/bin/sh -c "echo $NOTIFY_SOCKET > ${dir}/socket.txt; while [ ! -e ${dir}/go ]; do sleep 0.05; done; systemd-notify --status='serving requests'; systemd-notify --ready; exec sleep 1000"
notify_socket=true
[program:app]
command=/bin/sleep 1000
startsecs=0
depends_on=svc
`,
    );
    await waitFor(() => fs.existsSync(`${d.dir}/socket.txt`), 'the program started');
    // Not ready until it says so: STARTING, whatever startsecs says, and app is held.
    expect(fs.readFileSync(`${d.dir}/socket.txt`, 'utf8').trim()).toMatch(/^\/.+\.sock$/);
    expect((await info(d, 'svc')).statename).toBe('STARTING');
    expect((await info(d, 'app')).description).toBe('waiting for svc (running)');
    fs.writeFileSync(`${d.dir}/go`, '');
    await d.waitForLog(/success: svc entered RUNNING state, sent READY=1 to NOTIFY_SOCKET/, 30_000);
    const svc = await info(d, 'svc');
    expect(svc.statename).toBe('RUNNING');
    expect(svc.description).toMatch(/^pid \d+, uptime \S+, serving requests$/);
    await d.waitForLog(/success: app entered RUNNING state/, 30_000);
    const [ready] = lines(d, /success: svc entered RUNNING state/);
    const [spawned] = lines(d, /spawned: 'app'/);
    expect(stamp(spawned)).toBeGreaterThanOrEqual(stamp(ready));
  }, SLOW);

  it('closing notification_fd without a newline is a failed start', async () => {
    const d = await daemon(
      () => `
[program:closer]
command=/bin/sh -c "exec 3>&-; exec sleep 1000"
notification_fd=3
startretries=0
`,
    );
    await d.waitForLog(/not ready: closer \(closed notification_fd without writing a newline\)/, 30_000);
    await d.waitForLog(/gave up: closer entered FATAL state/, 30_000);
    expect((await info(d, 'closer')).description).toBe('closed notification_fd without writing a newline');
  }, SLOW);

  it('not ready within ready_timeout: stopped, BACKOFF, retried, then FATAL', async () => {
    const d = await daemon(
      () => `
[program:slow]
command=/bin/sh -c "echo starting; exec sleep 1000"
ready_log_regex=^ready$
ready_timeout=1
startretries=1
`,
    );
    await d.waitForLog(/gave up: slow entered FATAL state, too many start retries too quickly/, 30_000);
    expect(d.logCount(/spawned: 'slow'/)).toBe(2);
    expect(d.logCount(/not ready: slow \(not ready within 1 seconds \(ready_timeout\)\)/)).toBe(2);
    expect(await info(d, 'slow')).toMatchObject({ statename: 'FATAL', description: 'not ready within 1 seconds (ready_timeout)' });
  }, SLOW);
});

describe('one-shots and essential programs', () => {
  it('a migration that fails keeps its dependents from starting, and they say why', async () => {
    const d = await daemon(
      () => `
[program:migrate]
command=/bin/sh -c "echo migrating; exit 4"
startsecs=0
autorestart=false
[program:web]
command=/bin/sleep 1000
depends_on=migrate:completed_successfully
[program:worker]
command=/bin/sleep 1000
depends_on=web
`,
    );
    await d.waitForLog(/held: 'web' not started: migrate failed \(EXITED, exit status 4\)/, 30_000);
    expect(await info(d, 'web')).toMatchObject({ statename: 'STOPPED', description: 'not started: migrate failed (EXITED, exit status 4)' });
    expect((await info(d, 'worker')).description).toBe('waiting for web (running)');
    expect(d.logCount(/spawned: 'web'|spawned: 'worker'/)).toBe(0);
    const status = await supervisorctl(d, 'status');
    expect(status.out).toMatch(/^web\s+STOPPED\s+not started: migrate failed \(EXITED, exit status 4\)$/m);
  }, SLOW);

  it('a migration that succeeds lets its dependents start', async () => {
    const d = await daemon(
      () => `
[program:migrate]
command=/bin/sh -c "sleep 0.5; exit 0"
startsecs=0
autorestart=false
[program:web]
command=/bin/sleep 1000
depends_on=migrate:completed_successfully
startsecs=0
`,
    );
    const exited = await d.waitForLog(/exited: migrate \(exit status 0; expected\)/, 30_000);
    const spawned = await d.waitForLog(/spawned: 'web'/, 30_000);
    expect(stamp(spawned)).toBeGreaterThanOrEqual(stamp(exited));
  }, SLOW);

  it('an essential program that exits 3 stops the rest in dependency order and svinit exits 3', async () => {
    const d = await daemon(
      () => `
[program:db]
command=/bin/sleep 1000
startsecs=0
priority=1
[program:cache]
command=/bin/sleep 1000
depends_on=db
startsecs=0
priority=900
[program:job]
command=/bin/sh -c "sleep 1; exit 3"
depends_on=cache
startsecs=0
autorestart=false
essential=true
`,
    );
    expect(await waitFor(() => d.exited.then((c) => ({ c })), 'svinit exit', 60_000)).toEqual({ c: 3 });
    expect(d.output()).toMatch(/essential program 'job' exited with status 3: shutting down with exit code 3/);
    const stopped = lines(d, /stopped: /).map((l) => /stopped: (\w+)/.exec(l)![1]);
    expect(stopped).toEqual(['cache', 'db']);
  }, SLOW);
});

describe('supervisorctl start and stop with dependencies', () => {
  it('start x starts what x depends on first; stopping a dependency leaves x alone; shutdown stops x first', async () => {
    const d = await daemon(
      (dir) => `
[program:db]
command=/bin/sh -c "sleep 0.5; echo ready; exec sleep 1000"
ready_log_regex=^ready$
autostart=false
priority=999
[program:app]
command=/bin/sleep 1000
depends_on=db
autostart=false
startsecs=0
priority=1
[program:idle]
command=/bin/sleep 1000
autostart=false
`,
    );
    const started = await supervisorctl(d, 'start', 'app');
    expect(started.out).toContain('app: started');
    expect(started.code).toBe(0);
    expect((await info(d, 'db')).statename).toBe('RUNNING');
    expect((await info(d, 'app')).statename).toBe('RUNNING');
    const order = lines(d, /spawned: '(db|app)'|success: db/).map((l) => /(spawned: '\w+'|success: db)/.exec(l)![1]);
    expect(order).toEqual(["spawned: 'db'", 'success: db', "spawned: 'app'"]);
    expect((await info(d, 'idle')).statename).toBe('STOPPED');

    const appPid = (await info(d, 'app')).pid;
    expect((await supervisorctl(d, 'stop', 'db')).out).toContain('db: stopped');
    expect(await info(d, 'app')).toMatchObject({ statename: 'RUNNING', pid: appPid });
    expect((await supervisorctl(d, 'start', 'db')).out).toContain('db: started');

    expect(await d.stop('SIGTERM')).toBe(0);
    // app has the lower priority number, so supervisord would stop db first; the dependency wins.
    expect(lines(d, /stopped: /).map((l) => /stopped: (\w+)/.exec(l)![1])).toEqual(['db', 'app', 'db']);
  }, SLOW);

  it('SIGHUP (sighup=update) applies a changed depends_on without restarting the program', async () => {
    const d = await daemon(
      (dir) => `
[supervisord]
logfile=${dir}/svinit.log
pidfile=${dir}/svinit.pid
childlogdir=${dir}
sighup=update
[program:db]
command=/bin/sleep 1000
startsecs=0
[program:extra]
command=/bin/sleep 1000
startsecs=0
autostart=false
[program:app]
command=/bin/sleep 1000
startsecs=0
depends_on=db
`,
    );
    await waitFor(async () => (await info(d, 'app')).statename === 'RUNNING', 'app RUNNING', 30_000);
    const pid = (await info(d, 'app')).pid;
    fs.writeFileSync(d.conf, fs.readFileSync(d.conf, 'utf8').replace('depends_on=db', 'depends_on=db, extra'));
    d.proc.kill('SIGHUP');
    await d.waitForLog(/reload: added none, changed none, removed none/, 30_000);
    expect((await info(d, 'app')).pid).toBe(pid);
    await supervisorctl(d, 'stop', 'app');
    expect((await supervisorctl(d, 'start', 'app')).out).toContain('app: started');
    expect((await info(d, 'extra')).statename).toBe('RUNNING');
  }, SLOW);
});

describe('bad input', () => {
  it('a dependency cycle stops svinit at load: exit 2, the cycle named, file and line', () => {
    const dir = tmpDir();
    const conf = path.join(dir, 'supervisord.conf');
    fs.writeFileSync(conf, `[supervisord]\nlogfile=${dir}/sv.log\n[program:web]\ncommand=/bin/true\ndepends_on=app\n[program:app]\ncommand=/bin/true\ndepends_on=web:started\n`);
    const r = spawnSync(process.execPath, [SVINIT, '-n', '-c', conf], { encoding: 'utf8', env: { ...process.env, SVINIT_CONTAINER: '0' }, timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Error: depends_on makes a dependency cycle: app -> web -> app');
    expect(r.stderr).toContain(`at ${conf}:8 [program:app] key 'depends_on'`);
  }, SLOW);
});
