// `svctl`: supervisorctl's command line. `svctl [options] [action [arguments]]` runs one command
// and exits with its status; without an action it starts the interactive shell.

import { EventEmitter } from 'node:events';
import path from 'node:path';
import { ConfigError } from '../config/types.js';
import { COMMANDS } from '../ctl/commands.js';
import { Controller, type CtlIO } from '../ctl/controller.js';
import { usage } from '../ctl/help.js';
import { LineReader } from '../ctl/lines.js';
import { isUrl, resolveCtlOptions, type CommandLine } from '../ctl/options.js';
import { completer, readHistory, runShell, writeHistory } from '../ctl/shell.js';
import { pyRepr } from '../ctl/transport.js';

export interface SvctlIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** Colour `status` and edit lines: defaults to whether stdout is a terminal. */
  isTTY?: boolean;
  /** Where Ctrl-C comes from as a 'SIGINT' event (tests pass their own emitter). */
  signals?: EventEmitter;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

class UsageError extends Error {}

const LONG: Record<string, string> = { configuration: 'c', serverurl: 's', username: 'u', password: 'p', 'history-file': 'r', interactive: 'i', help: 'h', timeout: 't' };
/** Options that take a value (getopt's "c:s:u:p:r:", and svctl's own -t). */
const VALUED = new Set(['c', 's', 'u', 'p', 'r', 't']);

/**
 * getopt's view of the options: `-cFILE` is `-c FILE`, scanning stops at the first non-option (so
 * `svctl tail -f web` gives `-f` to tail), and, in order, an unknown option, a missing value, an
 * option given twice or an -s that is not a URL is an error in supervisorctl's words.
 */
function scanArgv(argv: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return [...out, ...argv.slice(i)];
    if (!a.startsWith('-') || a === '-') return [...out, ...argv.slice(i)];
    let key: string | undefined;
    let value: string | undefined;
    let typed = a;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq === -1 ? undefined : eq);
      typed = `--${name}`;
      key = LONG[name];
      if (key === undefined) throw new UsageError(`option ${typed} not recognized`);
      if (VALUED.has(key)) {
        value = eq !== -1 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`option ${typed} requires argument`);
      }
    } else {
      key = a[1] === '?' ? 'h' : a[1];
      typed = a.slice(0, 2);
      if (!'csupriht'.includes(key)) throw new UsageError(`option ${typed} not recognized`);
      if (VALUED.has(key)) {
        value = a.length > 2 ? a.slice(2) : argv[++i];
        if (value === undefined) throw new UsageError(`option ${typed} requires argument`);
      } else if (a.length > 2) {
        // Grouped flags (-ih): one at a time.
        argv = [...argv.slice(0, i), typed, `-${a.slice(2)}`, ...argv.slice(i + 1)];
      }
    }
    if (key === 'h') return ['--help'];
    if (key === 't' && !/^\d+(\.\d+)?$/.test(value!)) throw new UsageError(`invalid value for ${typed} ${pyRepr(value!)}: not a number of seconds`);
    if (key === 's' && !isUrl(value!)) throw new UsageError(`invalid value for ${typed} ${pyRepr(value!)}: value ${pyRepr(value!)} is not a URL`);
    if (seen.has(key)) throw new UsageError(`conflicting command line option ${pyRepr(typed)}`);
    seen.add(key);
    out.push(`-${key}`);
    if (value !== undefined) out.push(value);
  }
  return out;
}

async function parseCommandLine(argv: string[]): Promise<{ cl: CommandLine; help: boolean; interactive: boolean; timeoutSeconds?: number; args: string[] }> {
  // `svctl status` has no options; with options, scanArgv has already done getopt's whole job
  // (checked every option, split `-cFILE`, stopped at the action), so no parser library is loaded:
  // start-up time counts in probes and `docker exec … svctl status`.
  if (!argv.length || !argv[0].startsWith('-')) return { cl: {}, help: false, interactive: false, args: argv };
  const scanned = scanArgv(argv);
  if (scanned[0] === '--help') return { cl: {}, help: true, interactive: false, args: [] };
  // scanned is `-k [value]`… then the action and its arguments exactly as typed.
  const value: Record<string, string> = {};
  let interactive = false;
  let i = 0;
  while (i < scanned.length && scanned[i] !== '--' && scanned[i].length === 2 && scanned[i].startsWith('-') && 'csuprit'.includes(scanned[i][1])) {
    const key = scanned[i][1];
    if (VALUED.has(key)) {
      value[key] = scanned[i + 1];
      i += 2;
    } else {
      interactive ||= key === 'i';
      i += 1;
    }
  }
  const args = scanned.slice(i);
  if (args[0] === '--') args.shift();
  const cl: CommandLine = { configuration: value.c, serverurl: value.s, username: value.u, password: value.p, historyFile: value.r };
  return { cl, help: false, interactive, timeoutSeconds: value.t === undefined ? undefined : Number(value.t), args };
}

