// `svinit`: the daemon's command line (supervisord's options, plus svinit's container options and
// tini-style single-command mode `svinit -- cmd args…`).

import { spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { findConfigFile, loadConfig, parseByteSize, parseForwardOutput, parseOctal } from '../config/index.js';
import type { LogLevelName, SupervisordConfig } from '../config/types.js';
import { inContainer } from '../daemon/container.js';
import { startDaemon } from '../daemon/run.js';
import { writeFully } from '../logging/fd.js';
import { EXIT_CONFIG_ERROR, EXIT_INTERNAL_ERROR, EXIT_OK } from '../init/exit-codes.js';

export const SVINIT_VERSION = '0.1.0';
const LEVELS: LogLevelName[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

class UsageError extends Error {}

function parseInt10(name: string, v: string): number {
  if (!/^-?\d+$/.test(v)) throw new UsageError(`invalid value for ${name}: '${v}' is not an integer`);
  return Number(v);
}

/** Parses argv; returns what to run, or an exit code after printing help/version/errors. */
export async function parseArgs(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<
  | { exitCode: number }
  | { configFile: string | null; command?: string[]; overrides: Partial<SupervisordConfig>; logFormat: 'text' | 'json'; container: boolean | null }
> {
  const dd = argv.indexOf('--');
  const command = dd >= 0 ? argv.slice(dd + 1) : undefined;
  const own = dd >= 0 ? argv.slice(0, dd) : argv;
  const prog = 'svinit';
  let failure: string | null = null;
  // Without options, or with only supervisord's usual `-c FILE` / `-n`, yargs is not loaded:
  // `ENTRYPOINT ["svinit"]` and `CMD ["svinit", "-c", "…"]` reach their first spawn sooner.
  if (!own.length) {
    const configFile = command ? null : locateConfig(undefined, io);
    if (typeof configFile === 'object' && configFile !== null) return configFile;
    return { configFile, command, overrides: {}, logFormat: 'text', container: null };
  }
  const usual = usualOptions(own);
  let a: Record<string, unknown> = usual ?? {};
  if (!usual) {
    const yargs = (await import('yargs')).default;
    const parser = yargs(own)
      .scriptName(prog)
      .usage(`${prog} — a supervisord-compatible process supervisor and container init\n\nUsage: ${prog} [options]\n       ${prog} [options] -- command [args...]   (single-command mode, like tini)`)
      .option('configuration', { alias: 'c', type: 'string', describe: 'configuration file path (searched like supervisord when absent; also $SVINIT_CONFIG)' })
      .option('nodaemon', { alias: 'n', type: 'boolean', describe: 'run in the foreground (always so in a container)' })
      .option('silent', { alias: 's', type: 'boolean', describe: 'no activity log on stdout in the foreground' })
      .option('user', { alias: 'u', type: 'string', describe: 'run svinit as this user (or numeric uid)' })
      .option('umask', { alias: 'm', type: 'string', describe: 'umask for the daemon (ex 022)' })
      .option('directory', { alias: 'd', type: 'string', describe: 'directory to chdir to when daemonized' })
      .option('logfile', { alias: 'l', type: 'string', describe: 'activity log file path' })
      .option('logfile_maxbytes', { alias: 'y', type: 'string', describe: 'rotate the activity log at this size (ex 50MB)' })
      .option('logfile_backups', { alias: 'z', type: 'string', describe: 'number of activity log backups' })
      .option('loglevel', { alias: 'e', type: 'string', describe: 'critical, error, warn, info, debug, trace or blather' })
      .option('pidfile', { alias: 'j', type: 'string', describe: 'pid file path' })
      .option('identifier', { alias: 'i', type: 'string', describe: 'identifier used by the RPC interface and events' })
      .option('childlogdir', { alias: 'q', type: 'string', describe: 'directory for AUTO child logs' })
      .option('nocleanup', { alias: 'k', type: 'boolean', describe: 'keep AUTO child logs at start' })
      .option('minfds', { alias: 'a', type: 'string', describe: 'minimum number of file descriptors to start' })
      .option('minprocs', { type: 'string', describe: 'minimum number of processes to start' })
      .option('strip_ansi', { alias: 't', type: 'boolean', describe: 'strip ANSI escapes from child output' })
      .option('log-format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'activity log format' })
      .option('forward-output', { type: 'string', describe: "copy programs' output to svinit's stdout/stderr: none (default: only logs set to /dev/stdout|stderr), auto (also channels without a log file), all" })
      .option('prefix-output', { type: 'boolean', describe: "label copied lines 'name | line' (default: on); --prefix-output alone also means --forward-output=all" })
      .option('container', { type: 'boolean', describe: 'container defaults even when not PID 1 (default: on as PID 1; also $SVINIT_CONTAINER)' })
      .option('profile_options', { type: 'string', hidden: true })
      .version(false)
      .option('version', { alias: 'v', type: 'boolean', describe: 'print the version and exit' })
      .help('help')
      .alias('help', 'h')
      .strict()
      .exitProcess(false)
      .fail((msg, err) => {
        failure = msg ?? err?.message ?? 'bad arguments';
      });
    try {
      a = (await parser.parseAsync()) as Record<string, unknown>;
    } catch (e) {
      failure ??= (e as Error).message;
      a = {};
    }
  }
  if (failure) {
    io.stderr.write(`Error: ${failure}\nFor help, use ${prog} -h\n`);
    return { exitCode: EXIT_CONFIG_ERROR };
  }
  if (a.help) return { exitCode: EXIT_OK };
  if (a.version) {
    io.stdout.write(`${SVINIT_VERSION}\n`);
    return { exitCode: EXIT_OK };
  }
  const positional = (a._ as unknown[]) ?? [];
  if (positional.length) {
    io.stderr.write(`Error: positional arguments are not supported: ${JSON.stringify(positional.map(String))}\nFor help, use ${prog} -h\n`);
    return { exitCode: EXIT_CONFIG_ERROR };
  }
  if (command && command.length === 0) {
    io.stderr.write(`Error: no command given after --\nFor help, use ${prog} -h\n`);
    return { exitCode: EXIT_CONFIG_ERROR };
  }
  const o: Partial<SupervisordConfig> = {};
  try {
    const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
    if (a.nodaemon) o.nodaemon = true;
    if (a.silent) o.silent = true;
    if (str('user') !== undefined) o.user = str('user')!;
    if (str('umask') !== undefined) o.umask = parseOctal(str('umask')!);
    if (str('directory') !== undefined) o.directory = path.resolve(str('directory')!);
    if (str('logfile') !== undefined) o.logfile = str('logfile') === 'syslog' ? 'syslog' : path.resolve(str('logfile')!);
    if (str('logfile_maxbytes') !== undefined) o.logfileMaxbytes = parseByteSize(str('logfile_maxbytes')!);
    if (str('logfile_backups') !== undefined) o.logfileBackups = parseInt10('logfile_backups', str('logfile_backups')!);
    if (str('loglevel') !== undefined) {
      const lv = str('loglevel')!.toLowerCase() as LogLevelName;
      if (!LEVELS.includes(lv)) throw new UsageError(`bad logging level name '${str('loglevel')}'`);
      o.loglevel = lv;
    }
    if (str('pidfile') !== undefined) o.pidfile = path.resolve(str('pidfile')!);
    if (str('identifier') !== undefined) o.identifier = str('identifier')!;
    if (str('childlogdir') !== undefined) o.childlogdir = path.resolve(str('childlogdir')!);
    if (a.nocleanup) o.nocleanup = true;
    if (str('minfds') !== undefined) o.minfds = parseInt10('minfds', str('minfds')!);
    if (str('minprocs') !== undefined) o.minprocs = parseInt10('minprocs', str('minprocs')!);
    if (a.strip_ansi) o.stripAnsi = true;
    if (str('forward-output') !== undefined) o.forwardOutput = parseForwardOutput(str('forward-output')!);
    if (typeof a['prefix-output'] === 'boolean') {
      o.prefixOutput = a['prefix-output'] as boolean;
      // svinit's older flag: it turned the labelled copies on.
      if (o.prefixOutput && o.forwardOutput === undefined) o.forwardOutput = 'all';
    }
  } catch (e) {
    io.stderr.write(`Error: ${(e as Error).message}\nFor help, use ${prog} -h\n`);
    return { exitCode: EXIT_CONFIG_ERROR };
  }
  const configFile = command ? null : locateConfig(str2(a.configuration), io);
  if (typeof configFile === 'object' && configFile !== null) return configFile;
  return {
    configFile,
    command,
    overrides: o,
    logFormat: (a['log-format'] as 'text' | 'json') ?? 'text',
    container: typeof a.container === 'boolean' ? (a.container as boolean) : null,
  };
}

/**
 * `-c FILE`, `--configuration[=]FILE` and `-n`/`--nodaemon` alone, read as yargs reads them; null
 * for anything else (yargs then parses, helps and reports errors).
 */
function usualOptions(own: string[]): Record<string, unknown> | null {
  const a: Record<string, unknown> = { _: [] };
  for (let i = 0; i < own.length; i++) {
    const arg = own[i];
    if (arg === '-n' || arg === '--nodaemon') a.nodaemon = true;
    else if (a.configuration !== undefined) return null;
    else if ((arg === '-c' || arg === '--configuration') && i + 1 < own.length && !own[i + 1].startsWith('-')) a.configuration = own[++i];
    else if (arg.startsWith('--configuration=')) a.configuration = arg.slice('--configuration='.length);
    else return null;
  }
  return a;
}

/** -c, else $SVINIT_CONFIG, else supervisord's search paths; an exit code when none is found. */
function locateConfig(explicit: string | undefined, io: { stderr: NodeJS.WritableStream }): string | { exitCode: number } {
  const found = explicit ?? process.env.SVINIT_CONFIG ?? findConfigFile(process.argv[1] ?? 'svinit', process.cwd());
  if (!found) {
    io.stderr.write(
      'Error: No config file found at default paths; use the -c option or $SVINIT_CONFIG to specify a config file at a different path\nFor help, use svinit -h\n',
    );
    return { exitCode: EXIT_CONFIG_ERROR };
  }
  return path.resolve(found);
}

function str2(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * svinit's own stdout/stderr for its messages, written synchronously to fd 1/2. Not
 * process.stdout/stderr: creating those makes a pipe non-blocking (libuv), and the copies of
 * programs' output written to that pipe (`/dev/stdout` logs, forward_output) would then meet
 * EAGAIN whenever the reader (`docker logs`) is behind, instead of simply waiting in write(2).
 */
function fdStream(fd: number): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        writeFully(fd, chunk);
      } catch {
        /* a closed stdout/stderr must not stop svinit */
      }
      done();
    },
  });
}

