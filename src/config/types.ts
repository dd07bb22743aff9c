// Typed configuration objects: what `src/config/` produces from a supervisord.conf and what every
// other module consumes. Names follow supervisord's own option names (options.py) in camelCase.
// Values are fully parsed, expanded and validated; nothing downstream re-reads raw strings.

import type { LivenessSettings } from './liveness.js';
import type { Dependency, Readiness } from './depends.js';

/** supervisord's log levels (loggers.py LevelsByName); numeric values are supervisord's. */
export type LogLevelName = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';
export const LOG_LEVELS: Record<LogLevelName, number> = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
};

/** `autorestart=`: `unexpected`, or a boolean word (true → always, false → never). */
export type AutoRestart = 'unexpected' | true | false;

/**
 * Where a channel's output goes. `auto` is resolved to a concrete path in childlogdir when the
 * group is created (kept as `auto` here so reread/update can compare configs as supervisord does).
 */
export type LogTarget = { kind: 'none' } | { kind: 'auto' } | { kind: 'file'; path: string };

export interface ChannelConfig {
  logfile: LogTarget;
  logfileMaxbytes: number;
  logfileBackups: number;
  captureMaxbytes: number;
  eventsEnabled: boolean;
  syslog: boolean;
}

/** Where a config value came from, for error messages and warnings. */
export interface SourceRef {
  file: string;
  line: number;
}

/** One process (a program with numprocs=3 yields three of these). supervisord: ProcessConfig. */
export interface ProcessConfig {
  /** Section kind the process came from. */
  kind: 'program' | 'eventlistener' | 'fcgi-program';
  /** process name after expanding process_name. */
  name: string;
  /** The program section's name (after the colon). */
  programName: string;
  /** The group this process belongs to (a `[group:x]` name or the program name). */
  groupName: string;
  /** The `command=` string, expanded (split happens at spawn time, as supervisord does). */
  command: string;
  processNum: number;
  priority: number;
  autostart: boolean;
  autorestart: AutoRestart;
  startsecs: number;
  startretries: number;
  exitcodes: number[];
  /** Signal number. */
  stopsignal: number;
  stopwaitsecs: number;
  stopasgroup: boolean;
  killasgroup: boolean;
  /** User name or numeric uid as written; resolved uid/gid below (null when unset). */
  user: string | null;
  uid: number | null;
  gid: number | null;
  redirectStderr: boolean;
  stdout: ChannelConfig;
  stderr: ChannelConfig;
  /** The program's own `environment=` (already expanded), not merged with anything. */
  environment: Record<string, string>;
  directory: string | null;
  /** Octal umask as a number, or null to inherit. */
  umask: number | null;
  /** `serverurl=`: null = AUTO (supervisord's fallback URL). */
  serverurl: string | null;
  /** Single-command mode only: the program gets svinit's fds 0-2 (the terminal) instead of pipes. */
  inheritStdio?: boolean;
  /** Section the process came from, e.g. `program:web`. */
  section: string;
  source: SourceRef;
  /** `env_files=` (absolute paths), read at every spawn; environment= wins over them. */
  envFiles?: string[];
  /** `liveness_check=` and its settings; null or absent without one. */
  liveness?: LivenessSettings | null;
  /** svinit's depends_on (docs/dependencies.md); absent or empty: none. */
  dependsOn?: Dependency[];
  /** Where depends_on is written, for load-time graph errors. */
  dependsOnSource?: SourceRef;
  /** How the program tells it is ready; absent or null: supervisord's startsecs rule. */
  readiness?: Readiness | null;
  /** When it ends for good, svinit stops everything and exits with its code. */
  essential?: boolean;
}

export interface EventListenerSettings {
  /** Event type names as written (upper-cased), validated against the known types. */
  events: string[];
  bufferSize: number;
  resultHandler: string;
}

export interface FcgiSocketSettings {
  /** `unix:///abs/path` or `tcp://host:port`, expanded. */
  socket: string;
  socketBacklog: number | null;
  /** socket_owner resolved, unix sockets only. */
  socketOwner: { uid: number; gid: number } | null;
  socketMode: number;
}

