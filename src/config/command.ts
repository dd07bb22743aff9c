// Single-command mode (`svinit -- cmd args…`, like tini): one program, no config file.

import os from 'node:os';
import { ConfigError, type ChannelConfig, type Config, type SupervisordConfig } from './types.js';

const toStream = (file: string): ChannelConfig => ({
  logfile: { kind: 'file', path: file },
  logfileMaxbytes: 0,
  logfileBackups: 0,
  captureMaxbytes: 0,
  eventsEnabled: false,
  syslog: false,
});

/** Quotes one argument for the POSIX shlex split done at spawn time, so argv survives exactly. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_\-+=.,/:@%]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}

export interface CommandOptions {
  /** Command-line values for [supervisord] (e.g. -e loglevel), as loadConfig takes them. */
  overrides?: Partial<SupervisordConfig>;
}

/**
 * The config of `svinit -- cmd args…`: one program `main` that starts at once (startsecs=0), is
 * not restarted (autorestart=false, startretries=0: a failed exec is FATAL at once), and writes
 * straight to the container's stdout/stderr (maxbytes 0: never rotated). No control server.
 * svinit's own activity log goes to stderr at level `error`, so the program's output stays clean.
 */
export function configForCommand(argv: string[], opts: CommandOptions = {}): Config {
  if (!argv.length) throw new ConfigError('no command given after --');
  const config: Config = {
    configFile: '',
    supervisord: {
      // The activity log goes to stderr so the program's own stdout stays clean.
      logfile: '/dev/stderr',
      logfileMaxbytes: 0,
      logfileBackups: 0,
      loglevel: 'error',
      pidfile: null,
      umask: 0o22,
      nodaemon: true,
      silent: true,
      minfds: 1024,
      minprocs: 200,
      nocleanup: true,
      childlogdir: os.tmpdir(),
      user: null,
      directory: null,
      stripAnsi: false,
      environment: {},
      identifier: 'svinit',
    },
    supervisorctl: null,
    groups: [
      {
        name: 'main',
        kind: 'program',
        priority: 999,
        processes: [
          {
            kind: 'program',
            name: 'main',
            programName: 'main',
            groupName: 'main',
            command: argv.map(shellQuote).join(' '),
            processNum: 0,
            priority: 999,
            autostart: true,
            autorestart: false,
            startsecs: 0,
            startretries: 0,
            exitcodes: [0],
            stopsignal: 15,
            stopwaitsecs: 10,
            stopasgroup: true,
            killasgroup: true,
            user: null,
            uid: null,
            gid: null,
            redirectStderr: false,
            stdout: toStream('/dev/stdout'),
            stderr: toStream('/dev/stderr'),
            environment: {},
            directory: null,
            umask: null,
            serverurl: null,
            // As under tini: the program has the container's stdio (and terminal) itself.
            inheritStdio: true,
            section: 'program:main',
            source: { file: '<command line>', line: 0 },
          },
        ],
      },
    ],
    httpServers: [],
    rpcInterfaces: ['supervisor'],
    warnings: [],
    infos: [],
  };
  for (const [k, v] of Object.entries(opts.overrides ?? {}))
    if (v !== undefined) (config.supervisord as unknown as Record<string, unknown>)[k] = v;
  return config;
}
