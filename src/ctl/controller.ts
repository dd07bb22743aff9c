// supervisorctl's Controller: parses one command line as cmd.Cmd does, dispatches it to a command,
// turns failures into supervisorctl's messages and keeps the exit status. The commands themselves
// live in commands-*.ts.

import { EventEmitter } from 'node:events';
import { Faults } from '../engine/errors.js';
import type { XmlRpcValue } from '../rpc/xmlrpc.js';
import { HELP } from './help.js';
import { KeyboardInterrupt } from './lines.js';
import { connectionFailure, NoAnswer, ProtocolError, RpcClient, RpcFault, type ServerTarget } from './transport.js';
import { uncaughtLine } from './uncaught.js';

/** LSB init exit statuses supervisorctl uses. */
export const LSBInitExitStatuses = { SUCCESS: 0, GENERIC: 1, INVALID_ARGS: 2, UNIMPLEMENTED_FEATURE: 3, INSUFFICIENT_PRIVILEGES: 4, NOT_INSTALLED: 5, NOT_RUNNING: 7 } as const;
/** LSB status exit statuses (`status` only). */
export const LSBStatusExitStatuses = { NOT_RUNNING: 3, UNKNOWN: 4 } as const;

const DEAD_PROGRAM_FAULTS: number[] = [Faults.SPAWN_ERROR, Faults.ABNORMAL_TERMINATION, Faults.NOT_RUNNING];

export interface ProcessInfo {
  name: string;
  group: string;
  start: number;
  stop: number;
  now: number;
  state: number;
  statename: string;
  spawnerr: string;
  exitstatus: number;
  stdout_logfile: string;
  stderr_logfile: string;
  pid: number;
  description: string;
}

/** A group/all operation's per-process result struct. */
export interface Result {
  name: string | null;
  group: string;
  status: number;
  description: string;
}

export interface CtlOptions extends ServerTarget {
  /** The shell is running (or -i): reload/shutdown ask first, a 401 asks for credentials. */
  interactive: boolean;
  prompt: string;
  historyFile: string | null;
  /** svctl's --timeout (RpcClient's default when absent). */
  timeoutSeconds?: number;
}

/** What the controller needs from the terminal. */
export interface CtlIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Colours in `status` only on a terminal. */
  isTTY: boolean;
  /** Reads one line from the user after writing prompt; null at end of input. */
  readLine(prompt: string, opts?: { secret?: boolean; signal?: AbortSignal }): Promise<string | null>;
  /** Emits 'interrupt' on Ctrl-C. */
  interrupts: EventEmitter;
}

/** What a command prints for a fault, by fault code: the line, or how to make it from the fault. */
export type FaultAnswers = Partial<Record<number, string | ((fault: RpcFault) => string)>>;
/** callAnswering's result when the call failed with a fault the command answered. */
export const ANSWERED: unique symbol = Symbol('answered');

/** A command: `do_<name>` of supervisorctl. Returns true to leave the shell. */
export type Command = (ctl: Controller, arg: string) => Promise<boolean | void>;

/** Python's make_namespec; a missing process name prints as `None`, as in supervisorctl. */
export function namespec(group: string, name: string | null): string {
  return group === name ? group : `${group}:${name ?? 'None'}`;
}

/** Python's str.split(): whitespace-separated words. */
/** supervisorctl's check for commands that take no arguments: prints the error and the help. */
export function noArguments(ctl: Controller, cmd: string, arg: string): boolean {
  if (!arg) return false;
  ctl.output(`Error: ${cmd} accepts no arguments`);
  ctl.exitstatus = LSBInitExitStatuses.GENERIC;
  ctl.help(cmd);
  return true;
}

export function words(arg: string): string[] {
  return arg.split(/\s+/).filter(Boolean);
}

const IDENTCHARS = /[A-Za-z0-9_]/;

