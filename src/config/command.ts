// Single-command mode (`svinit -- cmd args…`, like tini): one program, no config file.

import os from 'node:os';
import type { ChannelConfig, Config } from './types.js';

const toStream = (file: string): ChannelConfig => ({
  logfile: { kind: 'file', path: file },
  logfileMaxbytes: 0,
  logfileBackups: 0,
  captureMaxbytes: 0,
  eventsEnabled: false,
  syslog: false,
});

/** Quotes argv for supervisord's shlex split, so the command runs exactly as given. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_\-+=.,/:@%]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}

export function configForCommand(argv: string[]): Config {
  return {
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
}