function defaultIO(): SvctlIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, isTTY: process.stdout.isTTY === true, signals: process };
}

export async function main(argv: string[], io: SvctlIO = defaultIO()): Promise<number> {
  const progname = process.argv[1] ? path.basename(process.argv[1]).replace(/\.(c?js|ts)$/, '') : 'svctl';
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  let parsed: Awaited<ReturnType<typeof parseCommandLine>>;
  let options;
  try {
    parsed = await parseCommandLine(argv);
    if (parsed.help) {
      io.stdout.write(`${usage(progname)}\n`);
      return 0;
    }
    options = resolveCtlOptions(parsed.cl, { env, cwd, argv0: process.argv[1] ?? 'svctl' });
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof ConfigError)) throw e;
    io.stderr.write(`Error: ${e.message}\nFor help, use ${progname} -h\n`);
    return 2;
  }

  const isTTY = io.isTTY ?? false;
  const interactive = parsed.interactive || parsed.args.length === 0;
  const interrupts = new EventEmitter();
  let reader: LineReader | null = null;
  const ctlIO: CtlIO = {
    stdout: io.stdout,
    stderr: io.stderr,
    isTTY,
    interrupts,
    readLine: (prompt, opts) => lines().read(prompt, opts),
  };
  const ctl = new Controller({ ...options, interactive, timeoutSeconds: parsed.timeoutSeconds }, ctlIO, COMMANDS);
  const history = options.historyFile ? readHistory(options.historyFile) : [];
  // Created on first use: a one-shot `svctl status` never touches stdin.
  const lines = () =>
    (reader ??= new LineReader({
      input: io.stdin,
      output: io.stdout,
      stderr: io.stderr,
      terminal: isTTY && (io.stdin as NodeJS.ReadStream).isTTY === true,
      completer: completer(ctl),
      history,
      onInterrupt,
    }));
  // Ctrl-C goes to whoever waits for it (tail -f, fg), else to the line being read; with
  // neither, svctl dies of it like supervisorctl dies of KeyboardInterrupt.
  function onInterrupt(): void {
    if (interrupts.listenerCount('interrupt')) interrupts.emit('interrupt');
    else if (reader?.reading) reader.interrupt();
    else if (io.signals === process) {
      process.off('SIGINT', onInterrupt);
      process.kill(process.pid, 'SIGINT');
    }
  }
  io.signals?.on('SIGINT', onInterrupt);
  try {
    if (parsed.args.length) {
      await ctl.onecmd(parsed.args.join(' '));
      return ctl.exitstatus;
    }
    await runShell(ctl, lines());
    if (options.historyFile && reader) writeHistory(options.historyFile, (reader as LineReader).history);
    return 0;
  } finally {
    io.signals?.off('SIGINT', onInterrupt);
    (reader as LineReader | null)?.close();
    ctl.close();
  }
}

// The standalone executable (src/cli/sea.ts) dispatches itself; bundles run the entry they are.
const invokedDirectly = process.env.SVINIT_SEA_BUILD !== '1' && /svctl(\.c?js|\.ts)?$/.test(process.argv[1] ?? '');
/**
 * Exits once stdout and stderr have taken everything written to them: into a pipe they are
 * asynchronous, and process.exit() would drop what the reader has not taken yet.
 */
export function exitWhenFlushed(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => process.exit(code));
    stream.write('', done);
  }
}

if (invokedDirectly) {
  main(process.argv.slice(2)).then(exitWhenFlushed, (e) => {
    process.stderr.write(`svctl: ${(e as Error).stack ?? e}\n`);
    exitWhenFlushed(1);
  });
}
