// supervisorctl's commands (supervisorctl.py Controller + DefaultControllerPlugin): the same
// arguments, output text and exit codes.

import http from 'node:http';
import { makeNamespec, splitNamespec } from '../config/namespec.js';
import { Faults } from '../engine/errors.js';
import { authHeader, connectOptions, ProtocolError, RpcClient, RpcFault, type ServerTarget } from './transport.js';

/** LSB init exit statuses supervisorctl uses. */
export const Exit = { SUCCESS: 0, GENERIC: 1, INVALID_ARGS: 2, UNIMPLEMENTED_FEATURE: 3, INSUFFICIENT_PRIVILEGES: 4, NOT_INSTALLED: 5, NOT_RUNNING: 7 };
/** LSB status exit statuses (for `status`). */
const StatusExit = { NOT_RUNNING: 3, UNKNOWN: 4 };

const DEAD_PROGRAM_FAULTS = [Faults.SPAWN_ERROR, Faults.ABNORMAL_TERMINATION, Faults.NOT_RUNNING];
const STOPPED_STATES = [0, 100, 200, 1000];

interface ProcessInfo {
  name: string;
  group: string;
  state: number;
  statename: string;
  description: string;
  pid: number;
}
interface Result {
  name: string;
  group: string;
  status: number;
  description: string;
}

export const COMMANDS = ['add', 'avail', 'clear', 'exit', 'fg', 'maintail', 'open', 'pid', 'quit', 'reload', 'remove', 'reread', 'restart', 'shutdown', 'signal', 'start', 'status', 'stop', 'tail', 'update', 'version'];

const HELP: Record<string, string[]> = {
  help: ['help\t\tPrint a list of available actions', 'help <action>\tPrint help for <action>'],
  EOF: ['To quit, type ^D or use the quit command'],
  tail: [
    'tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr',
  ],
  maintail: ['maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\nmaintail -100\tlast 100 *bytes* of supervisord main log file\nmaintail\tlast 1600 *bytes* of supervisor main log file\n'],
  quit: ['quit\tExit the supervisor shell.'],
  exit: ['exit\tExit the supervisor shell.'],
  status: ['status <name>\t\tGet status for a single process', 'status <gname>:*\tGet status for all processes in a group', 'status <name> <name>\tGet status for multiple named processes', 'status\t\t\tGet all process status info'],
  pid: ['pid\t\t\tGet the PID of supervisord.', 'pid <name>\t\tGet the PID of a single child process by name.', 'pid all\t\t\tGet the PID of every child process, one per line.'],
  start: ['start <name>\t\tStart a process', 'start <gname>:*\t\tStart all processes in a group', 'start <name> <name>\tStart multiple processes or groups', 'start all\t\tStart all processes'],
  stop: ['stop <name>\t\tStop a process', 'stop <gname>:*\t\tStop all processes in a group', 'stop <name> <name>\tStop multiple processes or groups', 'stop all\t\tStop all processes'],
  signal: ['signal <signal name> <name>\t\tSignal a process', 'signal <signal name> <gname>:*\t\tSignal all processes in a group', 'signal <signal name> <name> <name>\tSignal multiple processes or groups', 'signal <signal name> all\t\tSignal all processes'],
  restart: ['restart <name>\t\tRestart a process', 'restart <gname>:*\tRestart all processes in a group', 'restart <name> <name>\tRestart multiple processes or groups', 'restart all\t\tRestart all processes', 'Note: restart does not reread config files. For that, see reread and update.'],
  shutdown: ['shutdown \tShut the remote supervisord down.'],
  reload: ['reload \t\tRestart the remote supervisord.'],
  avail: ['avail\t\t\tDisplay all configured processes'],
  reread: ["reread \t\t\tReload the daemon's configuration files without add/remove"],
  add: ['add <name> [...]\tActivates any updates in config for process/group'],
  remove: ['remove <name> [...]\tRemoves process/group from active config'],
  update: ['update\t\t\tReload config and add/remove as necessary, and will restart affected programs', 'update all\t\tReload config and add/remove as necessary, and will restart affected programs', 'update <gname> [...]\tUpdate specific groups'],
  clear: ["clear <name>\t\tClear a process' log files.", "clear <name> <name>\tClear multiple process' log files", "clear all\t\tClear all process' log files"],
  open: ['open <url>\tConnect to a remote supervisord process.', '\t\t(for UNIX domain socket, use unix:///socket/path)'],
  version: ['version\t\t\tShow the version of the remote supervisord process'],
  fg: ['fg <process>\tConnect to a process in foreground mode', '\t\tCtrl-C to exit'],
};