/** cmd.Cmd.parseline: `?` means help, `!` is a shell escape supervisorctl does not have. */
export function parseline(raw: string): { cmd: string | null; arg: string; line: string } {
  let line = raw.trim();
  if (!line) return { cmd: null, arg: '', line };
  if (line[0] === '?') line = `help ${line.slice(1)}`;
  else if (line[0] === '!') return { cmd: null, arg: '', line };
  let i = 0;
  while (i < line.length && IDENTCHARS.test(line[i])) i++;
  return { cmd: line.slice(0, i), arg: line.slice(i).trim(), line };
}

export class Controller {
  exitstatus: number = LSBInitExitStatuses.SUCCESS;
  readonly client: RpcClient;
  private completeInfo: ProcessInfo[] | null = null;

  constructor(
    public readonly options: CtlOptions,
    public readonly io: CtlIO,
    private readonly commands: Record<string, Command>,
  ) {
    this.client = new RpcClient(options, options.timeoutSeconds);
  }

  /** Names the shell completes as actions (supervisorctl's vocab: help plus every do_*). */
  get vocab(): string[] {
    return ['help', ...Object.keys(this.commands).filter((c) => c !== 'help' && c !== 'EOF')];
  }

  output(message: string): void {
    this.io.stdout.write(`${message}\n`);
  }

  help(topic: string): void {
    for (const l of HELP[topic] ?? []) this.output(l);
  }

  /** Calls `supervisor.<method>` on the current server. */
  call<T = XmlRpcValue>(method: string, ...params: XmlRpcValue[]): Promise<T> {
    return this.client.call<T>(`supervisor.${method}`, ...params);
  }

  /**
   * Calls `supervisor.<method>` for a command that answers some faults itself, as most of
   * supervisorctl's do_* methods: any fault makes the exit status GENERIC; one whose code `answers`
   * names prints that answer and gives ANSWERED; any other is thrown (to onecmd's uncaught line).
   */
  async callAnswering<T = XmlRpcValue>(answers: FaultAnswers, method: string, ...params: XmlRpcValue[]): Promise<T | typeof ANSWERED> {
    try {
      return await this.call<T>(method, ...params);
    } catch (e) {
      if (!(e instanceof RpcFault)) throw e;
      this.exitstatus = LSBInitExitStatuses.GENERIC;
      const answer = answers[e.faultCode];
      if (answer === undefined) throw e;
      this.output(typeof answer === 'string' ? answer : answer(e));
      return ANSWERED;
    }
  }

  /** Changes the server for the rest of the session (`open`). */
  setServerUrl(url: string): void {
    this.options.serverurl = url;
    this.client.retarget(this.options);
  }

  /** Runs one command line; resolves true when the shell should end. */
  async onecmd(raw: string): Promise<boolean> {
    const { cmd, arg, line } = parseline(raw);
    if (!line) return false;
    this.completeInfo = null;
    const fn = cmd ? this.commands[cmd] : undefined;
    if (!fn || !Object.hasOwn(this.commands, cmd!)) {
      this.output(`*** Unknown syntax: ${line}`);
      this.exitstatus = LSBInitExitStatuses.GENERIC;
      return false;
    }
    try {
      try {
        return (await fn(this, arg)) === true;
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        if (e.errcode !== 401) {
          this.exitstatus = LSBInitExitStatuses.GENERIC;
          throw e;
        }
        this.output('Server requires authentication');
        if (this.options.interactive) {
          const username = await this.io.readLine('Username:');
          const password = await this.io.readLine('Password:', { secret: true });
          this.output('');
          if (username === null || password === null) return true;
          this.options.username = username;
          this.options.password = password;
          this.client.retarget(this.options);
          return this.onecmd(raw);
        }
        this.exitstatus = LSBInitExitStatuses.GENERIC;
      }
      // Quirk kept: after a 401 supervisorctl runs the command a second time, which fails the same way.
      return (await fn(this, arg)) === true;
    } catch (e) {
      // Ctrl-C at a question ends the shell, as Python's KeyboardInterrupt does.
      if (e instanceof KeyboardInterrupt) throw e;
      this.output(e instanceof NoAnswer ? e.message : uncaughtLine(e));
      this.exitstatus = LSBInitExitStatuses.GENERIC;
      return false;
    }
  }

