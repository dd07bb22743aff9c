// Every key supervisord 4.2.5 reads per section kind, plus svinit's own (docs/kubernetes.md,
// docs/dependencies.md); anything else earns an "unknown key" warning.

import { DEPENDS_KEYS } from './depends.js';
import { PROBE_SERVER_KEYS, PROGRAM_KEYS, SUPERVISORD_KEYS } from './kubernetes.js';

const PROGRAM = [
  'command', 'process_name', 'numprocs', 'numprocs_start', 'priority', 'autostart', 'startsecs', 'startretries',
  'autorestart', 'exitcodes', 'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'user', 'redirect_stderr',
  'stdout_logfile', 'stdout_logfile_maxbytes', 'stdout_logfile_backups', 'stdout_capture_maxbytes',
  'stdout_events_enabled', 'stdout_syslog', 'stderr_logfile', 'stderr_logfile_maxbytes', 'stderr_logfile_backups',
  'stderr_capture_maxbytes', 'stderr_events_enabled', 'stderr_syslog', 'environment', 'directory', 'umask', 'serverurl',
  ...PROGRAM_KEYS,
];

export const KNOWN_KEYS: Record<string, Set<string>> = {
  supervisord: new Set([
    'logfile', 'logfile_maxbytes', 'logfile_backups', 'loglevel', 'pidfile', 'umask', 'nodaemon', 'silent', 'minfds',
    'minprocs', 'nocleanup', 'childlogdir', 'user', 'directory', 'strip_ansi', 'environment', 'identifier',
    'sighup', // svinit's own
    // svinit's own (docs/config.md)
    'forward_output', 'prefix_output',
    ...SUPERVISORD_KEYS,
  ]),
  probe_http_server: new Set(PROBE_SERVER_KEYS),
  supervisorctl: new Set(['serverurl', 'username', 'password', 'prompt', 'history_file']),
  unix_http_server: new Set(['file', 'chmod', 'chown', 'username', 'password']),
  inet_http_server: new Set(['port', 'username', 'password']),
  program: new Set([...PROGRAM, ...DEPENDS_KEYS]),
  eventlistener: new Set([...PROGRAM, ...DEPENDS_KEYS, 'events', 'buffer_size', 'result_handler']),
  'fcgi-program': new Set([...PROGRAM, ...DEPENDS_KEYS, 'socket', 'socket_backlog', 'socket_owner', 'socket_mode']),
  group: new Set(['programs', 'priority']),
  include: new Set(['files']),
};

const BOOL = 'a boolean: true/false, yes/no, on/off or 1/0';
const INT = 'an integer';
const BYTES = 'a byte size: a number of bytes, optionally with KB, MB or GB (e.g. 50MB)';
const OCTAL = 'an octal number (e.g. 022)';
const LOGPATH = 'AUTO, NONE, syslog or a file path whose directory exists';

/** What a key accepts, in words: the hint svinit adds under a config error. */
const EXPECTED: Record<string, string> = {
  autostart: BOOL, stopasgroup: BOOL, killasgroup: BOOL, redirect_stderr: BOOL, stdout_events_enabled: BOOL,
  stderr_events_enabled: BOOL, stdout_syslog: BOOL, stderr_syslog: BOOL, nodaemon: BOOL, silent: BOOL,
  nocleanup: BOOL, strip_ansi: BOOL,
  prefix_output: BOOL, forward_output: 'none, auto or all',
  priority: INT, startsecs: INT, startretries: INT, stopwaitsecs: INT, numprocs: INT, numprocs_start: INT,
  stdout_logfile_backups: INT, stderr_logfile_backups: INT, logfile_backups: INT, minfds: INT, minprocs: INT,
  buffer_size: 'an integer of at least 1',
  socket_backlog: 'an integer from 1 to 65535',
  logfile_maxbytes: BYTES, stdout_logfile_maxbytes: BYTES, stderr_logfile_maxbytes: BYTES,
  stdout_capture_maxbytes: BYTES, stderr_capture_maxbytes: BYTES,
  umask: OCTAL, chmod: OCTAL, socket_mode: OCTAL,
  stopsignal: 'a signal name or number (TERM, SIGHUP, 9, ...)',
  exitcodes: 'a comma-separated list of exit codes from 0 to 255',
  autorestart: 'unexpected, true or false',
  loglevel: 'one of critical, error, warn, info, debug, trace, blather',
  user: 'a user name or uid that exists in /etc/passwd',
  chown: 'user or user:group (names or ids that exist)',
  socket_owner: 'user or user:group (names or ids that exist)',
  environment: 'KEY="value" pairs separated by commas: A="1",B="x y"',
  port: 'port, :port, *:port or host:port with a port from 1 to 65535',
  file: 'the path of the unix socket',
  events: 'a comma-separated list of event types (PROCESS_STATE, TICK_60, ...)',
  socket: 'unix:///absolute/path or tcp://host:port',
  directory: 'an existing directory',
  childlogdir: 'an existing directory',
  logfile: "'syslog' or a file path whose directory exists",
  pidfile: 'a file path whose directory exists',
  stdout_logfile: LOGPATH,
  stderr_logfile: LOGPATH,
  process_name: "a name without spaces, ':' or '/' (with %(process_num) in it when numprocs > 1)",
  command: 'the command line to run',
  programs: 'a comma-separated list of [program:x] or [fcgi-program:x] names',
  files: 'whitespace-separated file names or glob patterns',
  result_handler: 'supervisor.dispatchers:default_handler',
  sighup: 'restart (as supervisord) or update',
  env_files: 'a comma-separated list of KEY=VALUE files',
  envfiles: 'a comma-separated list of KEY=VALUE files',
  shutdown_timeout: 'a number of seconds greater than 0',
  liveness_check: 'tcp://host:port, http://host:port/path, unix:///path or exec:command',
  liveness_check_interval: 'a number of seconds greater than 0',
  liveness_check_timeout: 'a number of seconds greater than 0',
  liveness_check_initial_delay: 'a number of seconds',
  liveness_check_failure_threshold: 'a whole number of at least 1',
  depends_on: 'name[:condition], ... with a program or group name and started, running, ready, completed or completed_successfully',
  notification_fd: 'a descriptor number of 3 or more',
  notify_socket: BOOL,
  ready_check: 'tcp://HOST:PORT, http://HOST:PORT/PATH, unix:///PATH or exec:COMMAND',
  ready_check_interval: 'a positive number of seconds',
  ready_log_regex: 'a regular expression',
  ready_timeout: 'a positive number of seconds',
  essential: BOOL,
};

/** The hint for `key` of `section` (e.g. `program:web`), or null for keys svinit has no words for. */
export function expectedFor(section: string, key: string): string | null {
  const known = KNOWN_KEYS[section.split(':')[0]];
  if (!known?.has(key)) return null;
  return EXPECTED[key] ?? null;
}