/** A process group: a homogeneous `[program:x]`, a `[group:x]`, an event listener pool or an fcgi program. */
export interface GroupConfig {
  name: string;
  kind: 'program' | 'group' | 'eventlistener' | 'fcgi-program';
  priority: number;
  /** Sorted in the order supervisord transitions them (ascending priority, then name). */
  processes: ProcessConfig[];
  eventListener?: EventListenerSettings;
  fcgi?: FcgiSocketSettings;
}

export interface HttpServerConfig {
  /** Section name as written, e.g. `unix_http_server` or `inet_http_server:foo`. */
  section: string;
  kind: 'unix' | 'inet';
  /** unix: absolute socket path. */
  file?: string;
  chmod?: number;
  chown?: { uid: number; gid: number } | null;
  /** inet: host ('' = all interfaces) and port. */
  host?: string;
  port?: number;
  username: string | null;
  /** Plain text, or `{SHA}` followed by hex SHA-1. */
  password: string | null;
  /** Made by svinit itself (the container default socket), not written in the config. */
  implicit?: boolean;
}

/** `[probe_http_server]`: a plain listener for /healthz, /readyz and /metrics. */
export interface ProbeServerConfig {
  /** '' = all interfaces. */
  host: string;
  port: number;
}

export interface SupervisordConfig {
  logfile: string; // absolute path, 'syslog', or a device such as /dev/stdout
  logfileMaxbytes: number;
  logfileBackups: number;
  loglevel: LogLevelName;
  pidfile: string | null;
  umask: number;
  nodaemon: boolean;
  silent: boolean;
  minfds: number;
  minprocs: number;
  nocleanup: boolean;
  childlogdir: string;
  user: string | null;
  directory: string | null;
  stripAnsi: boolean;
  environment: Record<string, string>;
  identifier: string;
  /** What SIGHUP does: supervisord's full restart, or svinit's apply-changes like `update`. */
  sighup: SighupAction;
  /** svinit: which channels are also copied to svinit's stdout/stderr (docs/config.md). */
  forwardOutput: ForwardOutput;
  /** svinit: copies are labelled `name | line`. */
  prefixOutput: boolean;
  /** `env_files=` of [supervisord] (absolute paths): every program reads them at spawn. */
  envFiles?: string[];
  /** `shutdown_timeout=` in seconds: the whole shutdown's budget; null = supervisord's behaviour. */
  shutdownTimeout?: number | null;
}

export type SighupAction = 'restart' | 'update';

/** none: only logs sent to /dev/stdout|stderr reach the container's output; auto: also channels with no log file of their own (AUTO, NONE); all: every channel. */
export type ForwardOutput = 'none' | 'auto' | 'all';
export const FORWARD_OUTPUT_VALUES: readonly ForwardOutput[] = ['none', 'auto', 'all'];

export interface SupervisorctlConfig {
  serverurl: string;
  username: string | null;
  password: string | null;
  prompt: string;
  historyFile: string | null;
}

export interface Warning {
  message: string;
  source?: SourceRef;
}

/** The whole parsed configuration. */
export interface Config {
  /** Absolute path of the main config file ('' in single-command mode). */
  configFile: string;
  supervisord: SupervisordConfig;
  supervisorctl: SupervisorctlConfig | null;
  /** Sorted by (priority, name), the order supervisord creates groups in. */
  groups: GroupConfig[];
  httpServers: HttpServerConfig[];
  /** `[probe_http_server]`: the unauthenticated /healthz, /readyz, /metrics listener. */
  probeServer?: ProbeServerConfig | null;
  /** Names of `[rpcinterface:x]` sections (only `supervisor` is implemented). */
  rpcInterfaces: string[];
  /** Parse-time warnings and infos to emit once the logger exists (supervisord does the same). */
  warnings: Warning[];
  infos: string[];
}

/** A config error: the message follows supervisord's wording; source, section and key locate it. */
export class ConfigError extends Error {
  constructor(
    message: string,
    public readonly source?: SourceRef,
    public readonly section?: string,
    public readonly key?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