const TOPICS = `
default commands (type help <topic>):
=====================================
add    exit      open  reload  restart   start   tail   
avail  fg        pid   remove  shutdown  status  update 
clear  maintail  quit  reread  signal    stop    version
`;

export interface ControllerIO {
  write(s: string): void;
  /** Asks a question in interactive mode; null when there is no terminal. */
  ask?(prompt: string): Promise<string | null>;
  /** Lines typed by the user (fg); resolves null at EOF. */
  readLine?(): Promise<string | null>;
  isTTY?: boolean;
  /** Resolves when the user interrupts (Ctrl-C) a streaming command. */
  interrupted?: Promise<void>;
}

const COLOURS: Record<string, string> = { RUNNING: '\x1b[32m', STARTING: '\x1b[33m', BACKOFF: '\x1b[31m', FATAL: '\x1b[31m', STOPPING: '\x1b[33m', EXITED: '\x1b[33m', UNKNOWN: '\x1b[31m' };

export class Controller {
  exitstatus = Exit.SUCCESS;
  readonly client: RpcClient;
  interactive = false;

  constructor(
    public target: ServerTarget,
    private readonly io: ControllerIO,
  ) {
    this.client = new RpcClient(target);
  }

  output(s: string): void {
    this.io.write(`${s}\n`);
  }

  private call<T>(method: string, ...params: (string | number | boolean)[]): Promise<T> {
    return this.client.call<T>(`supervisor.${method}`, ...params);
  }

  /** One command line; returns true when the shell should exit. */
  async onecmd(line: string): Promise<boolean> {
    const trimmed = line.trim();
    if (!trimmed) return false;
    const m = /^(\S+)\s*(.*)$/s.exec(trimmed)!;
    let [, cmd, arg] = m;
    if (cmd === '?') cmd = 'help';
    if (cmd === 'EOF' || cmd === 'quit' || cmd === 'exit') return true;
    const fn = (this as unknown as Record<string, (a: string) => Promise<void>>)[`do_${cmd}`];
    if (!/^[a-z]+$/.test(cmd) || typeof fn !== 'function') {
      this.output(`*** Unknown syntax: ${trimmed}`);
      this.exitstatus = Exit.GENERIC;
      return false;
    }
    try {
      await fn.call(this, arg.trim());
    } catch (e) {
      if (e instanceof ProtocolError && e.status === 401) {
        this.output('Server requires authentication');
        this.exitstatus = Exit.GENERIC;
        if (this.interactive && this.io.ask) {
          const user = await this.io.ask('Username:');
          const pass = await this.io.ask('Password:');
          this.output('');
          if (user !== null && pass !== null) {
            this.target.username = user;
            this.target.password = pass;
            return this.onecmd(line);
          }
        }
        return false;
      }
      const err = e as Error & { code?: string };
      this.output(`error: ${err.constructor?.name ?? 'Error'}, ${err.code ? `${err.code} ` : ''}${err.message}`);
      this.exitstatus = Exit.GENERIC;
    }
    return false;
  }

