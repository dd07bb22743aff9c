// Fakes for state-machine tests: a spawner whose children exit when the test says so, a memory
// logger, and config builders that do not go through the parser; and the spawn request the real
// spawners' tests start from.

import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { byPriorityThenName } from '../../src/config/order.js';
import { beforeEach } from 'vitest';
import type { ChannelConfig, Config, GroupConfig, ProcessConfig } from '../../src/config/types.js';
import { ActiveGroups } from '../../src/engine/active-groups.js';
import { FakeClock } from './fake-clock.js';
import type { ProcessContext } from '../../src/engine/context.js';
import { ProcessGroup } from '../../src/engine/group.js';
import type { Process } from '../../src/engine/process.js';
import { Supervisor, type SupervisorDeps } from '../../src/engine/supervisor.js';
import type { ProcessStateFact } from '../../src/engine/facts.js';
import type { ChildHandle, Clock, ExitInfo, SpawnRequest, Spawner } from '../../src/engine/types.js';
import type { ActivityLogger } from '../../src/logging/types.js';

/** A request to spawn `argv` as is (no user, directory or umask), with a minimal PATH. */
export function spawnRequest(argv: string[], more: Partial<SpawnRequest> = {}): SpawnRequest {
  return { file: argv[0], argv, env: { PATH: '/usr/bin:/bin' }, cwd: null, umask: null, uid: null, gid: null, user: null, redirectStderr: false, ...more };
}

export class FakeChild extends EventEmitter implements ChildHandle {
  stdin = new PassThrough();
  stdout = new PassThrough();
  stderr = new PassThrough();
  exited = false;
  private exitCb: ((e: ExitInfo) => void) | null = null;
  constructor(
    public readonly pid: number,
    public readonly req: SpawnRequest,
  ) {
    super();
  }
  onExit(cb: (exit: ExitInfo) => void): void {
    this.exitCb = cb;
  }
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exited) return;
    this.exited = true;
    this.stdout.end();
    this.stderr.end();
    this.exitCb?.({ code, signal });
  }
}

export class FakeSpawner implements Spawner {
  nextPid = 1000;
  children: FakeChild[] = [];
  kills: Array<{ pid: number; signal: number }> = [];
  /** Signals a child dies of when it receives them (default TERM, INT, KILL; QUIT too). */
  fatalSignals = new Set([15, 2, 9, 3]);
  /** Pids that ignore everything but SIGKILL. */
  stubborn = new Set<number>();
  failNext: string | null = null;

  spawn(req: SpawnRequest): ChildHandle {
    if (this.failNext) {
      const code = this.failNext;
      this.failNext = null;
      const e = new Error(`spawn ${req.file} ${code}`) as NodeJS.ErrnoException;
      e.code = code;
      throw e;
    }
    const child = new FakeChild(this.nextPid++, req);
    this.children.push(child);
    return child;
  }

  kill(pid: number, signal: number): void {
    this.kills.push({ pid, signal });
    const child = this.children.find((c) => c.pid === Math.abs(pid) && !c.exited);
    if (!child) {
      const e = new Error('kill ESRCH') as NodeJS.ErrnoException;
      e.code = 'ESRCH';
      throw e;
    }
    if (signal === 9 || (this.fatalSignals.has(signal) && !this.stubborn.has(child.pid))) {
      const name = ({ 15: 'SIGTERM', 2: 'SIGINT', 9: 'SIGKILL', 3: 'SIGQUIT' } as Record<number, NodeJS.Signals>)[signal];
      // Death is reported asynchronously, as a real reap would be.
      queueMicrotask(() => child.exit(null, name));
    }
  }

  last(): FakeChild {
    return this.children[this.children.length - 1];
  }

  live(): FakeChild[] {
    return this.children.filter((c) => !c.exited);
  }
}

export class MemoryLogger implements ActivityLogger {
  lines: string[] = [];
  path: string | null = null;
  private add(level: string, msg: string) {
    this.lines.push(`${level} ${msg}`);
  }
  critical(m: string) {
    this.add('CRIT', m);
  }
  error(m: string) {
    this.add('ERRO', m);
  }
  warn(m: string) {
    this.add('WARN', m);
  }
  info(m: string) {
    this.add('INFO', m);
  }
  debug(m: string) {
    this.add('DEBG', m);
  }
  trace(m: string) {
    this.add('TRAC', m);
  }
  blather(m: string) {
    this.add('BLAT', m);
  }
  isEnabled() {
    return true;
  }
  reopen() {}
  clear() {}
  async close() {}
  has(fragment: string): boolean {
    return this.lines.some((l) => l.includes(fragment));
  }
}

