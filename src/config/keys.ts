// Every key supervisord 4.2.5 reads per section kind; anything else earns an "unknown key" warning.

const PROGRAM = [
  'command', 'process_name', 'numprocs', 'numprocs_start', 'priority', 'autostart', 'startsecs', 'startretries',
  'autorestart', 'exitcodes', 'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'user', 'redirect_stderr',
  'stdout_logfile', 'stdout_logfile_maxbytes', 'stdout_logfile_backups', 'stdout_capture_maxbytes',
  'stdout_events_enabled', 'stdout_syslog', 'stderr_logfile', 'stderr_logfile_maxbytes', 'stderr_logfile_backups',
  'stderr_capture_maxbytes', 'stderr_events_enabled', 'stderr_syslog', 'environment', 'directory', 'umask', 'serverurl',
];

export const KNOWN_KEYS: Record<string, Set<string>> = {
  supervisord: new Set([
    'logfile', 'logfile_maxbytes', 'logfile_backups', 'loglevel', 'pidfile', 'umask', 'nodaemon', 'silent', 'minfds',
    'minprocs', 'nocleanup', 'childlogdir', 'user', 'directory', 'strip_ansi', 'environment', 'identifier',
  ]),
  supervisorctl: new Set(['serverurl', 'username', 'password', 'prompt', 'history_file']),
  unix_http_server: new Set(['file', 'chmod', 'chown', 'username', 'password']),
  inet_http_server: new Set(['port', 'username', 'password']),
  program: new Set(PROGRAM),
  eventlistener: new Set([...PROGRAM, 'events', 'buffer_size', 'result_handler']),
  'fcgi-program': new Set([...PROGRAM, 'socket', 'socket_backlog', 'socket_owner', 'socket_mode']),
  group: new Set(['programs', 'priority']),
  include: new Set(['files']),
};
