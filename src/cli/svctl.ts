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
 * getopt's view of the options before yargs reads them: `-cFILE` is `-c FILE`, scanning stops at
 * the first non-option (so `svctl tail -f web` gives `-f` to tail), and, in order, an option
 * given twice or an -s that is not a URL is an error in supervisorctl's words.
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
  // `svctl status` has no options: yargs is not even loaded (start-up time counts in probes).
  if (!argv.length || !argv[0].startsWith('-')) return { cl: {}, help: false, interactive: false, args: argv };
  const scanned = scanArgv(argv);
  if (scanned[0] === '--help') return { cl: {}, help: true, interactive: false, args: [] };
  const { default: yargs } = await import('yargs');
  let failure: string | null = null;
  const parsed = await yargs(scanned)
    .parserConfiguration({ 'halt-at-non-option': true, 'camel-case-expansion': true, 'populate--': false, 'parse-positional-numbers': false })
    .option('configuration', { alias: 'c', type: 'string', requiresArg: true })
    .option('serverurl', { alias: 's', type: 'string', requiresArg: true })
    .option('username', { alias: 'u', type: 'string', requiresArg: true })
    .option('password', { alias: 'p', type: 'string', requiresArg: true })
    .option('history-file', { alias: 'r', type: 'string', requiresArg: true })
    .option('timeout', { alias: 't', type: 'string', requiresArg: true })
    .option('interactive', { alias: 'i', type: 'boolean' })
    .option('help', { alias: ['h', '?'], type: 'boolean' })
    .help(false)
    .version(false)
    .strict()
    .exitProcess(false)
    .fail((msg) => {
      failure = msg;
    })
    .parseAsync();
  if (failure !== null) throw new UsageError(getoptWords(failure));
  const str = (v: unknown) => (v === undefined ? undefined : String(Array.isArray(v) ? v[v.length - 1] : v));
  const cl: CommandLine = {
    configuration: str(parsed.configuration),
    serverurl: str(parsed.serverurl),
    username: str(parsed.username),
    password: str(parsed.password),
    historyFile: str(parsed.historyFile),
  };
  // The action and its arguments exactly as typed (yargs would turn `-0` into 0).
  const args = parsed._.length ? scanned.slice(scanned.length - parsed._.length) : [];
  if (args[0] === '--') args.shift();
  const timeout = str(parsed.timeout);
  return { cl, help: parsed.help === true, interactive: parsed.interactive === true, timeoutSeconds: timeout === undefined ? undefined : Number(timeout), args };
}

/** yargs' complaint in getopt's words, as supervisorctl prints them. */
function getoptWords(msg: string): string {
  const opt = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);
  let m = /^Unknown arguments?: ([^,\s]+)/.exec(msg);
  if (m) return `option ${opt(m[1])} not recognized`;
  m = /^Not enough arguments following: (\S+)/.exec(msg);
  if (m) return `option ${opt(m[1])} requires argument`;
  return msg;
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