const channel = (): ChannelConfig => ({
  logfile: { kind: 'none' },
  logfileMaxbytes: 50 * 1024 * 1024,
  logfileBackups: 10,
  captureMaxbytes: 0,
  eventsEnabled: false,
  syslog: false,
});

export function processConfig(name: string, over: Partial<ProcessConfig> = {}): ProcessConfig {
  return {
    kind: 'program',
    name,
    programName: name,
    groupName: name,
    command: '/bin/sleep 1000',
    processNum: 0,
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    startsecs: 1,
    startretries: 3,
    exitcodes: [0],
    stopsignal: 15,
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    user: null,
    uid: null,
    gid: null,
    redirectStderr: false,
    stdout: channel(),
    stderr: channel(),
    environment: {},
    directory: null,
    umask: null,
    serverurl: null,
    section: `program:${name}`,
    source: { file: '/test.conf', line: 1 },
    ...over,
  };
}

export function programGroup(name: string, over: Partial<ProcessConfig> = {}, groupPriority?: number): GroupConfig {
  const pc = processConfig(name, over);
  return { name, kind: 'program', priority: groupPriority ?? pc.priority, processes: [pc] };
}

export function makeConfig(groups: GroupConfig[]): Config {
  return {
    configFile: '/test.conf',
    supervisord: {
      logfile: '/dev/null',
      logfileMaxbytes: 0,
      logfileBackups: 0,
      loglevel: 'info',
      pidfile: null,
      umask: 0o22,
      nodaemon: true,
      silent: true,
      minfds: 1024,
      minprocs: 200,
      nocleanup: true,
      childlogdir: '/tmp',
      user: null,
      directory: null,
      stripAnsi: false,
      environment: {},
      identifier: 'supervisor',
      sighup: 'restart',
      forwardOutput: 'none',
      prefixOutput: true,
    },
    supervisorctl: null,
    groups: [...groups].sort(byPriorityThenName),
    httpServers: [],
    rpcInterfaces: ['supervisor'],
    warnings: [],
    infos: [],
  };
}

/** A ProcessContext around fakes, for testing engine modules without a Supervisor. */
export function fakeContext(clock: Clock, spawner: Spawner, logger: ActivityLogger, over: Partial<ProcessContext<Process>> = {}): ProcessContext<Process> {
  return {
    clock,
    spawner,
    logger,
    env: { PATH: '/usr/bin:/bin' },
    moodRunning: () => true,
    childEnv: () => ({}),
    checkChildSetup: () => null,
    openChannelLog: () => null,
    onStateChange: () => {},
    ...over,
  };
}

/** Active groups built from group configs (not yet started). */
export function activeGroups(configs: GroupConfig[], ctx: ProcessContext<Process>): ActiveGroups {
  const groups = new ActiveGroups();
  for (const gc of configs) groups.set(new ProcessGroup(gc, ctx));
  return groups;
}

/** A started Supervisor on fakes, its state changes recorded in `transitions` (nothing logged to files, AUTO logs unused, reread returns `config`). */
export function bootSupervisor(
  config: Config,
  fakes: { clock: Clock; spawner: Spawner; logger: ActivityLogger; transitions?: ProcessStateFact[] },
  over: Partial<SupervisorDeps> = {},
): Supervisor {
  const { transitions, ...engineFakes } = fakes;
  const sup = new Supervisor({
    config,
    ...engineFakes,
    env: { PATH: '/usr/bin:/bin' },
    openChannelLog: () => null,
    resolveAutoLog: () => '/tmp/auto.log',
    rereadConfig: () => config,
    ...over,
  });
  if (transitions) sup.facts.on('processState', (f) => transitions.push(f));
  sup.start();
  return sup;
}

/** A fresh fake clock, spawner, logger and list of recorded state changes, for one test. */
export function engineFakes() {
  return { clock: new FakeClock(), spawner: new FakeSpawner(), logger: new MemoryLogger(), transitions: [] as ProcessStateFact[] };
}

/** Fresh fakes before each test of the file (read them as t.clock, t.spawner, …) and a boot() on them. */
export function engineTest() {
  const t = { ...engineFakes(), boot: (config: Config, over: Partial<SupervisorDeps> = {}) => bootSupervisor(config, t, over) };
  beforeEach(() => Object.assign(t, engineFakes()));
  return t;
}
