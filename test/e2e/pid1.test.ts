// svinit as PID 1 in real containers (issue 4's scenarios): reaping, exit codes, docker stop,
// signals, process groups, single-command mode, pidproxy, subreaper mode, a read-only non-root
// container, and svctl / the real supervisorctl inside the container.

import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/daemon.js';
import { startSvinit, type StartOptions, type SvContainer } from './helpers.js';

const started: SvContainer[] = [];
afterEach(async () => {
  for (const c of started.splice(0)) await c.remove();
});
async function start(opts: StartOptions): Promise<SvContainer> {
  const c = await startSvinit(opts);
  started.push(c);
  return c;
}

const conf = (programs: string) => `[supervisord]\n${programs}`;

async function rssKiB(c: SvContainer): Promise<number> {
  const r = await c.exec(['sh', '-c', "grep VmRSS /proc/1/status | tr -s ' ' | cut -d' ' -f2"]);
  return Number(r.output.trim());
}

describe('reaping as PID 1', () => {
  it('orphan storm: 1,000 double-forks leave no zombie and svinit\'s memory flat', async () => {
    const c = await start({
      config: conf(`[program:storm]
command=/bin/sh -c 'i=0; while [ $i -lt 1000 ]; do (sleep 0.05 &);i=$((i+1)); done; echo storm-done; exec sleep 1000'
startsecs=0
`),
    });
    const before = await rssKiB(c);
    await c.waitForLog(/storm \| storm-done/, 30_000);
    await waitFor(async () => (await c.zombies()) === 0, 'no zombies after the storm', 2_000, 50);
    await waitFor(async () => Number((await c.exec(['sh', '-c', 'ls -d /proc/[0-9]* | wc -l'])).output.trim()) < 10, 'orphans gone', 5_000);
    expect(await c.zombies()).toBe(0);
    expect(await rssKiB(c)).toBeLessThan(before + 20 * 1024);
    expect((await c.logs()).match(/reaped unknown pid/g)?.length ?? 0).toBeGreaterThanOrEqual(900);
  });

  it('records every exit code of 200 short programs during an orphan storm', async () => {
    const codes = Array.from({ length: 200 }, (_, i) => (i * 37 + 11) % 256);
    let programs = `[program:storm]
command=/bin/sh -c 'i=0; while [ $i -lt 500 ]; do (sleep 0.02 &);i=$((i+1)); done; exec sleep 1000'
startsecs=0
`;
    codes.forEach((code, i) => {
      programs += `[program:p${i}]\ncommand=/bin/sh -c 'sleep 0.$((RANDOM %% 5)); exit ${code}'\nstartsecs=0\nautorestart=false\nexitcodes=0\n`;
    });
    const c = await start({ config: conf(programs) });
    await waitFor(async () => ((await c.logs()).match(/exited: p\d+ /g)?.length ?? 0) >= 200, '200 exits', 30_000, 200);
    const log = await c.logs();
    codes.forEach((code, i) => {
      expect(log, `p${i}`).toMatch(new RegExp(`exited: p${i} \\(exit status ${code}; ${code === 0 ? 'expected' : 'not expected'}\\)`));
    });
    await waitFor(async () => (await c.zombies()) === 0, 'no zombies', 5_000);
  });
});

describe('docker stop', () => {
  it('cooperative programs: exit 0, quickly', async () => {
    const c = await start({
      config: conf(`[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\npriority=1\n[program:b]\ncommand=/bin/sleep 1000\nstartsecs=0\npriority=2\n`),
    });
    await c.waitForLog(/success: b entered RUNNING/);
    const { ms, exitCode } = await c.dockerStop(10);
    expect(exitCode).toBe(0);
    expect(ms).toBeLessThan(2000);
    const log = await c.logs();
    expect(log.indexOf('stopped: b')).toBeLessThan(log.indexOf('stopped: a'));
  });

  it('a program that ignores SIGTERM is SIGKILLed after stopwaitsecs, before Docker\'s own kill', async () => {
    const c = await start({
      config: conf(`[program:stubborn]\ncommand=/bin/sh -c "trap '' TERM; while :; do sleep 0.1; done"\nstartsecs=0\nstopwaitsecs=2\n`),
    });
    await c.waitForLog(/success: stubborn entered RUNNING/);
    const { ms, exitCode } = await c.dockerStop(10);
    expect(exitCode).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(9000);
    expect(await c.logs()).toMatch(/killing 'stubborn' \(\d+\) with SIGKILL/);
  });
});

