// Configs parsed by both svinit and the real supervisord (oracle.test.ts). `@DIR@` is the case's
// own directory (also its cwd); `files` are extra files written next to supervisord.conf.

export interface OracleCase {
  name: string;
  text: string;
  files?: Record<string, string>;
}

export const ORACLE_CONFIGS: OracleCase[] = [
  { name: 'minimal', text: '[supervisord]\n' },
  { name: 'defaults', text: '[supervisord]\n[program:x]\ncommand=/bin/true\n' },
  {
    name: 'supervisord-every-key',
    text: `[supervisord]
logfile=@DIR@/sd.log
logfile_maxbytes=1KB
logfile_backups=3
loglevel=BLATHER
pidfile=run.pid
umask=0o027
nodaemon=on
silent=yes
minfds=2048
minprocs=300
nocleanup=1
childlogdir=@DIR@
directory=/tmp
strip_ansi=true
environment=A="a b",B=%(ENV_FOO)s,C=%(here)s
identifier=ident
`,
  },
  { name: 'logfile-syslog', text: '[supervisord]\nlogfile=syslog\n' },
  {
    name: 'program-every-key',
    text: `[supervisord]
[program:web]
command=/bin/sh -c "echo %(program_name)s"
process_name=%(program_name)s-%(process_num)02d
numprocs=3
numprocs_start=7
priority=50
autostart=false
startsecs=0
startretries=9
autorestart=TRUE
exitcodes=0,2, 255
stopsignal=sigint
stopwaitsecs=3
stopasgroup=false
killasgroup=yes
user=nobody
redirect_stderr=false
stdout_logfile=@DIR@/%(process_num)d.out
stdout_logfile_maxbytes=2MB
stdout_logfile_backups=1
stdout_capture_maxbytes=1GB
stdout_events_enabled=true
stdout_syslog=true
stderr_logfile=NONE
stderr_logfile_maxbytes=0
stderr_logfile_backups=0
stderr_capture_maxbytes=10
stderr_events_enabled=false
stderr_syslog=false
environment=N="%(process_num)d",G=%(group_name)s
directory=/tmp/%(ENV_N)s
umask=002
serverurl=http://127.0.0.1:9001
`,
  },
  { name: 'autorestart-false', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nautorestart=off\nstopsignal=9\nuser=33\n' },
  { name: 'serverurl-auto', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nserverurl=auto\n' },
  { name: 'signal-zero', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nstopsignal=0\n' },
  { name: 'stopasgroup-implies-kill', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nstopasgroup=true\n' },
  {
    name: 'ini-syntax',
    text: `[supervisord]
; comment
# comment
[program:a]
COMMAND : /bin/echo one ; inline
  two
    three#x
Priority=5
[program:a]
priority = 7
stopwaitsecs=4 # inline
`,
  },
  { name: 'percent-escape', text: '[supervisord]\n[program:a]\ncommand=/usr/sbin/dhcrelay -d %%h:%%p 100%%\n' },
  {
    name: 'expansions-everywhere',
    text: `[supervisord]
environment=GLOBAL=g
[program:w]
command=/bin/echo %(here)s %(ENV_HOME)s %(ENV_GLOBAL)s %(program_name)s %(group_name)s %(host_node_name)s %(numprocs)d %(ENV_LOCAL)s
numprocs=2
process_name=w%(process_num)s
environment=LOCAL=l%(process_num)d,GLOBAL=overridden
stderr_logfile=%(here)s/%(group_name)s-%(ENV_LOCAL)s.err
`,
  },
  {
    name: 'group-heterogeneous',
    text: `[supervisord]
[program:a]
command=/bin/echo %(group_name)s
priority=20
[program:b]
command=/bin/true
priority=10
[program:c]
command=/bin/true
[group:g]
programs=a,b
priority=5
`,
  },
  {
    name: 'group-order',
    text: `[supervisord]
[program:z]
command=/bin/true
priority=1
[program:a]
command=/bin/true
priority=1
[program:m]
command=/bin/true
`,
  },
  {
    name: 'eventlistener',
    text: `[supervisord]
[eventlistener:l]
command=/bin/cat
events=PROCESS_STATE, tick_60,PROCESS_STATE
buffer_size=3
result_handler=supervisor.dispatchers:default_handler
[eventlistener:m]
command=/bin/cat
events=EVENT
priority=4
`,
  },
  {
    name: 'fcgi',
    text: `[supervisord]
[fcgi-program:f]
command=/bin/cat
socket=unix://%(here)s/../%(program_name)s.sock
socket_owner=www-data:nogroup
socket_mode=0660
socket_backlog=5
[fcgi-program:t]
command=/bin/cat
socket=tcp://localhost:9010
`,
  },
  {
    name: 'servers',
    text: `[supervisord]
[unix_http_server]
file=%(here)s/sub/../s.sock
chmod=0777
chown=daemon:www-data
username=u
password={SHA}abc
[inet_http_server]
port=*:9001
[inet_http_server:two]
port=LocalHost:9002
username=a
password=b
[inet_http_server:three]
port=9003
`,
  },
  {
    name: 'include',
    text: '[supervisord]\n[include]\nfiles=conf.d/*.conf missing/*.ini %(here)s/extra.ini\n',
    files: {
      'conf.d/b.conf': '[program:p]\ncommand=/bin/echo %(here)s\n',
      'conf.d/a.conf': '[program:p]\ncommand=/bin/echo first\npriority=3\n[include]\nfiles=nested.conf\n',
      'conf.d/nested.conf': '[program:nested]\ncommand=/bin/true\n',
      'extra.ini': '[program:q]\ncommand=/bin/true\n',
    },
  },
  {
    name: 'warnings',
    text: `[supervisord]
[program:x]
command=/bin/true
stdout_logfile_maxbytes=0
redirect_stderr=true
stderr_logfile=/tmp/e.log
[program:y]
command=/bin/true
stdout_logfile=syslog
stderr_logfile=SYSLOG
`,
  },
  { name: 'env-syntax', text: "[supervisord]\nenvironment=A=1, B='x,y' ,C=\"\",D=p/a.t+h-(1):2,E=x#y\n" },
  { name: 'supervisord-env-percent', text: '[supervisord]\nenvironment=A="100%%%%"\n' },
  { name: 'numprocs-zero', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nnumprocs=0\n' },
  { name: 'bytes-lower', text: '[supervisord]\nlogfile_maxbytes=3gb\n[program:x]\ncommand=/bin/true\nstdout_logfile_maxbytes=12kb\n' },
  { name: 'default-section', text: '[DEFAULT]\nstartsecs=5\n[supervisord]\n[program:x]\ncommand=/bin/true\n' },
  { name: 'fcgi-user-owner', text: '[supervisord]\n[fcgi-program:f]\ncommand=/bin/cat\nuser=www-data\nsocket=unix:///tmp/x/../f.sock\n[fcgi-program:g]\ncommand=/bin/cat\nsocket=tcp://LOCALHOST:80\nsocket_backlog=1\n' },
  { name: 'unix-server-relative', text: '[supervisord]\n[unix_http_server]\nfile = run/../s.sock \nchown=nobody\n' },
  { name: 'program-env-from-supervisord-env', text: '[supervisord]\nenvironment=A=1\n[program:x]\ncommand=/bin/echo %(ENV_A)s %(ENV_B)s\nenvironment=B="%(ENV_A)s-2",A=3\n' },
  { name: 'empty-command', text: '[supervisord]\n[program:x]\ncommand=\n' },
  { name: 'two-groups-one-program', text: '[supervisord]\n[program:x]\ncommand=/bin/true\n[group:a]\nprograms=x\n[group:b]\nprograms=x\npriority=1\n' },
  { name: 'case-sensitive-sections', text: '[supervisord]\n[Program:x]\ncommand=/bin/true\n[program:X]\ncommand=/bin/true\n' },
  {
    name: 'include-here-in-main',
    text: '[supervisord]\nenvironment=H=%(here)s\n[include]\nfiles=sub/*.conf\n',
    files: { 'sub/p.conf': '[program:p]\ncommand=/bin/echo %(here)s %(ENV_H)s\ndirectory=%(here)s\n' },
  },
  { name: 'numprocs-start-padding', text: '[supervisord]\n[program:w]\ncommand=/bin/true\nprocess_name=%(program_name)s_%(process_num)03d\nnumprocs=3\nnumprocs_start=98\npriority=2\n' },
  { name: 'multiline-env', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nenvironment=\n    A=1,\n    B="two words"\n' },
  { name: 'listener-keys', text: '[supervisord]\n[eventlistener:l]\ncommand=/bin/cat\nevents=process_communication\nstdout_capture_maxbytes=1MB\nstderr_logfile=NONE\nnumprocs=2\nprocess_name=l%(process_num)d\n' },
  { name: 'group-without-programs', text: '[supervisord]\n[group:g]\npriority=1\n' },
  { name: 'empty-exitcodes', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nexitcodes=\n' },
  {
    name: 'logfile-keys-see-process-num',
    text: '[supervisord]\n[program:x]\ncommand=/bin/true\nnumprocs=2\nprocess_name=%(process_num)d\nstdout_logfile_maxbytes=%(process_num)d\nstderr_logfile_backups=%(numprocs)d\nstderr_syslog=%(process_num)d\n',
  },
  { name: 'rpcinterface', text: '[supervisord]\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n' },
  { name: 'include-directory-match', text: '[supervisord]\n[include]\nfiles=conf.d/*\n', files: { 'conf.d/sub/x.conf': '[program:nope]\ncommand=/bin/true\n', 'conf.d/p.conf': '[program:p]\ncommand=/bin/true\n' } },
];

export const ORACLE_ERRORS: OracleCase[] = [
  { name: 'err-env-hostname', text: '[supervisord]\nenvironment=A=%(host_node_name)s\n' },
  { name: 'err-env-double-expansion', text: '[supervisord]\nenvironment=A="100%%"\n' },
  { name: 'err-logfile-double-expansion', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nstdout_logfile=/tmp/a%%b.log\n' },
  { name: 'err-process-num-once', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nstartsecs=%(process_num)d\n' },
  { name: 'err-bad-format-char', text: '[supervisord]\n[program:x]\ncommand=/bin/echo %(program_name)q\n' },
  { name: 'err-format-no-mapping', text: '[supervisord]\n[program:x]\ncommand=/bin/echo 100%\n' },
  { name: 'err-format-d-of-str', text: '[supervisord]\n[program:x]\ncommand=/bin/echo %(program_name)d\n' },
  { name: 'err-supervisord-user', text: '[supervisord]\nuser=nosuchuserxyz\n' },
  { name: 'err-inet-auth-before-port', text: '[supervisord]\n[inet_http_server]\nusername=a\n' },
  { name: 'err-inet-port-zero', text: '[supervisord]\n[inet_http_server]\nport=:0\n' },
  { name: 'err-inet-host-only', text: '[supervisord]\n[inet_http_server]\nport=localhost:\n' },
  { name: 'err-inet-port-text', text: '[supervisord]\n[inet_http_server]\nport=localhost:abc\n' },
  { name: 'err-group-ambiguous', text: '[supervisord]\n[program:a]\ncommand=/bin/true\n[fcgi-program:a]\ncommand=/bin/true\nsocket=tcp://h:1\n[group:g]\nprograms=a\n' },
  { name: 'err-group-badname', text: '[supervisord]\n[group:g/h]\nprograms=a\n' },
  { name: 'err-listener-handler', text: '[supervisord]\n[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\nresult_handler=nope:nothing\n' },
  { name: 'err-listener-badname', text: '[supervisord]\n[eventlistener:l m]\ncommand=/bin/cat\nevents=TICK_5\n' },
  { name: 'err-fcgi-owner-tcp', text: '[supervisord]\n[fcgi-program:f]\ncommand=/bin/cat\nsocket=tcp://h:1\nsocket_mode=0600\n' },
  { name: 'err-fcgi-backlog', text: '[supervisord]\n[fcgi-program:f]\ncommand=/bin/cat\nsocket=tcp://h:1\nsocket_backlog=0\n' },
  { name: 'err-fcgi-owner', text: '[supervisord]\n[fcgi-program:f]\ncommand=/bin/cat\nsocket=unix:///tmp/f.sock\nsocket_owner=nosuchuserxyz\n' },
  { name: 'err-fcgi-mode', text: '[supervisord]\n[fcgi-program:f]\ncommand=/bin/cat\nsocket=unix:///tmp/f.sock\nsocket_mode=rw\n' },
  { name: 'err-fcgi-tcp-port', text: '[supervisord]\n[fcgi-program:f]\ncommand=/bin/cat\nsocket=tcp://h:0\n' },
  { name: 'err-unix-chown-group', text: '[supervisord]\n[unix_http_server]\nfile=/tmp/x.sock\nchown=nobody:nosuchgroupxyz\n' },
  { name: 'err-include-parse', text: '[supervisord]\n[include]\nfiles=bad.ini\n', files: { 'bad.ini': '[program:x]\ncommand=/bin/true\nnot a key value\n' } },
  { name: 'err-include-expand', text: '[supervisord]\n[include]\nfiles=%(program_name)s.ini\n' },
  { name: 'err-include-file-missing-section', text: '[supervisord]\n[include]\nfiles=x.conf\n', files: { 'x.conf': 'command=/bin/true\n' } },
  { name: 'err-negative-bytes', text: '[supervisord]\nlogfile_maxbytes=KB\n' },
  { name: 'err-directory-missing', text: '[supervisord]\ndirectory=/nonexistent/dir\n' },
  { name: 'err-env-unclosed', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nenvironment=A="x\n' },
  { name: 'err-env-missing-value', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nenvironment=A=\n' },
  { name: 'err-env-same-line', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nenvironment=A=1,B=%(ENV_A)s\n' },
  { name: 'err-process-name-slash', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nprocess_name=a/b\n' },
  { name: 'err-logfile-dir', text: '[supervisord]\npidfile=/nonexistent/x.pid\n' },
  { name: 'err-inline-comment-needs-space', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nstartsecs=3;not-a-comment\n' },
  { name: 'err-inet-port-here', text: '[supervisord]\n[inet_http_server]\nport=%(here)s\n' },
  { name: 'err-no-header-first-line', text: '  \nkey=value\n[supervisord]\n' },
  { name: 'err-numprocs-text', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nnumprocs=two\n' },
  { name: 'err-buffer-size-text', text: '[supervisord]\n[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_5\nbuffer_size=big\n' },
  { name: 'err-group-priority', text: '[supervisord]\n[program:x]\ncommand=/bin/true\n[group:g]\nprograms=x\npriority=high\n' },
  { name: 'err-listener-priority-before-events', text: '[supervisord]\n[eventlistener:l]\ncommand=/bin/cat\npriority=x\n' },
  { name: 'err-syslog-bool', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nstdout_syslog=sure\n' },
  { name: 'err-capture-bytes', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nstderr_capture_maxbytes=1TB\n' },
  { name: 'err-rpcinterface-no-factory', text: '[supervisord]\n[rpcinterface:supervisor]\nfoo=bar\n' },
  { name: 'err-rpcinterface-extra-expansion', text: '[supervisord]\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\nretries=%(nope)s\n' },
  { name: 'err-rpcinterface-before-groups', text: '[supervisord]\n[program:x]\ncommand=/bin/true\nstartsecs=x\n[rpcinterface:supervisor]\n' },
  { name: 'err-duplicate-errors', text: '[supervisord]\nfoo\nbar\n' },
];