  /** supervisorctl's upcheck: is there a supervisord speaking API 3.0? */
  async upcheck(): Promise<boolean> {
    try {
      const api = await this.call<string>('getVersion');
      if (api !== '3.0') {
        this.output(`Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, but the remote version is ${api}.`);
        this.exitstatus = Exit.NOT_INSTALLED;
        return false;
      }
    } catch (e) {
      if (e instanceof RpcFault) {
        if (e.faultCode === Faults.UNKNOWN_METHOD) {
          this.output(
            'Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).',
          );
          this.exitstatus = Exit.UNIMPLEMENTED_FEATURE;
          return false;
        }
        this.exitstatus = Exit.GENERIC;
        throw e;
      }
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED') {
        this.output(`${this.target.serverurl} refused connection`);
        this.exitstatus = Exit.INSUFFICIENT_PRIVILEGES;
        return false;
      }
      if (code === 'ENOENT') {
        this.output(`${this.target.serverurl} no such file`);
        this.exitstatus = Exit.NOT_RUNNING;
        return false;
      }
      this.exitstatus = Exit.GENERIC;
      throw e;
    }
    return true;
  }

  private setExitFromFault(code: number, ignored?: number): void {
    if (code === ignored || code === Faults.SUCCESS) return;
    this.exitstatus = DEAD_PROGRAM_FAULTS.includes(code as never) ? Exit.NOT_RUNNING : Exit.GENERIC;
  }

  private help(topic: string): void {
    for (const l of HELP[topic] ?? []) this.output(l);
  }

  // ------------------------------------------------------------------ commands

  async do_help(arg: string): Promise<void> {
    if (!arg) {
      this.io.write(`${TOPICS}\n`);
      return;
    }
    if (HELP[arg]) this.help(arg);
    else this.output(`*** No help on ${arg}`);
  }

  async do_status(arg: string): Promise<void> {
    if (!(await this.upcheck())) {
      this.exitstatus = StatusExit.UNKNOWN;
      return;
    }
    const all = await this.call<ProcessInfo[]>('getAllProcessInfo');
    const names = arg.split(/\s+/).filter(Boolean);
    let matching: ProcessInfo[] = [];
    if (!names.length || names.includes('all')) matching = all;
    else
      for (const name of names) {
        const [g, p] = splitNamespec(name);
        let bad = true;
        for (const info of all) {
          if (info.group === g && (p === null || info.name === p)) {
            bad = false;
            matching.push(info);
          }
        }
        if (bad) {
          this.output(p === null ? `${g}: ERROR (no such group)` : `${name}: ERROR (no such process)`);
          this.exitstatus = StatusExit.UNKNOWN;
        }
      }
    this.showStatuses(matching);
    for (const info of matching) if (STOPPED_STATES.includes(info.state)) this.exitstatus = StatusExit.NOT_RUNNING;
  }

  private showStatuses(infos: ProcessInfo[]): void {
    const specs = infos.map((i) => makeNamespec(i.group, i.name));
    const width = Math.max(30, ...specs.map((s) => s.length)) + 3;
    infos.forEach((info, i) => {
      const state = info.statename.padEnd(10);
      // Colour only on a terminal: scripts and pipes get supervisorctl's exact bytes.
      const shown = this.io.isTTY && COLOURS[info.statename] ? `${COLOURS[info.statename]}${info.statename}\x1b[0m${' '.repeat(10 - info.statename.length)}` : state;
      this.output(`${specs[i].padEnd(width)}${shown}${info.description}`);
    });
  }

  async do_pid(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    const names = arg.split(/\s+/).filter(Boolean);
    if (!names.length) {
      this.output(String(await this.call<number>('getPID')));
    } else if (names.includes('all')) {
      for (const info of await this.call<ProcessInfo[]>('getAllProcessInfo')) this.output(String(info.pid));
    } else {
      for (const name of names) {
        try {
          const info = await this.call<ProcessInfo>('getProcessInfo', name);
          this.output(String(info.pid));
          if (info.pid === 0) this.exitstatus = Exit.NOT_RUNNING;
        } catch (e) {
          this.exitstatus = Exit.GENERIC;
          if (e instanceof RpcFault && e.faultCode === Faults.BAD_NAME) this.output(`No such process ${name}`);
          else throw e;
        }
      }
    }
  }

  private startResult(r: Result): string {
    const name = makeNamespec(r.group, r.name);
    const words: Record<number, string> = {
      [Faults.BAD_NAME]: 'no such process',
      [Faults.NO_FILE]: 'no such file',
      [Faults.NOT_EXECUTABLE]: 'file is not executable',
      [Faults.ALREADY_STARTED]: 'already started',
      [Faults.SPAWN_ERROR]: 'spawn error',
      [Faults.ABNORMAL_TERMINATION]: 'abnormal termination',
    };
    if (r.status === Faults.SUCCESS) return `${name}: started`;
    if (words[r.status]) return `${name}: ERROR (${words[r.status]})`;
    throw new Error(`Unknown result code ${r.status} for ${name}`);
  }

  private signalResult(r: Result, success = 'signalled'): string {
    const name = makeNamespec(r.group, r.name);
    if (r.status === Faults.BAD_NAME) return `${name}: ERROR (no such process)`;
    if (r.status === Faults.BAD_SIGNAL) return `${name}: ERROR (bad signal name)`;
    if (r.status === Faults.NOT_RUNNING) return `${name}: ERROR (not running)`;
    if (r.status === Faults.SUCCESS) return `${name}: ${success}`;
    if (r.status === Faults.FAILED) return r.description;
    throw new Error(`Unknown result code ${r.status} for ${name}`);
  }

  /** The shared shape of start/stop/signal: all, groups, single processes. */
  private async forNames(
    names: string[],
    all: () => Promise<Result[]>,
    group: (g: string) => Promise<Result[]>,
    one: (ns: string) => Promise<unknown>,
    format: (r: Result) => string,
    ignored: number | undefined,
    successWord: string,
    badGroupExit: number,
  ): Promise<void> {
    if (names.includes('all')) {
      for (const r of await all()) {
        this.output(format(r));
        this.setExitFromFault(r.status, ignored);
      }
      return;
    }
    for (const name of names) {
      const [g, p] = splitNamespec(name);
      if (p === null) {
        try {
          for (const r of await group(g)) {
            this.output(format(r));
            this.setExitFromFault(r.status, ignored);
          }
        } catch (e) {
          if (e instanceof RpcFault && e.faultCode === Faults.BAD_NAME) {
            this.output(`${g}: ERROR (no such group)`);
            this.exitstatus = badGroupExit;
          } else {
            this.exitstatus = Exit.GENERIC;
            throw e;
          }
        }
      } else {
        try {
          await one(name);
          this.output(`${makeNamespec(g, p)}: ${successWord}`);
        } catch (e) {
          if (!(e instanceof RpcFault)) throw e;
          const r = { status: e.faultCode, name: p, group: g, description: e.faultString };
          this.output(format(r));
          this.setExitFromFault(r.status, ignored);
        }
      }
    }
  }

  async do_start(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    const names = arg.split(/\s+/).filter(Boolean);
    if (!names.length) {
      this.output('Error: start requires a process name');
      this.exitstatus = Exit.INVALID_ARGS;
      this.help('start');
      return;
    }
    await this.forNames(
      names,
      () => this.call('startAllProcesses'),
      (g) => this.call('startProcessGroup', g),
      (ns) => this.call('startProcess', ns),
      (r) => this.startResult(r),
      Faults.ALREADY_STARTED,
      'started',
      Exit.INVALID_ARGS,
    );
  }

  async do_stop(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    const names = arg.split(/\s+/).filter(Boolean);
    if (!names.length) {
      this.output('Error: stop requires a process name');
      this.exitstatus = Exit.GENERIC;
      this.help('stop');
      return;
    }
    await this.forNames(
      names,
      () => this.call('stopAllProcesses'),
      (g) => this.call('stopProcessGroup', g),
      (ns) => this.call('stopProcess', ns),
      (r) => this.signalResult(r, 'stopped'),
      Faults.NOT_RUNNING,
      'stopped',
      Exit.GENERIC,
    );
  }

  async do_signal(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    const args = arg.split(/\s+/).filter(Boolean);
    if (args.length < 2) {
      this.output('Error: signal requires a signal name and a process name');
      this.help('signal');
      this.exitstatus = Exit.GENERIC;
      return;
    }
    const [sig, ...names] = args;
    await this.forNames(
      names,
      () => this.call('signalAllProcesses', sig),
      (g) => this.call('signalProcessGroup', g, sig),
      (ns) => this.call('signalProcess', ns, sig),
      (r) => this.signalResult(r),
      undefined,
      'signalled',
      Exit.GENERIC,
    );
  }

  async do_restart(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    if (!arg.trim()) {
      this.output('Error: restart requires a process name');
      this.exitstatus = Exit.GENERIC;
      this.help('restart');
      return;
    }
    await this.do_stop(arg);
    await this.do_start(arg);
  }

  async do_clear(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    const names = arg.split(/\s+/).filter(Boolean);
    if (!names.length) {
      this.output('Error: clear requires a process name');
      this.exitstatus = Exit.GENERIC;
      this.help('clear');
      return;
    }
    const fmt = (r: Result) => {
      const name = makeNamespec(r.group, r.name);
      if (r.status === Faults.BAD_NAME) return `${name}: ERROR (no such process)`;
      if (r.status === Faults.FAILED) return `${name}: ERROR (failed)`;
      if (r.status === Faults.SUCCESS) return `${name}: cleared`;
      throw new Error(`Unknown result code ${r.status} for ${name}`);
    };
    if (names.includes('all')) {
      for (const r of await this.call<Result[]>('clearAllProcessLogs')) {
        this.output(fmt(r));
        this.setExitFromFault(r.status);
      }
      return;
    }
    for (const name of names) {
      const [g, p] = splitNamespec(name);
      try {
        await this.call('clearProcessLogs', name);
        this.output(`${makeNamespec(g, p ?? g)}: cleared`);
      } catch (e) {
        if (!(e instanceof RpcFault)) throw e;
        this.output(fmt({ status: e.faultCode, name: p ?? '', group: g, description: e.faultString }));
        this.setExitFromFault(e.faultCode);
      }
    }
  }

  async do_tail(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    const args = arg.split(/\s+/).filter(Boolean);
    if (args.length < 1) {
      this.output('Error: too few arguments');
      this.exitstatus = Exit.GENERIC;
      this.help('tail');
      return;
    }
    if (args.length > 3) {
      this.output('Error: too many arguments');
      this.exitstatus = Exit.GENERIC;
      this.help('tail');
      return;
    }
    const modifier = args[0].startsWith('-') ? args.shift()! : null;
    let name: string;
    let channel = 'stdout';
    if (args.length === 1) name = args[0];
    else if (args.length) {
      name = args[0];
      channel = args[args.length - 1].toLowerCase();
      if (channel !== 'stdout' && channel !== 'stderr') {
        this.output(`Error: bad channel '${channel}'`);
        this.exitstatus = Exit.GENERIC;
        return;
      }
    } else {
      this.output('Error: tail requires process name');
      this.exitstatus = Exit.GENERIC;
      return;
    }
    let bytes = 1600;
    if (modifier) {
      const what = modifier.slice(1);
      if (what === 'f') return this.tailf(`/logtail/${name}/${channel}`);
      if (!/^[-+]?\d+$/.test(what)) {
        this.output(`Error: bad argument ${modifier}`);
        this.exitstatus = Exit.GENERIC;
        return;
      }
      bytes = Number(what);
    }
    try {
      const out = await this.call<string>(channel === 'stdout' ? 'readProcessStdoutLog' : 'readProcessStderrLog', name, -bytes, 0);
      this.output(out);
    } catch (e) {
      if (!(e instanceof RpcFault)) throw e;
      this.exitstatus = Exit.GENERIC;
      if (e.faultCode === Faults.NO_FILE) this.output(`${name}: ERROR (no log file)`);
      else if (e.faultCode === Faults.FAILED) this.output(`${name}: ERROR (unknown error reading log)`);
      else if (e.faultCode === Faults.BAD_NAME) this.output(`${name}: ERROR (no such process name)`);
      else throw e;
    }
  }

  async do_maintail(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    const args = arg.split(/\s+/).filter(Boolean);
    let bytes = 1600;
    if (args.length > 1) {
      this.output('Error: too many arguments');
      this.exitstatus = Exit.GENERIC;
      this.help('maintail');
      return;
    }
    if (args.length === 1) {
      if (!args[0].startsWith('-')) {
        this.output(`Error: bad argument ${args[0]}`);
        this.exitstatus = Exit.GENERIC;
        return;
      }
      const what = args[0].slice(1);
      if (what === 'f') return this.tailf('/mainlogtail');
      if (!/^[-+]?\d+$/.test(what)) {
        this.output(`Error: bad argument ${args[0]}`);
        this.exitstatus = Exit.GENERIC;
        return;
      }
      bytes = Number(what);
    }
    try {
      this.output(await this.call<string>('readLog', -bytes, 0));
    } catch (e) {
      if (!(e instanceof RpcFault)) throw e;
      this.exitstatus = Exit.GENERIC;
      if (e.faultCode === Faults.NO_FILE) this.output('supervisord: ERROR (no log file)');
      else if (e.faultCode === Faults.FAILED) this.output('supervisord: ERROR (unknown error reading log)');
      else throw e;
    }
  }

  /** tail -f: a raw HTTP GET of the logtail stream, printed until Ctrl-C or the server closes it. */
  private tailf(path: string, onData?: (s: string) => void): Promise<void> {
    if (!onData) this.output('==> Press Ctrl-C to exit <==');
    return new Promise((resolve) => {
      const req = http.request(
        {
          ...connectOptions(this.target.serverurl),
          method: 'GET',
          path,
          headers: { 'User-agent': 'Supervisor HTTP Client', 'Accept-Encoding': 'chunked', ...authHeader(this.target) },
        },
        (res) => {
          if (res.statusCode !== 200) {
            process.stderr.write(`${this.target.serverurl}${path} Cannot read, status code ${res.statusCode}\n`);
            res.resume();
            resolve();
            return;
          }
          res.on('data', (d: Buffer) => (onData ? onData(d.toString('utf8')) : this.io.write(d.toString('utf8'))));
          res.on('end', () => resolve());
          res.on('error', () => resolve());
        },
      );
      req.on('error', (e) => {
        this.output(`${this.target.serverurl} ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'refused connection'}`);
        resolve();
      });
      req.end();
      void this.io.interrupted?.then(() => {
        req.destroy();
        this.output('');
        resolve();
      });
    });
  }

  async do_fg(arg: string): Promise<void> {
    if (!(await this.upcheck())) return;
    const names = arg.split(/\s+/).filter(Boolean);
    if (!names.length) {
      this.output('ERROR: no process name supplied');
      this.exitstatus = Exit.GENERIC;
      this.help('fg');
      return;
    }
    if (names.length > 1) {
      this.output('ERROR: too many process names supplied');
      this.exitstatus = Exit.GENERIC;
      return;
    }
    const name = names[0];
    let info: ProcessInfo;
    try {
      info = await this.call<ProcessInfo>('getProcessInfo', name);
    } catch (e) {
      if (e instanceof RpcFault && e.faultCode === Faults.BAD_NAME) {
        this.output('ERROR: bad process name supplied');
        this.exitstatus = Exit.GENERIC;
      } else this.output(`ERROR: ${(e as Error).message}`);
      return;
    }
    if (info.state !== 20) {
      this.output('ERROR: process not running');
      this.exitstatus = Exit.GENERIC;
      return;
    }
    this.output('==> Press Ctrl-C to exit <==');
    const write = (s: string) => this.io.write(s);
    const streams = [this.tailf(`/logtail/${name}/stdout`, write), this.tailf(`/logtail/${name}/stderr`, write)];
    void streams;
    for (;;) {
      const line = this.io.readLine ? await this.io.readLine() : null;
      if (line === null) {
        this.output('Exiting foreground');
        return;
      }
      try {
        await this.call('sendProcessStdin', name, `${line}\n`);
      } catch (e) {
        if (e instanceof RpcFault && e.faultCode === Faults.NOT_RUNNING) this.output('Process got killed');
        else this.output(`ERROR: ${(e as Error).message}`);
        this.output('Exiting foreground');
        return;
      }
      const now = await this.call<ProcessInfo>('getProcessInfo', name);
      if (now.state !== 20) {
        this.output('Process got killed');
        this.output('Exiting foreground');
        return;
      }
    }
  }

  async do_avail(arg: string): Promise<void> {
    if (arg) {
      this.output('Error: avail accepts no arguments');
      this.exitstatus = Exit.GENERIC;
      this.help('avail');
      return;
    }
    try {
      const infos = await this.call<Array<{ group: string; name: string; inuse: boolean; autostart: boolean; group_prio: number; process_prio: number }>>('getAllConfigInfo');
      for (const c of infos)
        this.output(`${makeNamespec(c.group, c.name).padEnd(32)} ${(c.inuse ? 'in use' : 'avail').padEnd(9)} ${(c.autostart ? 'auto' : 'manual').padEnd(9)} ${c.group_prio}:${c.process_prio}`);
    } catch (e) {
      this.exitstatus = Exit.GENERIC;
      if (e instanceof RpcFault && e.faultCode === Faults.SHUTDOWN_STATE) this.output('ERROR: supervisor shutting down');
      else throw e;
    }
  }

  async do_reread(arg: string): Promise<void> {
    if (arg) {
      this.output('Error: reread accepts no arguments');
      this.exitstatus = Exit.GENERIC;
      this.help('reread');
      return;
    }
    try {
      const [[added, changed, removed]] = await this.call<string[][][]>('reloadConfig');
      const changes = new Map<string, string>();
      for (const [names, word] of [
        [added, 'available'],
        [changed, 'changed'],
        [removed, 'disappeared'],
      ] as const)
        for (const n of names) changes.set(n, word);
      if (!changes.size) this.output('No config updates to processes');
      for (const n of [...changes.keys()].sort()) this.output(`${n}: ${changes.get(n)}`);
    } catch (e) {
      this.exitstatus = Exit.GENERIC;
      if (e instanceof RpcFault && e.faultCode === Faults.SHUTDOWN_STATE) this.output('ERROR: supervisor shutting down');
      else if (e instanceof RpcFault && e.faultCode === Faults.CANT_REREAD) this.output(`ERROR: ${e.faultString}`);
      else throw e;
    }
  }

  async do_add(arg: string): Promise<void> {
    for (const name of arg.split(/\s+/).filter(Boolean)) {
      try {
        await this.call('addProcessGroup', name);
        this.output(`${name}: added process group`);
      } catch (e) {
        if (!(e instanceof RpcFault)) throw e;
        if (e.faultCode === Faults.SHUTDOWN_STATE) {
          this.output('ERROR: shutting down');
          this.exitstatus = Exit.GENERIC;
        } else if (e.faultCode === Faults.ALREADY_ADDED) this.output('ERROR: process group already active');
        else if (e.faultCode === Faults.BAD_NAME) {
          this.output(`ERROR: no such process/group: ${name}`);
          this.exitstatus = Exit.GENERIC;
        } else {
          this.exitstatus = Exit.GENERIC;
          throw e;
        }
      }
    }
  }

  async do_remove(arg: string): Promise<void> {
    for (const name of arg.split(/\s+/).filter(Boolean)) {
      try {
        await this.call('removeProcessGroup', name);
        this.output(`${name}: removed process group`);
      } catch (e) {
        if (!(e instanceof RpcFault)) throw e;
        this.exitstatus = Exit.GENERIC;
        if (e.faultCode === Faults.STILL_RUNNING) this.output(`ERROR: process/group still running: ${name}`);
        else if (e.faultCode === Faults.BAD_NAME) this.output(`ERROR: no such process/group: ${name}`);
        else throw e;
      }
    }
  }

  async do_update(arg: string): Promise<void> {
    let added: string[];
    let changed: string[];
    let removed: string[];
    try {
      [[added, changed, removed]] = await this.call<string[][][]>('reloadConfig');
    } catch (e) {
      this.exitstatus = Exit.GENERIC;
      if (e instanceof RpcFault && e.faultCode === Faults.SHUTDOWN_STATE) {
        this.output('ERROR: already shutting down');
        return;
      }
      throw e;
    }
    let valid = new Set(arg.split(/\s+/).filter(Boolean));
    if (valid.has('all')) valid = new Set();
    if (valid.size) {
      const groups = new Set((await this.call<ProcessInfo[]>('getAllProcessInfo')).map((i) => i.group));
      for (const a of added) groups.add(a);
      for (const g of valid)
        if (!groups.has(g)) {
          this.output(`ERROR: no such group: ${g}`);
          this.exitstatus = Exit.GENERIC;
        }
    }
    const wanted = (g: string) => !valid.size || valid.has(g);
    for (const g of removed.filter(wanted)) {
      const results = await this.call<Result[]>('stopProcessGroup', g);
      this.output(`${g}: stopped`);
      if (results.some((r) => r.status === Faults.FAILED)) {
        this.output(`${g}: has problems; not removing`);
        this.exitstatus = Exit.GENERIC;
        continue;
      }
      await this.call('removeProcessGroup', g);
      this.output(`${g}: removed process group`);
    }
    for (const g of changed.filter(wanted)) {
      await this.call('stopProcessGroup', g);
      this.output(`${g}: stopped`);
      await this.call('removeProcessGroup', g);
      await this.call('addProcessGroup', g);
      this.output(`${g}: updated process group`);
    }
    for (const g of added.filter(wanted)) {
      await this.call('addProcessGroup', g);
      this.output(`${g}: added process group`);
    }
  }

  private async confirm(question: string): Promise<boolean> {
    if (!this.interactive || !this.io.ask) return true;
    const answer = await this.io.ask(question);
    return (answer ?? '').toLowerCase().startsWith('y');
  }

  async do_shutdown(arg: string): Promise<void> {
    if (arg) {
      this.output('Error: shutdown accepts no arguments');
      this.exitstatus = Exit.GENERIC;
      this.help('shutdown');
      return;
    }
    if (!(await this.confirm('Really shut the remote supervisord process down y/N? '))) return;
    try {
      await this.call('shutdown');
      this.output('Shut down');
    } catch (e) {
      if (e instanceof RpcFault) {
        if (e.faultCode === Faults.SHUTDOWN_STATE) this.output('ERROR: already shutting down');
        else {
          this.exitstatus = Exit.GENERIC;
          throw e;
        }
        return;
      }
      this.exitstatus = Exit.GENERIC;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED') this.output(`ERROR: ${this.target.serverurl} refused connection (already shut down?)`);
      else if (code === 'ENOENT') this.output(`ERROR: ${this.target.serverurl} no such file (already shut down?)`);
      else throw e;
    }
  }

  async do_reload(arg: string): Promise<void> {
    if (arg) {
      this.output('Error: reload accepts no arguments');
      this.exitstatus = Exit.GENERIC;
      this.help('reload');
      return;
    }
    if (!(await this.confirm('Really restart the remote supervisord process y/N? '))) return;
    try {
      await this.call('restart');
      this.output('Restarted supervisord');
    } catch (e) {
      this.exitstatus = Exit.GENERIC;
      if (e instanceof RpcFault && e.faultCode === Faults.SHUTDOWN_STATE) this.output('ERROR: already shutting down');
      else throw e;
    }
  }

  async do_version(arg: string): Promise<void> {
    if (arg) {
      this.output('Error: version accepts no arguments');
      this.exitstatus = Exit.GENERIC;
      this.help('version');
      return;
    }
    if (!(await this.upcheck())) return;
    this.output(await this.call<string>('getSupervisorVersion'));
  }

  async do_open(arg: string): Promise<void> {
    const url = arg.trim();
    if (!/^(unix|http):/.test(url)) {
      this.output('ERROR: url must be http:// or unix://');
      this.exitstatus = Exit.GENERIC;
      return;
    }
    this.target.serverurl = url;
    this.client.target = this.target;
    const old = this.exitstatus;
    await this.do_status('');
    this.exitstatus = old;
  }

  /** Names for tab completion: commands, or processes and groups from the server. */
  async completions(line: string): Promise<string[]> {
    const words = line.split(/\s+/);
    if (words.length <= 1) return [...COMMANDS, 'help'].filter((c) => c.startsWith(words[0] ?? '')).map((c) => `${c} `);
    const [action] = words;
    const text = words[words.length - 1];
    if (action === 'help') return COMMANDS.filter((c) => c.startsWith(text)).map((c) => `${c} `);
    let infos: ProcessInfo[] = [];
    try {
      infos = await this.call<ProcessInfo[]>('getAllProcessInfo');
    } catch {
      return [];
    }
    if (['add', 'remove', 'update'].includes(action)) return [...new Set(infos.map((i) => i.group))].filter((g) => g.startsWith(text)).map((g) => `${g} `);
    if (['clear', 'fg', 'pid', 'restart', 'signal', 'start', 'status', 'stop', 'tail'].includes(action)) {
      const out: string[] = [];
      for (const i of infos) {
        if (text.includes(':') || i.name !== i.group) {
          out.push(`${i.group}:${i.name}`);
          if (!out.includes(`${i.group}:*`)) out.push(`${i.group}:*`);
        } else out.push(i.name);
      }
      return out.filter((p) => p.startsWith(text)).map((p) => `${p} `);
    }
    return [];
  }
}
