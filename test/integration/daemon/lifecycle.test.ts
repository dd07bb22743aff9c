// The real svinit on the host with real programs: ordering, backoff, exit codes, stopping,
// process groups, numprocs, log rotation under a fast writer and SIGHUP reload.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { alive, logStamp, startDaemon, SVINIT, tmpDir, waitFor, type Daemon } from '../../helpers/daemon.js';

const running: Daemon[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop('SIGKILL');
});
async function daemon(conf: (dir: string) => string, opts?: Parameters<typeof startDaemon>[1]): Promise<Daemon> {
  const d = await startDaemon(conf, opts);
  running.push(d);
  return d;
}

/** The [supervisord] section the daemon helper would write, for configs that add keys to it. */
const supervisordSection = (dir: string) => `[supervisord]\nlogfile=${dir}/svinit.log\npidfile=${dir}/svinit.pid\nchildlogdir=${dir}`;

const stamp = logStamp;

type Info = { name: string; group: string; statename: string; pid: number; description: string; exitstatus: number };

describe('svinit daemon', () => {
  it('starts in ascending priority and stops in descending priority, one group after another', async () => {
    const d = await daemon(
      () => `
[program:db]
command=/bin/sleep 1000
priority=10
startsecs=0
[program:app]
command=/bin/sleep 1000
priority=20
startsecs=0
[program:web]
command=/bin/sleep 1000
priority=30
startsecs=0
`,
    );
    await d.waitForLog(/success: web entered RUNNING/);
    const spawned = d.output().split('\n').filter((l) => /spawned: '/.test(l)).map((l) => /spawned: '(\w+)'/.exec(l)![1]);
    expect(spawned).toEqual(['db', 'app', 'web']);
    expect(await d.stop('SIGTERM')).toBe(0);
    const lines = d.output().split('\n');
    const stopped = lines.filter((l) => /stopped: /.test(l)).map((l) => /stopped: (\w+)/.exec(l)![1]);
    expect(stopped).toEqual(['web', 'app', 'db']);
    expect(lines.some((l) => /WARN received SIGTERM indicating exit request/.test(l))).toBe(true);
  });

  it('backs off 1 s, 2 s between attempts, then FATAL after startretries', async () => {
    const d = await daemon(
      () => `
[program:bad]
command=/bin/sh -c "exit 1"
startretries=2
`,
    );
    await d.waitForLog(/gave up: bad entered FATAL state, too many start retries too quickly/, 15_000);
    const spawns = d.output().split('\n').filter((l) => /spawned: 'bad'/.test(l)).map(stamp);
    expect(spawns).toHaveLength(3);
    const gaps = [spawns[1] - spawns[0], spawns[2] - spawns[1]];
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[0]).toBeLessThan(1600);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000);
    expect(gaps[1]).toBeLessThan(2600);
    const info = await d.rpc<Info>('supervisor.getProcessInfo', 'bad');
    expect(info.statename).toBe('FATAL');
    expect(info.description).toBe('Exited too quickly (process log may have details)');
  });

  it('autorestart=unexpected restarts only exit codes not in exitcodes', async () => {
    const d = await daemon(
      () => `
[program:ok3]
command=/bin/sh -c "sleep 0.3; exit 3"
startsecs=0
exitcodes=0,3
[program:bad4]
command=/bin/sh -c "sleep 0.3; exit 4"
startsecs=0
exitcodes=0,3
`,
    );
    await d.waitForLog(/exited: ok3 \(exit status 3; expected\)/);
    await d.waitForLog(/exited: bad4 \(exit status 4; not expected\)/);
    await waitFor(() => d.logCount(/spawned: 'bad4'/) >= 2, 'bad4 restarted', 5000);
    const ok3 = await d.rpc<Info>('supervisor.getProcessInfo', 'ok3');
    expect(ok3.statename).toBe('EXITED');
    expect(ok3.exitstatus).toBe(3);
    expect(d.logCount(/spawned: 'ok3'/)).toBe(1);
  });

  it('SIGKILLs a program that ignores SIGTERM after stopwaitsecs', async () => {
    const d = await daemon(
      (dir) => `
[program:stubborn]
command=/bin/sh -c "trap '' TERM; touch ${dir}/trapped; while :; do sleep 0.1; done"
startsecs=0
stopwaitsecs=1
`,
    );
    await d.waitForLog(/success: stubborn entered RUNNING/);
    // A TERM before the shell has run `trap` would kill it: wait for the trap.
    await waitFor(() => fs.existsSync(`${d.dir}/trapped`), 'the TERM trap to be set');
    const t0 = Date.now();
    expect(await d.rpc('supervisor.stopProcess', 'stubborn', true)).toBe(true);
    const elapsed = Date.now() - t0;
    expect(d.output()).toMatch(/WARN killing 'stubborn' \(\d+\) with SIGKILL/);
    expect(d.output()).toMatch(/stopped: stubborn \(terminated by SIGKILL\)/);
    expect(elapsed).toBeGreaterThanOrEqual(900);
  });

  it('stopasgroup stops the whole process group, grandchildren included', async () => {
    const d = await daemon(
      () => `
[program:tree]
command=/bin/sh -c "sleep 1000 & sleep 1000 & wait"
startsecs=0
stopasgroup=true
`,
    );
    await d.waitForLog(/success: tree entered RUNNING/);
    const info = await d.rpc<Info>('supervisor.getProcessInfo', 'tree');
    const grandchildren = await waitFor(() => {
      const kids = fs.readFileSync(`/proc/${info.pid}/task/${info.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return kids.length === 2 ? kids : null;
    }, 'two grandchildren');
    expect(await d.rpc('supervisor.stopProcess', 'tree', true)).toBe(true);
    await waitFor(() => grandchildren.every((p) => !alive(p)), 'grandchildren gone', 3000);
  });

  it('names numprocs processes with process_num and groups them under the program', async () => {
    const d = await daemon(
      () => `
[program:w]
command=/bin/sleep 1000
numprocs=3
numprocs_start=1
process_name=%(program_name)s_%(process_num)02d
startsecs=0
`,
    );
    await d.waitForLog(/success: w_03 entered RUNNING/);
    const all = await d.rpc<Info[]>('supervisor.getAllProcessInfo');
    expect(all.map((i) => `${i.group}:${i.name}`)).toEqual(['w:w_01', 'w:w_02', 'w:w_03']);
    const bare = await d.rpc<{ fault: { faultCode: number } }>('supervisor.getProcessInfo', 'w');
    expect(bare.fault.faultCode).toBe(10);
  });

  it('rotates a fast writer\'s log without losing or repeating a line', async () => {
    const lines = 1_500_000;
    const writer = `const l=[];let i=0;function w(){while(i<${lines}){let s='';for(let k=0;k<2000&&i<${lines};k++,i++)s+='line '+String(i).padStart(8,'0')+' xxxxxxxxxxxxxxxx\\n';if(!process.stdout.write(s))return process.stdout.once('drain',w);}process.exit(0)}w()`;
    const d = await daemon((dir) => {
      fs.writeFileSync(path.join(dir, 'writer.js'), writer);
      return `
[program:fast]
command=${process.execPath} ${path.join(dir, 'writer.js')}
startsecs=0
autorestart=false
stdout_logfile=${dir}/fast.log
stdout_logfile_maxbytes=4MB
stdout_logfile_backups=30
`;
    });
    await d.waitForLog(/exited: fast \(exit status 0; expected\)/, 60_000);
    await waitFor(() => fs.existsSync(path.join(d.dir, 'fast.log.1')), 'rotation happened');
    const files = fs
      .readdirSync(d.dir)
      .filter((f) => /^fast\.log(\.\d+)?$/.test(f))
      .sort((a, b) => Number(b.split('.')[2] ?? 0) - Number(a.split('.')[2] ?? 0));
    const text = files.map((f) => fs.readFileSync(path.join(d.dir, f), 'utf8')).join('');
    const got = text.split('\n').filter(Boolean);
    expect(got.length).toBe(lines);
    for (let i = 0; i < lines; i += 1) if (got[i] !== `line ${String(i).padStart(8, '0')} xxxxxxxxxxxxxxxx`) throw new Error(`line ${i} is ${got[i]}`);
    expect(files.length).toBeGreaterThan(5);
  }, 90_000);

  it('with sighup=update, SIGHUP applies an added, a changed and a removed program and leaves the rest running', async () => {
    const base = (extra: string) => (dir: string) => `
${supervisordSection(dir)}
sighup=update
[program:keep]
command=/bin/sleep 1000
startsecs=0
${extra}`;
    const d = await daemon(base(`
[program:change]
command=/bin/sleep 1000
startsecs=0
[program:gone]
command=/bin/sleep 1000
startsecs=0
`));
    await d.waitForLog(/success: gone entered RUNNING/);
    const before = await d.rpc<Info[]>('supervisor.getAllProcessInfo');
    const pid = (n: string, infos: Info[]) => infos.find((i) => i.name === n)!.pid;
    let text = base(`
[program:change]
command=/bin/sleep 999
startsecs=0
[program:new]
command=/bin/sleep 1000
startsecs=0
`)(d.dir);
    text += `\n[unix_http_server]\nfile=${d.socket}\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
    fs.writeFileSync(d.conf, text);
    d.proc.kill('SIGHUP');
    await d.waitForLog(/success: new entered RUNNING/);
    await d.waitForLog(/reload: added new, changed change, removed gone/);
    const after = await d.rpc<Info[]>('supervisor.getAllProcessInfo');
    expect(after.map((i) => i.name)).toEqual(['change', 'keep', 'new']);
    expect(pid('keep', after)).toBe(pid('keep', before));
    expect(pid('change', after)).not.toBe(pid('change', before));
    expect(alive(pid('gone', before))).toBe(false);
  });
});

describe('child environment', () => {
  it('children get svinit\'s environment, SUPERVISOR_*, [supervisord] environment, then their own', async () => {
    const d = await daemon(
      (dir) => `
${supervisordSection(dir)}
environment=GLOBAL="from supervisord",SHARED=global
[program:envdump]
command=/bin/sh -c "env > ${dir}/env.txt; umask > ${dir}/umask.txt; pwd > ${dir}/pwd.txt"
environment=SHARED=program,OWN=1
directory=/tmp
umask=027
startsecs=0
autorestart=false
`,
      { env: { FROM_PARENT: 'yes' } },
    );
    await d.waitForLog(/exited: envdump \(exit status 0; expected\)/);
    const env = Object.fromEntries(fs.readFileSync(path.join(d.dir, 'env.txt'), 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(env).toMatchObject({
      FROM_PARENT: 'yes',
      SUPERVISOR_ENABLED: '1',
      SUPERVISOR_PROCESS_NAME: 'envdump',
      SUPERVISOR_GROUP_NAME: 'envdump',
      SUPERVISOR_SERVER_URL: `unix://${d.socket}`,
      GLOBAL: 'from supervisord',
      SHARED: 'program',
      OWN: '1',
    });
    expect(fs.readFileSync(path.join(d.dir, 'umask.txt'), 'utf8').trim()).toBe('0027');
    expect(fs.readFileSync(path.join(d.dir, 'pwd.txt'), 'utf8').trim()).toBe('/tmp');
  });

  it('a bad config exits 2 and starts nothing', async () => {
    const dir = tmpDir();
    const marker = path.join(dir, 'started');
    fs.writeFileSync(path.join(dir, 'bad.conf'), `[supervisord]\nlogfile=${dir}/l.log\npidfile=${dir}/p.pid\n[program:ok]\ncommand=/bin/touch ${marker}\n[program:bad]\ncommand=/bin/true\nstartsecs=soon\n`);
    const r = spawnSync(process.execPath, [SVINIT, '-n', '-c', path.join(dir, 'bad.conf')], { encoding: 'utf8', env: { ...process.env, SVINIT_CONTAINER: '0' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Error: invalid literal for int() with base 10: 'soon' in section 'program:bad'");
    expect(r.stderr).toContain(`bad.conf:8 [program:bad] key 'startsecs'`);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('channels whose target is the container output', () => {
  it('keep their last output in memory for tail and the log-reading calls', async () => {
    const d = await daemon(
      () => `
[program:quiet]
command=/bin/sh -c "echo to-nowhere; echo err-too >&2; exec sleep 1000"
stdout_logfile=/dev/stdout
stderr_logfile=/dev/stderr
startsecs=0
`,
    );
    await waitFor(async () => (await d.rpc<string>('supervisor.readProcessStdoutLog', 'quiet', -100, 0)) === 'to-nowhere\n', 'stdout in the tail buffer');
    expect(await d.rpc('supervisor.readProcessStderrLog', 'quiet', 0, 0)).toBe('err-too\n');
    expect(await d.rpc('supervisor.tailProcessStdoutLog', 'quiet', 0, 100)).toEqual(['to-nowhere\n', 11, false]);
  });
});

describe('minfds and minprocs', () => {
  it('raises RLIMIT_NOFILE for svinit and its programs', async () => {
    const d = await daemon(
      (dir) => `
${supervisordSection(dir)}
minfds=4321
[program:limits]
command=/bin/sh -c "ulimit -n > ${dir}/nofile; exec sleep 1000"
startsecs=0
`,
    );
    await waitFor(() => fs.existsSync(path.join(d.dir, 'nofile')) && fs.readFileSync(path.join(d.dir, 'nofile'), 'utf8').trim() !== '', 'limit written');
    const n = fs.readFileSync(path.join(d.dir, 'nofile'), 'utf8').trim();
    expect(n === 'unlimited' || Number(n) >= 4321).toBe(true);
  });

  it('refuses to start, exit 2, when the limit cannot be had', () => {
    const dir = tmpDir();
    fs.chmodSync(dir, 0o777);
    const conf = path.join(dir, 'lim.conf');
    fs.writeFileSync(conf, `[supervisord]\nlogfile=${dir}/l.log\npidfile=${dir}/p.pid\nminfds=100000\n[program:x]\ncommand=/bin/true\n`);
    fs.chmodSync(conf, 0o644);
    // As nobody, with a hard limit below minfds, the limit cannot be raised.
    const r = spawnSync('bash', ['-c', `ulimit -Sn 1024 && ulimit -Hn 2000 && exec setpriv --reuid 65534 --regid 65534 --clear-groups ${process.execPath} ${SVINIT} -n -c ${conf}`], {
      encoding: 'utf8',
      env: { ...process.env, SVINIT_CONTAINER: '0' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^Error: The minimum number of file descriptors required to run this process is 100000 as per the "minfds" command-line argument or config file setting\./);
  });
});