export async function main(argv: string[]): Promise<number> {
  const io = { stdout: fdStream(1), stderr: fdStream(2) };
  const parsed = await parseArgs(argv, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const container = parsed.container ?? inContainer();
  const foreground = container || parsed.command !== undefined || parsed.overrides.nodaemon === true || configSaysNodaemon(parsed.configFile);
  if (!foreground && process.env.SVINIT_DAEMONIZED !== '1') return daemonize(argv);
  const started = await startDaemon({
    configFile: parsed.configFile,
    command: parsed.command,
    overrides: parsed.overrides,
    container,
    logFormat: parsed.logFormat,
    daemonized: process.env.SVINIT_DAEMONIZED === '1',
  }, io.stderr);
  if ('exitCode' in started) return started.exitCode;
  return started.done;
}

/** `nodaemon=true` in the config file also keeps svinit in the foreground (a bad config: let the daemon report it). */
function configSaysNodaemon(file: string | null): boolean {
  if (!file) return false;
  try {
    return loadConfig(file).supervisord.nodaemon;
  } catch {
    return true;
  }
}

/**
 * supervisord daemonizes unless nodaemon: Node cannot fork itself, so svinit starts a detached
 * copy of itself in the foreground mode and exits 0, which is what a caller of supervisord sees.
 */
function daemonize(argv: string[]): number {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...argv], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, SVINIT_DAEMONIZED: '1' },
  });
  child.unref();
  return EXIT_OK;
}

// Run when executed (not when imported by tests).
// The standalone executable (src/cli/sea.ts) dispatches itself; bundles run the entry they are.
const invokedDirectly = process.env.SVINIT_SEA_BUILD !== '1' && (/svinit(\.c?js|\.ts)?$/.test(process.argv[1] ?? '') || process.env.SVINIT_MAIN === '1');
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`svinit: internal error: ${(e as Error).stack ?? e}\n`);
      process.exit(EXIT_INTERNAL_ERROR);
    },
  );
}