describe('signals', () => {
  it('HUP reloads, USR2 reopens logs, USR1 and WINCH are forwarded to programs', async () => {
    const c = await start({
      config: conf(`[program:listener]
command=/bin/sh -c 'trap "echo got-USR1" USR1; trap "echo got-WINCH" WINCH; while :; do sleep 0.1; done'
startsecs=0
`),
    });
    await c.waitForLog(/success: listener entered RUNNING/);
    await c.kill('HUP');
    await c.waitForLog(/received SIGHUP indicating restart request/);
    await c.waitForLog(/reload: added none, changed none, removed none/);
    await c.kill('USR2');
    await c.waitForLog(/received SIGUSR2 indicating log reopen request/);
    await c.kill('USR1');
    await c.waitForLog(/listener \| got-USR1/);
    await c.kill('WINCH');
    await c.waitForLog(/listener \| got-WINCH/);
    expect(await c.exitCode()).toBeNull();
    expect(await c.logs()).not.toMatch(/Debugger listening/);
  });

  it('a second SIGTERM kills everything at once', async () => {
    const c = await start({ config: conf(`[program:slow]\ncommand=/bin/sh -c "trap '' TERM; while :; do sleep 0.1; done"\nstartsecs=0\nstopwaitsecs=60\n`) });
    await c.waitForLog(/success: slow entered RUNNING/);
    await c.kill('TERM');
    await c.waitForLog(/received SIGTERM indicating exit request/);
    await c.kill('TERM');
    await waitFor(async () => (await c.exitCode()) !== null, 'container exited', 5_000);
    expect(await c.exitCode()).toBe(0);
    expect(await c.logs()).toMatch(/received SIGTERM again: killing every process now/);
  });
});

describe('process groups', () => {
  it('stopasgroup leaves no grandchild; a grandchild that called setsid is swept at shutdown', async () => {
    const c = await start({
      config: conf(`[program:tree]
command=/bin/sh -c 'sleep 1001 & sleep 1002 & wait'
startsecs=0
stopasgroup=true
[program:escapee]
command=/bin/sh -c 'setsid sleep 1003 & wait'
startsecs=0
`),
    });
    await c.waitForLog(/success: escapee entered RUNNING/);
    const ps = async () => (await c.exec(['ps', '-o', 'args'])).output;
    await waitFor(async () => /sleep 1003/.test(await ps()), 'escapee running');
    expect((await c.exec(['svctl', 'stop', 'tree'])).output).toBe('tree: stopped\n');
    await waitFor(async () => !/sleep 100[12]/.test(await ps()), 'tree grandchildren gone', 3000);
    const { exitCode } = await c.dockerStop(10);
    expect(exitCode).toBe(0);
    expect(await c.logs()).toMatch(/sending SIGTERM to 1 adopted orphan\(s\)/);
  });
});

describe('single-command mode (tini\'s exit codes)', () => {
  const cases: Array<[string[], number]> = [
    [['sh', '-c', 'exit 0'], 0],
    [['sh', '-c', 'exit 1'], 1],
    [['sh', '-c', 'exit 42'], 42],
    [['sh', '-c', 'exit 255'], 255],
    [['sh', '-c', 'kill -TERM $$'], 143],
    [['sh', '-c', 'kill -KILL $$'], 137],
    [['/nonexistent'], 127],
    [['/etc/passwd'], 126],
  ];
  for (const [cmd, code] of cases) {
    it(`svinit -- ${cmd.join(' ')} exits ${code}`, async () => {
      const c = await start({ args: ['--', ...cmd], waitFor: null });
      await waitFor(async () => (await c.exitCode()) !== null, 'exit', 15_000);
      expect(await c.exitCode()).toBe(code);
    });
  }

  it('passes the program\'s output straight through and forwards TERM', async () => {
    const c = await start({ args: ['--', 'sh', '-c', 'echo ready; trap "echo bye; exit 3" TERM; while :; do sleep 0.1; done'], waitFor: /ready/ });
    const { exitCode } = await c.dockerStop(10);
    expect(exitCode).toBe(3);
    expect(await c.logs()).toMatch(/bye/);
  });
});

