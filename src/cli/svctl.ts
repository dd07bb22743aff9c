// `svctl`: the control client, supervisorctl's command line.

import fs from 'node:fs';
import readline from 'node:readline';
import { findConfigFile, loadCtlConfig } from '../config/index.js';
import { ConfigError, type SupervisorctlConfig } from '../config/types.js';
import { Controller } from '../ctl/controller.js';
import { runShell } from '../ctl/shell.js';

/** Sockets svinit serves on its own in a container, tried when nothing is configured. */
const FALLBACK_SOCKETS = ['/run/svinit.sock', '/tmp/svinit.sock', '/tmp/supervisor.sock'];

function resolveCtlConfig(file: string | null): SupervisorctlConfig {
  try {
    // With no config file at all, look for the socket svinit serves by default.
    if (file) return loadCtlConfig(file);
  } catch (e) {
    // A supervisord.conf without [supervisorctl] (common in containers): find svinit's socket.
    if (!(e instanceof ConfigError) || !e.message.includes('does not include supervisorctl section')) throw e;
  }
  const socket = FALLBACK_SOCKETS.find((s) => fs.existsSync(s));
  return { serverurl: socket ? `unix://${socket}` : 'http://localhost:9001', username: null, password: null, prompt: 'supervisor', historyFile: null };
}

type Parsed = Record<string, unknown> & { _: (string | number)[] };

async function parseOptions(argv: string[], fail: (msg: string) => void): Promise<Parsed> {
  const yargs = (await import('yargs')).default;
  const parser = yargs(argv)
    .scriptName('svctl')
    .usage('svctl [options] [action [arguments]]\n\nControl svinit or supervisord, like supervisorctl.')
    .option('configuration', { alias: 'c', type: 'string', describe: 'configuration file path (default: $SVINIT_CONFIG, then supervisord\'s search paths)' })
    .option('serverurl', { alias: 's', type: 'string', describe: 'URL on which the server listens (default "http://localhost:9001")' })
    .option('username', { alias: 'u', type: 'string', describe: 'username to use for authentication with server' })
    .option('password', { alias: 'p', type: 'string', describe: 'password to use for authentication with server' })
    .option('interactive', { alias: 'i', type: 'boolean', describe: 'start an interactive shell after executing commands' })
    .option('history-file', { alias: 'r', type: 'string', describe: 'keep a readline history (if readline is available)' })
    .parserConfiguration({ 'halt-at-non-option': true, 'unknown-options-as-args': false })
    .help('help')
    .alias('help', ['h', '?'])
    .version(false)
    .strict(false)
    .exitProcess(false)
    .fail((msg, err) => {
      fail(msg ?? err?.message ?? 'bad arguments');
    });
  return (await parser.parseAsync()) as Parsed;
}

export interface SvctlIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  isTTY?: boolean;
}

export async function main(argv: string[], io: SvctlIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, isTTY: process.stdout.isTTY }): Promise<number> {
  let failure: string | null = null;
  // No options (`svctl status`): nothing for yargs to parse, so it is not even loaded.
  const a = argv.length && !argv[0].startsWith('-') ? { _: argv } : await parseOptions(argv, (f) => (failure = f));
  if (failure) {
    io.stderr.write(`Error: ${failure}\nFor help, use svctl -h\n`);
    return 2;
  }
  if (a.help) return 0;
  const confPath =
    (typeof a.configuration === 'string' ? a.configuration : null) ?? process.env.SVINIT_CONFIG ?? findConfigFile(process.argv[1] ?? 'svctl', process.cwd());
  let conf: SupervisorctlConfig;
  try {
    conf = resolveCtlConfig(confPath);
  } catch (e) {
    io.stderr.write(`Error: ${(e as Error).message}\nFor help, use svctl -h\n`);
    return 2;
  }
  if (typeof a.serverurl === 'string') {
    if (!/^(unix|http):\/\/./.test(a.serverurl)) {
      io.stderr.write(`Error: value '${a.serverurl}' is not a URL\nFor help, use svctl -h\n`);
      return 2;
    }
    conf.serverurl = a.serverurl.startsWith('unix://') ? a.serverurl : a.serverurl;
  }
  if (typeof a.username === 'string') conf.username = a.username;
  if (typeof a.password === 'string') conf.password = a.password;
  const historyFile = conf.historyFile;

  let rl: readline.Interface | null = null;
  const lineReader = () => {
    rl ??= readline.createInterface({ input: io.stdin, terminal: false });
    return rl;
  };
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  const onSigint = () => interrupt();
  process.on('SIGINT', onSigint);
  const ctl = new Controller(
    { serverurl: conf.serverurl, username: conf.username, password: conf.password },
    {
      write: (s) => io.stdout.write(s),
      isTTY: io.isTTY,
      interrupted,
      ask: (q) =>
        new Promise((resolve) => {
          io.stdout.write(q);
          const r = lineReader();
          r.once('line', (l) => resolve(l));
          r.once('close', () => resolve(null));
        }),
      readLine: () =>
        new Promise((resolve) => {
          const r = lineReader();
          r.once('line', (l) => resolve(l));
          r.once('close', () => resolve(null));
        }),
    },
  );
  try {
    const args = a._.map(String);
    if (args.length) {
      await ctl.onecmd(args.join(' '));
      if (!a.interactive) return ctl.exitstatus;
    }
    await runShell(ctl, { prompt: conf.prompt, historyFile, input: io.stdin, output: io.stdout });
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    (rl as readline.Interface | null)?.close();
    ctl.client.close();
  }
}

// The standalone executable (src/cli/sea.ts) dispatches itself; bundles run the entry they are.
const invokedDirectly = process.env.SVINIT_SEA_BUILD !== '1' && /svctl(\.c?js|\.ts)?$/.test(process.argv[1] ?? '');
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`svctl: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
