// svinit's keys for start order, readiness and essential programs (docs/dependencies.md):
// depends_on, notification_fd, notify_socket, ready_check, ready_check_interval, ready_log_regex,
// ready_timeout and essential. supervisord has none of them; every value is checked here so a
// mistake stops svinit at load time with the file and line, like any other config error.

/** What a dependency must have reached before its dependent is spawned. */
export type DependCondition = 'started' | 'running' | 'completed' | 'completed_successfully';

export interface Dependency {
  /** A program name or a group name. */
  name: string;
  condition: DependCondition;
  /** The condition as written (`ready` is kept for the status line; it means `running`). */
  written: string;
}

/** A readiness (or liveness) check target: `ready_check=` parsed. */
export type CheckTarget =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'http'; url: string }
  | { kind: 'unix'; path: string }
  | { kind: 'exec'; command: string };

/** How a program says it is ready; at most one method per program. */
export type ReadinessMethod =
  | { kind: 'fd'; fd: number }
  | { kind: 'notify' }
  | { kind: 'check'; target: CheckTarget; intervalSecs: number }
  | { kind: 'log'; regex: string };

export interface Readiness {
  method: ReadinessMethod;
  /** ready_timeout: not ready within this many seconds is a failed start. */
  timeoutSecs: number;
}

export interface DependsSettings {
  dependsOn: Dependency[];
  readiness: Readiness | null;
  essential: boolean;
}

export const DEPENDS_KEYS = [
  'depends_on', 'notification_fd', 'notify_socket', 'ready_check', 'ready_check_interval', 'ready_log_regex',
  'ready_timeout', 'essential',
] as const;

/** Keys that describe readiness; an [eventlistener] may not have them (its READY is the listener protocol). */
export const READINESS_KEYS = ['notification_fd', 'notify_socket', 'ready_check', 'ready_check_interval', 'ready_log_regex', 'ready_timeout'] as const;

/** A bad value of one of these keys; the loader adds file, line and section. */
export class DependsKeyError extends Error {
  constructor(
    message: string,
    public readonly key: string,
  ) {
    super(message);
    this.name = 'DependsKeyError';
  }
}

const CONDITIONS: Record<string, DependCondition> = {
  started: 'started',
  running: 'running',
  ready: 'running',
  completed: 'completed',
  completed_successfully: 'completed_successfully',
};

export const DEFAULT_READY_TIMEOUT_SECS = 60;
export const DEFAULT_CHECK_INTERVAL_SECS = 1;

/** `depends_on = db, cache:ready, migrate:completed_successfully` (a plain comma list too). */
export function parseDependsOn(value: string): Dependency[] {
  const out: Dependency[] = [];
  for (const item of value.split(',').map((s) => s.trim())) {
    if (!item) continue;
    const i = item.indexOf(':');
    const name = (i === -1 ? item : item.slice(0, i)).trim();
    const written = (i === -1 ? 'running' : item.slice(i + 1)).trim().toLowerCase();
    if (!name || /[\s/]/.test(name)) throw new DependsKeyError(`invalid program or group name ${JSON.stringify(name)} in depends_on`, 'depends_on');
    const condition = CONDITIONS[written];
    if (!condition)
      throw new DependsKeyError(
        `unknown condition ${JSON.stringify(written)} for ${name} in depends_on (expected started, running, ready, completed or completed_successfully)`,
        'depends_on',
      );
    if (out.some((d) => d.name === name)) throw new DependsKeyError(`${name} is named twice in depends_on`, 'depends_on');
    out.push({ name, condition, written });
  }
  return out;
}

/** `ready_check = tcp://HOST:PORT | http://HOST:PORT/PATH | unix:///PATH | exec:COMMAND`. */
export function parseCheckTarget(value: string, key = 'ready_check'): CheckTarget {
  const v = value.trim();
  const bad = (why: string) => new DependsKeyError(`malformed ${key} ${JSON.stringify(v)}: ${why}`, key);
  if (v.startsWith('exec:')) {
    const command = v.slice(5).trim();
    if (!command) throw bad('exec: needs a command');
    return { kind: 'exec', command };
  }
  if (v.startsWith('unix://')) {
    const path = v.slice(7);
    if (!path.startsWith('/')) throw bad('the socket path must be absolute (unix:///path)');
    return { kind: 'unix', path };
  }
  if (v.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d+)\/?$/.exec(v);
    if (!m) throw bad('expected tcp://HOST:PORT');
    return { kind: 'tcp', host: m[1].replace(/^\[|\]$/g, ''), port: port(m[2], bad) };
  }
  if (v.startsWith('http://') || v.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw bad('not a valid URL');
    }
    if (!url.hostname) throw bad('no host');
    if (url.port) port(url.port, bad);
    return { kind: 'http', url: url.href };
  }
  throw bad('expected tcp://HOST:PORT, http://HOST:PORT/PATH, unix:///PATH or exec:COMMAND');
}