describe('pidproxy', () => {
  it('stands in for a daemon that forks, relays TERM to it and exits with it', async () => {
    const daemon = `#!/bin/sh\n(sh -c 'echo $$ > /tmp/d.pid; trap "echo daemon-term; exit 0" TERM; while :; do sleep 0.1; done' &)\nexit 0\n`;
    const c = await start({
      files: { '/usr/local/sbin/forker': daemon },
      config: conf(`[program:d]\ncommand=/usr/local/bin/pidproxy /tmp/d.pid /usr/local/sbin/forker\nstartsecs=1\n`),
    });
    await c.waitForLog(/success: d entered RUNNING/);
    const pid = (await c.exec(['cat', '/tmp/d.pid'])).output.trim();
    expect((await c.exec(['svctl', 'stop', 'd'])).output).toBe('d: stopped\n');
    await c.waitForLog(/d \| daemon-term/);
    expect((await c.exec(['sh', '-c', `kill -0 ${pid} 2>/dev/null && echo alive || echo gone`])).output.trim()).toBe('gone');
  });
});

describe('not PID 1', () => {
  it('under docker --init, svinit is a child subreaper and reaps orphans itself', async () => {
    const c = await start({
      init: true,
      config: conf(`[program:orphans]\ncommand=/bin/sh -c 'i=0; while [ $i -lt 50 ]; do (sleep 0.01 &);i=$((i+1)); done; exec sleep 1000'\nstartsecs=0\n`),
      waitFor: /supervisord started with pid/,
    });
    await waitFor(async () => ((await c.logs()).match(/reaped unknown pid/g)?.length ?? 0) >= 50, 'svinit reaped the orphans', 10_000, 100);
    const pid1 = (await c.exec(['cat', '/proc/1/cmdline'])).output;
    expect(pid1).toMatch(/docker-init/);
    expect(await c.zombies()).toBe(0);
  });
});

describe('hardened containers', () => {
  it('read-only root, tmpfs /run, non-root user: svinit starts and svctl works', async () => {
    const c = await start({
      readOnly: true,
      user: '1000:1000',
      tmpfs: { '/run': 'rw,mode=1777', '/tmp': 'rw,mode=1777' },
      config: conf(`[program:app]\ncommand=/bin/sleep 1000\nstartsecs=0\n`),
    });
    await c.waitForLog(/success: app entered RUNNING/);
    const r = await c.exec(['svctl', 'status'], { user: '1000' });
    expect(r.output).toMatch(/^app +RUNNING +pid \d+, uptime/);
    expect(r.exitCode).toBe(0);
    // svinit puts its socket in /run when it may write there, else in /tmp.
    expect((await c.exec(['ls', '/run', '/tmp'])).output).toMatch(/svinit\.sock/);
  });
});

describe('control inside the container', () => {
  it('docker exec svctl status works with no options, and so does the real supervisorctl', async () => {
    const c = await start({
      image: 'svinit-base:debian',
      // The real supervisorctl insists on a [supervisorctl] section in the config it finds.
      config: conf(`[supervisorctl]\nserverurl=unix:///run/svinit.sock\n[program:web]\ncommand=/bin/sleep 1000\nstartsecs=0\n[program:off]\ncommand=/bin/sleep 1\nautostart=false\n`),
    });
    await c.waitForLog(/success: web entered RUNNING/);
    const ours = await c.exec(['svctl', 'status']);
    expect(ours.exitCode).toBe(3);
    expect(ours.output).toMatch(/^off +STOPPED +Not started\nweb +RUNNING +pid \d+, uptime \d+:\d\d:\d\d\n$/);
    const real = await c.exec(['supervisorctl', 'status']);
    expect(real.output).toBe(ours.output.replace(/uptime \d+:\d\d:\d\d/, real.output.match(/uptime \d+:\d\d:\d\d/)![0]));
    expect(real.exitCode).toBe(3);
    expect((await c.exec(['supervisorctl', 'start', 'off'])).output).toBe('off: started\n');
  });
});

describe('user=', () => {
  it('drops to the user and keeps its supplementary groups (setpriv --init-groups), as supervisord\'s initgroups', async () => {
    const c = await start({
      image: 'svinit-base:debian',
      files: {
        '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
        '/etc/group': 'root:x:0:\napp:x:1000:\nextra:x:2000:app\nnogroup:x:65534:\n',
      },
      config: conf(`[program:who]\ncommand=/usr/bin/id\nuser=app\nstartsecs=0\nautorestart=false\n`),
    });
    await c.waitForLog(/who \| uid=1000\(app\) gid=1000\(app\) groups=1000\(app\),2000\(extra\)/);
  });
});