  /** Is there a supervisord speaking API 3.0? Prints why not and sets the exit status. */
  async upcheck(): Promise<boolean> {
    try {
      const api = await this.call<string>('getVersion');
      if (api !== '3.0') {
        this.output(`Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, but the remote version is ${api}.`);
        this.exitstatus = LSBInitExitStatuses.NOT_INSTALLED;
        return false;
      }
    } catch (e) {
      if (e instanceof RpcFault) {
        if (e.faultCode === Faults.UNKNOWN_METHOD) {
          this.output(
            'Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).',
          );
          this.exitstatus = LSBInitExitStatuses.UNIMPLEMENTED_FEATURE;
          return false;
        }
        this.exitstatus = LSBInitExitStatuses.GENERIC;
        throw e;
      }
      const why = connectionFailure(e);
      if (why === 'refused connection') {
        this.output(`${this.options.serverurl} refused connection`);
        this.exitstatus = LSBInitExitStatuses.INSUFFICIENT_PRIVILEGES;
        return false;
      }
      if (why === 'no such file') {
        this.output(`${this.options.serverurl} no such file`);
        this.exitstatus = LSBInitExitStatuses.NOT_RUNNING;
        return false;
      }
      if (!(e instanceof ProtocolError)) this.exitstatus = LSBInitExitStatuses.GENERIC;
      throw e;
    }
    return true;
  }

  setExitstatusFromFault(faultcode: number, ignored?: number): void {
    if (faultcode === ignored || faultcode === Faults.SUCCESS) return;
    this.exitstatus = DEAD_PROGRAM_FAULTS.includes(faultcode) ? LSBInitExitStatuses.NOT_RUNNING : LSBInitExitStatuses.GENERIC;
  }

  /** Waits for Ctrl-C; the returned cancel() stops waiting. */
  onInterrupt(fn: () => void): () => void {
    this.io.interrupts.on('interrupt', fn);
    return () => this.io.interrupts.off('interrupt', fn);
  }

  // ------------------------------------------------------------------ completion

  /** Candidates for the word being typed (supervisorctl's complete(); each ends with a space). */
  async complete(text: string, line: string): Promise<string[]> {
    if (!line.trim()) return this.completeActions(text);
    const ws = line.split(/\s+/).filter(Boolean);
    const action = ws[0];
    if (ws.length === 1 && !line.endsWith(' ')) return this.completeActions(text);
    // Quirk kept: supervisorctl tests `action in ('help')`, a substring test on the string 'help'.
    if ('help'.includes(action)) return this.completeActions(text);
    if (['add', 'remove', 'update'].includes(action)) return this.completeGroups(text);
    if (['clear', 'fg', 'pid', 'restart', 'signal', 'start', 'status', 'stop', 'tail'].includes(action)) return this.completeProcesses(text);
    return [];
  }

  private completeActions(text: string): string[] {
    return this.vocab.filter((a) => a.startsWith(text)).map((a) => `${a} `);
  }

  private async completeGroups(text: string): Promise<string[]> {
    const groups: string[] = [];
    for (const info of await this.getCompleteInfo()) if (!groups.includes(info.group)) groups.push(info.group);
    return groups.filter((g) => g.startsWith(text)).map((g) => `${g} `);
  }

  private async completeProcesses(text: string): Promise<string[]> {
    const processes: string[] = [];
    for (const info of await this.getCompleteInfo()) {
      if (text.includes(':') || info.name !== info.group) {
        processes.push(`${info.group}:${info.name}`);
        if (!processes.includes(`${info.group}:*`)) processes.push(`${info.group}:*`);
      } else processes.push(info.name);
    }
    return processes.filter((p) => p.startsWith(text)).map((p) => `${p} `);
  }

  /** Cached between commands: readline may ask many times for one Tab. */
  private async getCompleteInfo(): Promise<ProcessInfo[]> {
    this.completeInfo ??= await this.call<ProcessInfo[]>('getAllProcessInfo');
    return this.completeInfo;
  }

  close(): void {
    this.client.close();
  }
}