function port(text: string, bad: (why: string) => Error): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw bad(`port ${text} is not from 1 to 65535`);
  return n;
}

/** A positive number of seconds (fractions allowed: `ready_check_interval = 0.2`). */
function seconds(value: string, key: string): number {
  const s = value.trim();
  const n = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || !(n > 0)) throw new DependsKeyError(`${key} must be a positive number of seconds, not ${JSON.stringify(value)}`, key);
  return n;
}

function boolean(value: string, key: string): boolean {
  const s = value.trim().toLowerCase();
  if (['yes', 'true', 'on', '1'].includes(s)) return true;
  if (['no', 'false', 'off', '0'].includes(s)) return false;
  throw new DependsKeyError(`not a valid boolean value: ${JSON.stringify(value)} for ${key}`, key);
}

/**
 * Reads the keys of one process section. `raw(key)` gives the (expanded) value or null when the
 * key is absent. `kind` is the section kind: readiness keys are refused on event listeners.
 */
export function readDependsKeys(raw: (key: string) => string | null, kind: 'program' | 'eventlistener' | 'fcgi-program'): DependsSettings {
  if (kind === 'eventlistener')
    for (const key of READINESS_KEYS)
      if (raw(key) !== null)
        throw new DependsKeyError(`${key} is not allowed in an [eventlistener] section: a listener is ready when it says READY on stdout`, key);

  const dependsRaw = raw('depends_on');
  const dependsOn = dependsRaw === null ? [] : parseDependsOn(dependsRaw);
  const essentialRaw = raw('essential');
  const essential = essentialRaw === null ? false : boolean(essentialRaw, 'essential');

  const methods: ReadinessMethod[] = [];
  const methodKeys: string[] = [];
  const fdRaw = raw('notification_fd');
  if (fdRaw !== null) {
    const s = fdRaw.trim();
    const fd = Number(s);
    if (!/^\d+$/.test(s) || fd < 3 || fd > 1023)
      throw new DependsKeyError(`notification_fd must be a descriptor number from 3 to 1023 (0-2 are stdin, stdout and stderr), not ${JSON.stringify(fdRaw)}`, 'notification_fd');
    methods.push({ kind: 'fd', fd });
    methodKeys.push('notification_fd');
  }
  const notifyRaw = raw('notify_socket');
  if (notifyRaw !== null && boolean(notifyRaw, 'notify_socket')) {
    methods.push({ kind: 'notify' });
    methodKeys.push('notify_socket');
  }
  const checkRaw = raw('ready_check');
  const intervalRaw = raw('ready_check_interval');
  if (checkRaw !== null) {
    const intervalSecs = intervalRaw === null ? DEFAULT_CHECK_INTERVAL_SECS : seconds(intervalRaw, 'ready_check_interval');
    methods.push({ kind: 'check', target: parseCheckTarget(checkRaw), intervalSecs });
    methodKeys.push('ready_check');
  } else if (intervalRaw !== null) {
    throw new DependsKeyError('ready_check_interval is set but there is no ready_check', 'ready_check_interval');
  }
  const regexRaw = raw('ready_log_regex');
  if (regexRaw !== null) {
    if (!regexRaw) throw new DependsKeyError('ready_log_regex is empty', 'ready_log_regex');
    try {
      new RegExp(regexRaw);
    } catch (e) {
      throw new DependsKeyError(`ready_log_regex is not a valid regular expression: ${(e as Error).message}`, 'ready_log_regex');
    }
    methods.push({ kind: 'log', regex: regexRaw });
    methodKeys.push('ready_log_regex');
  }
  if (methods.length > 1)
    throw new DependsKeyError(`only one way of telling readiness per program, but ${methodKeys.join(' and ')} are set`, methodKeys[1]);
  const timeoutRaw = raw('ready_timeout');
  if (timeoutRaw !== null && !methods.length)
    throw new DependsKeyError('ready_timeout is set but there is no readiness method (notification_fd, notify_socket, ready_check or ready_log_regex)', 'ready_timeout');
  const timeoutSecs = timeoutRaw === null ? DEFAULT_READY_TIMEOUT_SECS : seconds(timeoutRaw, 'ready_timeout');
  return { dependsOn, essential, readiness: methods.length ? { method: methods[0], timeoutSecs } : null };
}

/** `tcp://db:5432`, `exec:pg_isready` — how a check is named in log lines and status text. */
export function describeCheckTarget(t: CheckTarget): string {
  switch (t.kind) {
    case 'tcp':
      return `tcp://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
    case 'http':
      return t.url;
    case 'unix':
      return `unix://${t.path}`;
    case 'exec':
      return `exec:${t.command}`;
  }
}
