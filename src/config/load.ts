// supervisord.conf → Config, following options.py (read_config, process_groups_from_parser,
// processes_from_section, server_configs_from_parser) and its error texts. Every error also
// carries the file, line, section and key it came from.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  colonSeparatedUserGroup,
  existingDirectory,
  existingDirpath,
  inetAddress,
  listOfStrings,
  nameToUid,
  parseAutorestart,
  parseBoolean,
  parseByteSize,
  parseEnvironment,
  parseExitCodes,
  parseInteger,
  parseLogLevel,
  parseOctal,
  parseSignal,
  processOrGroupName,
  ValueError,
} from './datatypes.js';
import { checkDependencies } from './dependency-graph.js';
import { DependsKeyError, readDependsKeys } from './depends.js';
import { expand, ExpansionError, type Expansions } from './expand.js';
import { glob } from './glob.js';
import { IniDocument, pyRepr, type IniValue } from './ini.js';
import { expectedFor, KNOWN_KEYS } from './keys.js';
import {
  ConfigError,
  type ChannelConfig,
  type Config,
  type GroupConfig,
  type HttpServerConfig,
  type LogTarget,
  type ProcessConfig,
  type SupervisordConfig,
  type SupervisorctlConfig,
  type Warning,
} from './types.js';
import { lookupUser } from './users.js';

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  hostname?: string;
  /** Command-line values; they beat the file's. */
  overrides?: Partial<SupervisordConfig>;
  cwd?: string;
}

export const EVENT_TYPE_NAMES = [
  'EVENT', 'PROCESS_STATE', 'PROCESS_STATE_STARTING', 'PROCESS_STATE_RUNNING', 'PROCESS_STATE_BACKOFF',
  'PROCESS_STATE_STOPPING', 'PROCESS_STATE_EXITED', 'PROCESS_STATE_STOPPED', 'PROCESS_STATE_FATAL',
  'PROCESS_STATE_UNKNOWN', 'REMOTE_COMMUNICATION', 'PROCESS_LOG', 'PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR',
  'PROCESS_COMMUNICATION', 'PROCESS_COMMUNICATION_STDOUT', 'PROCESS_COMMUNICATION_STDERR',
  'SUPERVISOR_STATE_CHANGE', 'SUPERVISOR_STATE_CHANGE_RUNNING', 'SUPERVISOR_STATE_CHANGE_STOPPING', 'TICK',
  'TICK_5', 'TICK_60', 'TICK_3600', 'PROCESS_GROUP', 'PROCESS_GROUP_ADDED', 'PROCESS_GROUP_REMOVED',
];

/** An error raised while reading one key: it knows where it is. */
class KeyError extends Error {
  constructor(
    message: string,
    public readonly at?: IniValue,
    public readonly key?: string,
  ) {
    super(message);
  }
}

/** Reads the raw text of the main file and the [include]d files into one document. */
function readDocument(file: string, expansions: Expansions, warnings: Warning[], infos: string[]): IniDocument {
  const doc = new IniDocument();
  if (!fs.existsSync(file)) throw new ConfigError(`could not find config file ${file}`, { file, line: 0 });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`could not read config file ${file}`, { file, line: 0 });
  }
  doc.read(text, file);
  const here = path.dirname(file);
  if (doc.has('include')) {
    doc.expandHere(here);
    const files = doc.get('include', 'files');
    if (!files) throw new ConfigError('.ini file has [include] section, but no files setting', { file: doc.sections.get('include')!.file, line: doc.sections.get('include')!.line }, 'include');
    let patterns: string;
    try {
      patterns = expand(files.value, expansions, 'include.files');
    } catch (e) {
      throw new ConfigError((e as Error).message, files, 'include', 'files');
    }
    for (const pattern of patterns.split(/\s+/).filter(Boolean)) {
      const abs = path.resolve(here, pattern);
      const matches = glob(abs);
      if (!matches.length) {
        warnings.push({ message: `No file matches via include "${abs}"`, source: files });
        continue;
      }
      for (const f of matches.sort()) {
        infos.push(`Included extra file "${f}" during parsing`);
        let text: string;
        try {
          text = fs.readFileSync(f, 'utf8');
        } catch {
          // RawConfigParser.read() skips what it cannot open (a directory, an unreadable file).
          continue;
        }
        doc.read(text, f);
        doc.expandHere(path.dirname(path.resolve(f)));
      }
    }
  }
  return doc;
}

export function loadConfig(file: string, opts: LoadOptions = {}): Config {
  const configFile = path.resolve(opts.cwd ?? process.cwd(), file);
  const env = opts.env ?? (process.env as Record<string, string | undefined>);
  const hostname = opts.hostname ?? os.hostname();
  const here = path.dirname(configFile);
  const warnings: Warning[] = [];
  const infos: string[] = [];
  const environ: Expansions = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) environ[`ENV_${k}`] = v;

  if (!fs.existsSync(configFile)) throw new ConfigError(`could not find config file ${file}`, { file: configFile, line: 0 });
  const doc = readDocument(configFile, { here, host_node_name: hostname, ...environ }, warnings, infos);
  if (!doc.has('supervisord')) throw new ConfigError('.ini file does not include supervisord section', { file: configFile, line: 0 });

  const cwd = opts.cwd ?? process.cwd();
  const r = new Reader(doc, environ, here, configFile, cwd);
  const supervisord = r.supervisord(opts.overrides ?? {}, hostname, cwd);
  for (const [k, v] of Object.entries(supervisord.environment)) environ[`ENV_${k}`] = v;
  // supervisord loads the rpcinterface plugins before reading the groups (custom event types).
  const rpcInterfaces = r.rpcInterfaces();
  const groups = r.groups(hostname);
  checkDependencies(groups);
  for (const g of groups)
    for (const p of g.processes) p.environment = { ...supervisord.environment, ...p.environment };
  const httpServers = r.servers();
  r.checkUser(supervisord);
  // supervisord itself never reads [supervisorctl]: a mistake there must not stop it.
  let supervisorctl: SupervisorctlConfig | null = null;
  try {
    supervisorctl = doc.has('supervisorctl') ? ctlFromDoc(doc, environ, here, cwd) : null;
  } catch {
    supervisorctl = null;
  }
  warnings.push(...r.unknownKeyWarnings(), ...r.warnings);
  return { configFile, supervisord, supervisorctl, groups, httpServers, rpcInterfaces, warnings, infos };
}

class Reader {
  warnings: Warning[] = [];
  constructor(
    private readonly doc: IniDocument,
    private readonly environ: Expansions,
    private readonly here: string,
    private readonly configFile: string,
    private readonly cwd: string,
  ) {}

  /** saneget: the raw value (expanded unless raw) or the default. */
  get(section: string, key: string, dflt: string | null, expansions: Expansions = {}, raw = false, withHere = true): { value: string | null; at?: IniValue } {
    const at = this.doc.get(section, key);
    if (!at) return { value: dflt };
    if (raw) return { value: at.value, at };
    // supervisord adds `here` to most lookups, but not to the server sections' (saneget alone).
    const all: Expansions = withHere ? { ...this.environ, ...expansions, here: expansions.here ?? this.here } : { ...this.environ, ...expansions };
    try {
      return { value: expand(at.value, all, `${section}.${key}`), at };
    } catch (e) {
      throw new KeyError((e as ExpansionError).message, at, key);
    }
  }

  /** Reads and converts one key; converter errors become KeyErrors that know the location. */
  conv<T>(section: string, key: string, dflt: string, fn: (v: string) => T, expansions: Expansions = {}): T {
    const { value, at } = this.get(section, key, dflt, expansions);
    try {
      return fn(value!);
    } catch (e) {
      if (e instanceof KeyError) throw e;
      throw new KeyError((e as Error).message, at, key);
    }
  }

  private fail(e: unknown, section: string, inProcessSection: boolean): never {
    if (e instanceof ConfigError) throw e;
    const err = e as KeyError;
    const file = this.doc.sections.get(section)?.file ?? this.configFile;
    const suffix = inProcessSection ? ` in section ${pyRepr(section)} (file: ${pyRepr(file)})` : '';
    const source = err.at ? { file: err.at.file, line: err.at.line } : { file, line: this.doc.sections.get(section)?.line ?? 0 };
    throw new ConfigError(`${err.message}${suffix}`, source, section, err.key);
  }

  supervisord(over: Partial<SupervisordConfig>, hostname: string, cwd: string): SupervisordConfig {
    const S = 'supervisord';
    try {
      const c = <T>(key: string, dflt: string, fn: (v: string) => T) => this.conv(S, key, dflt, fn);
      const abs = (p: string) => (p === 'syslog' ? p : path.resolve(cwd, p));
      // supervisord expands this value twice: once as every [supervisord] value (ENV_, here), then
      // again with host_node_name added (so `%%` needs `%%%%`, and host_node_name fails first).
      const environmentRaw = this.get(S, 'environment', '');
      let environment: Record<string, string>;
      try {
        environment = parseEnvironment(expand(environmentRaw.value!, { here: this.here, host_node_name: hostname, ...this.environ }, 'environment'));
      } catch (e) {
        throw new KeyError((e as Error).message, environmentRaw.at, 'environment');
      }
      const directory = this.get(S, 'directory', null).value;
      const user = this.get(S, 'user', null).value;
      const cfg: SupervisordConfig = {
        minfds: c('minfds', '1024', parseInteger),
        minprocs: c('minprocs', '200', parseInteger),
        directory: directory === null ? null : c('directory', '', (v) => existingDirectory(v, cwd)),
        user,
        umask: c('umask', '022', parseOctal),
        logfile: abs(c('logfile', 'supervisord.log', (v) => existingDirpath(v, cwd))),
        logfileMaxbytes: c('logfile_maxbytes', '50MB', parseByteSize),
        logfileBackups: c('logfile_backups', '10', parseInteger),
        loglevel: c('loglevel', 'info', parseLogLevel),
        pidfile: abs(c('pidfile', 'supervisord.pid', (v) => existingDirpath(v, cwd))),
        identifier: this.get(S, 'identifier', 'supervisor').value!,
        nodaemon: c('nodaemon', 'false', parseBoolean),
        silent: c('silent', 'false', parseBoolean),
        childlogdir: c('childlogdir', os.tmpdir(), (v) => existingDirectory(v, cwd)),
        nocleanup: c('nocleanup', 'false', parseBoolean),
        stripAnsi: c('strip_ansi', 'false', parseBoolean),
        environment,
      };
      const merged: SupervisordConfig = { ...cfg };
      for (const [k, v] of Object.entries(over)) if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
      // realize() normalises the -l/-j values as it does the file's.
      if (over.logfile && over.logfile !== 'syslog') merged.logfile = normalizePath(over.logfile, cwd);
      if (over.pidfile) merged.pidfile = normalizePath(over.pidfile, cwd);
      return merged;
    } catch (e) {
      this.fail(e, S, false);
    }
  }

  /** supervisord checks `user=` (file or -u) once the whole file has been read (realize). */
  checkUser(sd: SupervisordConfig): void {
    if (sd.user === null) return;
    try {
      nameToUid(sd.user);
    } catch (e) {
      const at = this.doc.get('supervisord', 'user');
      throw new ConfigError((e as Error).message, at ? { file: at.file, line: at.line } : undefined, 'supervisord', 'user');
    }
  }

  groups(hostname: string): GroupConfig[] {
    const sections = this.doc.names();
    const groups: GroupConfig[] = [];
    const excluded = new Set<string>();
    for (const section of sections.filter((s) => s.startsWith('group:'))) {
      try {
        const name = processOrGroupName(section.split(':').slice(1).join(':'));
        // No programs= is not an error in supervisord: the group is simply empty.
        const programsAt = this.get(section, 'programs', '');
        const priority = this.conv(section, 'priority', '999', parseInteger);
        const processes: ProcessConfig[] = [];
        for (const program of listOfStrings(programsAt.value!)) {
          const ps = `program:${program}`;
          const fs_ = `fcgi-program:${program}`;
          const hasP = this.doc.has(ps);
          const hasF = this.doc.has(fs_);
          if (!hasP && !hasF) throw new KeyError(`[${section}] names unknown program or fcgi-program ${program}`, programsAt.at, 'programs');
          if (hasP && hasF) throw new KeyError(`[${section}] name ${program} is ambiguous (exists as program and fcgi-program)`, programsAt.at, 'programs');
          const target = hasP ? ps : fs_;
          excluded.add(target);
          processes.push(...this.processes(target, name, hostname, hasP ? 'program' : 'fcgi-program'));
        }
        groups.push({ name, kind: 'group', priority, processes });
      } catch (e) {
        this.fail(e, section, false);
      }
    }
    for (const section of sections.filter((s) => s.startsWith('program:') && !excluded.has(s))) {
      const name = this.sectionName(section);
      const priority = this.safe(section, () => this.conv(section, 'priority', '999', parseInteger));
      groups.push({ name, kind: 'program', priority, processes: this.processes(section, name, hostname, 'program') });
    }
    for (const section of sections.filter((s) => s.startsWith('eventlistener:'))) {
      const name = section.slice('eventlistener:'.length);
      const g = this.safe(section, () => {
        const priority = this.conv(section, 'priority', '-1', parseInteger);
        const bufferSize = this.conv(section, 'buffer_size', '10', parseInteger);
        if (bufferSize < 1) throw new KeyError(`[${section}] section sets invalid buffer_size (${bufferSize})`, this.doc.get(section, 'buffer_size'), 'buffer_size');
        const resultHandler = this.get(section, 'result_handler', 'supervisor.dispatchers:default_handler').value!;
        if (!/^supervisor\.dispatchers:(default_handler|json_handler)$/.test(resultHandler))
          throw new KeyError(`${resultHandler} cannot be resolved within [${section}]`, this.doc.get(section, 'result_handler'), 'result_handler');
        const eventsAt = this.get(section, 'events', '');
        const events = [...new Set(listOfStrings(eventsAt.value!).map((x) => x.toUpperCase()))];
        if (!events.length) throw new KeyError(`[${section}] section requires an "events" line`, eventsAt.at, 'events');
        for (const ev of events) if (!EVENT_TYPE_NAMES.includes(ev)) throw new KeyError(`Unknown event type ${ev} in [${section}] events`, eventsAt.at, 'events');
        if (this.conv(section, 'redirect_stderr', 'false', parseBoolean))
          throw new KeyError(
            `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
            this.doc.get(section, 'redirect_stderr'),
            'redirect_stderr',
          );
        return { priority, eventListener: { events, bufferSize, resultHandler } };
      });
      groups.push({ name, kind: 'eventlistener', priority: g.priority, eventListener: g.eventListener, processes: this.processes(section, name, hostname, 'eventlistener') });
    }
    for (const section of sections.filter((s) => s.startsWith('fcgi-program:') && !excluded.has(s))) {
      const name = this.sectionName(section);
      const g = this.safe(section, () => {
        const priority = this.conv(section, 'priority', '999', parseInteger);
        const user = this.get(section, 'user', null).value;
        const procUid = user === null ? null : this.conv(section, 'user', '', nameToUid);
        const backlogRaw = this.get(section, 'socket_backlog', null);
        let socketBacklog: number | null = null;
        if (backlogRaw.value !== null) {
          socketBacklog = this.conv(section, 'socket_backlog', '', parseInteger);
          if (socketBacklog < 1 || socketBacklog > 65535) throw new KeyError(`Invalid socket_backlog value ${socketBacklog}`, backlogRaw.at, 'socket_backlog');
        }
        const ownerRaw = this.get(section, 'socket_owner', null);
        let owner: { uid: number; gid: number } | null = null;
        if (ownerRaw.value !== null) {
          try {
            owner = colonSeparatedUserGroup(ownerRaw.value);
          } catch {
            throw new KeyError(`Invalid socket_owner value ${ownerRaw.value}`, ownerRaw.at, 'socket_owner');
          }
        }
        const modeRaw = this.get(section, 'socket_mode', null);
        let mode: number | null = null;
        if (modeRaw.value !== null) {
          try {
            mode = parseOctal(modeRaw.value);
          } catch {
            throw new KeyError(`Invalid socket_mode value ${modeRaw.value}`, modeRaw.at, 'socket_mode');
          }
        }
        const sockAt = this.get(section, 'socket', null, { program_name: name });
        if (!sockAt.value) throw new KeyError(`[${section}] section requires a "socket" line`, sockAt.at, 'socket');
        const sock = sockAt.value;
        if (sock.startsWith('unix://')) {
          const p = sock.slice(7);
          if (!path.isAbsolute(p)) throw new KeyError(`('Unix socket path %s is not an absolute path', ${pyRepr(p)}) in [${section}] socket`, sockAt.at, 'socket');
          if (owner === null && procUid !== null && procUid !== process.getuid?.()) {
            const entry = lookupUser(String(procUid));
            owner = { uid: procUid, gid: entry?.gid ?? -1 };
          }
          return { priority, fcgi: { socket: `unix://${normalizePath(p, this.cwd)}`, socketBacklog, socketOwner: owner, socketMode: mode ?? 0o700 } };
        }
        if (owner !== null || mode !== null)
          throw new KeyError(`socket_owner and socket_mode params should only be used with a Unix domain socket in [${section}] socket`, sockAt.at, 'socket');
        // supervisord raises these with two arguments, so its message shows them as a tuple.
        const tcp = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(sock);
        if (!tcp) throw new KeyError(`('Bad socket format %s', ${pyRepr(sock)}) in [${section}] socket`, sockAt.at, 'socket');
        const port = Number(tcp[2]);
        if (port < 1 || port > 65535)
          throw new KeyError(`${port} is ${port < 1 ? 'below lower bound (1)' : 'above upper bound (65535)'} in [${section}] socket`, sockAt.at, 'socket');
        return { priority, fcgi: { socket: `tcp://${tcp[1].toLowerCase()}:${port}`, socketBacklog, socketOwner: null, socketMode: 0o700 } };
      });
      groups.push({ name, kind: 'fcgi-program', priority: g.priority, fcgi: g.fcgi, processes: this.processes(section, name, hostname, 'fcgi-program') });
    }
    return groups.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private sectionName(section: string): string {
    return this.safe(section, () => processOrGroupName(section.split(':').slice(1).join(':')));
  }

  private sectionSource(section: string): { file: string; line: number } {
    const s = this.doc.sections.get(section);
    return s ? { file: s.file, line: s.line } : { file: this.configFile, line: 0 };
  }

  /** Group-level checks: supervisord reports these without the process-section suffix. */
  private safe<T>(section: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      this.fail(e, section, false);
    }
  }

  /** processes_from_section: one ProcessConfig per process_num, sorted by (priority, name). */
  processes(section: string, groupName: string, hostname: string, kind: ProcessConfig['kind']): ProcessConfig[] {
    try {
      const programName = processOrGroupName(section.split(':').slice(1).join(':'));
      const common: Expansions = { here: this.here, program_name: programName, host_node_name: hostname, group_name: groupName };
      const c = <T>(key: string, dflt: string, fn: (v: string) => T) => this.conv(section, key, dflt, fn, common);
      const priority = c('priority', '999', parseInteger);
      const autostart = c('autostart', 'true', parseBoolean);
      const autorestart = c('autorestart', 'unexpected', parseAutorestart);
      const startsecs = c('startsecs', '1', parseInteger);
      const startretries = c('startretries', '3', parseInteger);
      const stopsignal = c('stopsignal', 'TERM', parseSignal);
      const stopwaitsecs = c('stopwaitsecs', '10', parseInteger);
      const stopasgroup = c('stopasgroup', 'false', parseBoolean);
      const killasgroup = c('killasgroup', String(stopasgroup), parseBoolean);
      const exitcodes = c('exitcodes', '0', parseExitCodes);
      const redirectStderr = c('redirect_stderr', 'false', parseBoolean);
      const numprocs = c('numprocs', '1', parseInteger);
      const numprocsStart = c('numprocs_start', '0', parseInteger);
      const environmentAt = this.get(section, 'environment', '', common, true);
      const stdoutCapture = c('stdout_capture_maxbytes', '0', parseByteSize);
      const stdoutEvents = c('stdout_events_enabled', 'false', parseBoolean);
      const stderrCapture = c('stderr_capture_maxbytes', '0', parseByteSize);
      const stderrEvents = c('stderr_events_enabled', 'false', parseBoolean);
      let serverurl = this.get(section, 'serverurl', null, common).value;
      if (serverurl && serverurl.trim().toUpperCase() === 'AUTO') serverurl = null;
      const user = this.get(section, 'user', null, common).value;
      const uid = user === null ? null : c('user', '', nameToUid);
      const gid = uid === null ? null : (lookupUser(String(uid))?.gid ?? null);
      const umaskRaw = this.get(section, 'umask', null, common).value;
      const umask = umaskRaw === null ? null : c('umask', '', parseOctal);
      const processNameAt = this.get(section, 'process_name', '%(program_name)s', common, true);
      const processName = (() => {
        try {
          return processOrGroupName(processNameAt.value!);
        } catch (e) {
          throw new KeyError((e as Error).message, processNameAt.at, 'process_name');
        }
      })();
      if (numprocs > 1 && !processName.includes('%(process_num)'))
        throw new KeyError('%(process_num) must be present within process_name when numprocs > 1', processNameAt.at ?? this.doc.get(section, 'numprocs'), 'process_name');
      if (stopasgroup && !killasgroup) throw new KeyError('Cannot set stopasgroup=true and killasgroup=false', this.doc.get(section, 'killasgroup'), 'killasgroup');
      const depends = this.depends(section, kind, common);

      const out: ProcessConfig[] = [];
      for (let num = numprocsStart; num < numprocsStart + numprocs; num++) {
        const exp: Expansions = { ...common, process_num: num, numprocs };
        let environment: Record<string, string>;
        try {
          environment = parseEnvironment(expand(environmentAt.value!, { ...this.environ, ...exp }, 'environment'));
        } catch (e) {
          throw new KeyError((e as Error).message, environmentAt.at, 'environment');
        }
        for (const [k, v] of Object.entries(environment)) exp[`ENV_${k}`] = v;
        const directory = this.get(section, 'directory', null, exp).value;
        const channel = (ch: 'stdout' | 'stderr', capture: number, events: boolean): ChannelConfig => {
          const lfKey = `${ch}_logfile`;
          const raw = this.get(section, lfKey, null, exp);
          // supervisord expands log file names a second time (so `%%` must be written `%%%%`).
          if (raw.value !== null) {
            try {
              raw.value = expand(raw.value, { ...this.environ, ...exp }, lfKey);
            } catch (e) {
              throw new KeyError((e as Error).message, raw.at, lfKey);
            }
          }
          let logfile: LogTarget = { kind: 'auto' };
          let syslog = this.conv(section, `${ch}_syslog`, 'false', parseBoolean, exp);
          const maxbytes = this.conv(section, `${ch}_logfile_maxbytes`, '50MB', parseByteSize, exp);
          const backups = this.conv(section, `${ch}_logfile_backups`, '10', parseInteger, exp);
          if (raw.value !== null) {
            const lower = raw.value.toLowerCase();
            if (lower === 'none' || lower === 'off') logfile = { kind: 'none' };
            else if (lower === 'auto') logfile = { kind: 'auto' };
            else if (lower === 'syslog') {
              this.warnings.push({
                message: `For [${section}], ${lfKey}=syslog but this is deprecated and will be removed.  Use ${ch}_syslog=true to enable syslog instead.`,
                source: raw.at,
              });
              logfile = { kind: 'none' };
              syslog = true;
            } else {
              try {
                // supervisord opens a relative name against its cwd; made absolute here once.
                logfile = { kind: 'file', path: path.resolve(this.cwd, existingDirpath(raw.value, this.cwd)) };
              } catch (e) {
                throw new KeyError((e as Error).message, raw.at, lfKey);
              }
            }
          }
          if (logfile.kind === 'auto' && !maxbytes)
            this.warnings.push({
              message: `For [${section}], AUTO logging used for ${lfKey} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
              source: raw.at ?? this.doc.get(section, `${ch}_logfile_maxbytes`) ?? this.sectionSource(section),
            });
          return { logfile, logfileMaxbytes: maxbytes, logfileBackups: backups, captureMaxbytes: capture, eventsEnabled: events, syslog };
        };
        const stdout = channel('stdout', stdoutCapture, stdoutEvents);
        const stderr = channel('stderr', stderrCapture, stderrEvents);
        if (redirectStderr) {
          if (stderr.logfile.kind === 'file')
            this.warnings.push({ message: `For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`, source: this.doc.get(section, 'stderr_logfile') });
          stderr.logfile = { kind: 'none' };
        }
        const commandAt = this.get(section, 'command', null, exp);
        if (commandAt.value === null) throw new KeyError(`program section ${section} does not specify a command`, undefined, 'command');
        let name: string;
        try {
          name = expand(processName, { ...this.environ, ...exp }, 'process_name');
        } catch (e) {
          throw new KeyError((e as Error).message, processNameAt.at, 'process_name');
        }
        out.push({
          kind,
          name,
          programName,
          groupName,
          command: commandAt.value,
          processNum: num,
          priority,
          autostart,
          autorestart,
          startsecs,
          startretries,
          exitcodes,
          stopsignal,
          stopwaitsecs,
          stopasgroup,
          killasgroup,
          user,
          uid,
          gid,
          redirectStderr,
          stdout,
          stderr,
          environment,
          directory,
          umask,
          serverurl,
          section,
          source: { file: this.doc.sections.get(section)!.file, line: this.doc.sections.get(section)!.line },
          ...depends,
        });
      }
      return out.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      this.fail(e, section, true);
    }
  }

  /** svinit's depends_on, readiness and essential keys of a process section (docs/dependencies.md). */
  private depends(section: string, kind: ProcessConfig['kind'], expansions: Expansions) {
    try {
      const settings = readDependsKeys((key) => this.get(section, key, null, expansions).value, kind);
      const at = this.doc.get(section, 'depends_on');
      return { ...settings, dependsOnSource: at ? { file: at.file, line: at.line } : undefined };
    } catch (e) {
      if (e instanceof DependsKeyError) throw new KeyError(e.message, this.doc.get(section, e.key), e.key);
      throw e;
    }
  }

  /** get_plugins for `[rpcinterface:x]`: the factory key is required; only supervisord's own exists here. */
  rpcInterfaces(): string[] {
    const FACTORY = 'supervisor.rpcinterface_factory';
    const names: string[] = [];
    for (const section of this.doc.names().filter((s) => s.startsWith('rpcinterface:'))) {
      try {
        const spec = this.get(section, FACTORY, null, {}, false, false);
        if (spec.value === null) throw new KeyError(`section [${section}] does not specify a ${FACTORY}`, undefined, FACTORY);
        if (spec.value.trim() !== 'supervisor.rpcinterface:make_main_rpcinterface')
          this.warnings.push({ message: `${spec.value} of [${section}] is not available in svinit: the namespace is not served`, source: spec.at });
        // The other keys become the factory's keyword arguments, expanded (and so checked) as supervisord does.
        for (const key of this.doc.sections.get(section)!.values.keys()) if (key !== FACTORY) this.get(section, key, null, {}, false, false);
      } catch (e) {
        this.fail(e, section, false);
      }
      names.push(section.slice('rpcinterface:'.length));
    }
    return names;
  }

  servers(): HttpServerConfig[] {
    const out: HttpServerConfig[] = [];
    const auth = (section: string) => {
      const username = this.get(section, 'username', null, {}, false, false).value;
      const password = this.get(section, 'password', null, {}, false, false).value;
      if ((username === null) !== (password === null))
        throw new KeyError(
          `Section [${section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`,
          this.doc.get(section, username === null ? 'password' : 'username'),
          username === null ? 'username' : 'password',
        );
      return { username, password };
    };
    for (const section of this.doc.names().filter((s) => s.startsWith('inet_http_server'))) {
      try {
        const a = auth(section);
        const portAt = this.get(section, 'port', null, {}, false, false);
        if (portAt.value === null) throw new KeyError(`section [${section}] has no port value`, undefined, 'port');
        let addr: { host: string; port: number };
        try {
          addr = inetAddress(portAt.value);
        } catch (e) {
          throw new KeyError((e as Error).message, portAt.at, 'port');
        }
        out.push({ section, kind: 'inet', host: addr.host, port: addr.port, ...a });
      } catch (e) {
        this.fail(e, section, false);
      }
    }
    for (const section of this.doc.names().filter((s) => s.startsWith('unix_http_server'))) {
      try {
        const fileAt = this.get(section, 'file', null, { here: this.here });
        if (fileAt.value === null) throw new KeyError(`section [${section}] has no file value`, undefined, 'file');
        const file = normalizePath(fileAt.value.trim(), this.cwd);
        const a = auth(section);
        const chownAt = this.get(section, 'chown', null, {}, false, false);
        let chown: { uid: number; gid: number } | null = null;
        if (chownAt.value !== null) {
          try {
            chown = colonSeparatedUserGroup(chownAt.value);
          } catch {
            throw new KeyError(`Invalid sockchown value ${chownAt.value}`, chownAt.at, 'chown');
          }
        }
        const chmodAt = this.get(section, 'chmod', null, {}, false, false);
        let chmod = 0o700;
        if (chmodAt.value !== null) {
          try {
            chmod = parseOctal(chmodAt.value);
          } catch {
            throw new KeyError(`Invalid chmod value ${chmodAt.value}`, chmodAt.at, 'chmod');
          }
        }
        out.push({ section, kind: 'unix', file, chmod, chown, ...a });
      } catch (e) {
        this.fail(e, section, false);
      }
    }
    return out;
  }

  unknownKeyWarnings(): Warning[] {
    const out: Warning[] = [];
    for (const [name, section] of this.doc.sections) {
      const kind = name.split(':')[0];
      const known = KNOWN_KEYS[kind];
      if (!known) {
        if (!['rpcinterface', 'ctlplugin', 'include'].includes(kind))
          out.push({ message: `unknown section [${name}] ignored`, source: { file: section.file, line: section.line } });
        continue;
      }
      for (const [key, v] of section.values)
        if (!known.has(key)) out.push({ message: `unknown key '${key}' in section [${name}] ignored`, source: { file: v.file, line: v.line } });
    }
    return out;
  }
}

function ctlFromDoc(doc: IniDocument, environ: Expansions, here: string, cwd: string): SupervisorctlConfig {
  // ClientOptions.read_config: only serverurl and history_file also see %(here)s.
  const get = (k: string, withHere = false) => {
    const v = doc.get('supervisorctl', k);
    if (!v) return null;
    try {
      return expand(v.value, withHere ? { ...environ, here } : environ, `supervisorctl.${k}`);
    } catch (e) {
      throw new ConfigError((e as Error).message, v, 'supervisorctl', k);
    }
  };
  let serverurl = get('serverurl', true) ?? 'http://localhost:9001';
  if (serverurl.startsWith('unix://')) serverurl = `unix://${normalizePath(serverurl.slice(7), cwd)}`;
  const historyFile = get('history_file', true);
  return {
    serverurl,
    username: get('username'),
    password: get('password'),
    prompt: get('prompt') ?? 'supervisor',
    historyFile: historyFile ? normalizePath(historyFile, cwd) : null,
  };
}

/** supervisord's normalize_path: expanduser, then absolute and normalised. */
function normalizePath(p: string, cwd = process.cwd()): string {
  return path.resolve(cwd, p.replace(/^~(?=$|\/)/, os.homedir()));
}

/** `[supervisorctl]` for the control client; defaults when there is no file. */
export function loadCtlConfig(file: string | null, env: Record<string, string | undefined> = process.env, cwd = process.cwd()): SupervisorctlConfig {
  const dflt: SupervisorctlConfig = { serverurl: 'http://localhost:9001', username: null, password: null, prompt: 'supervisor', historyFile: null };
  if (!file) return dflt;
  const abs = normalizePath(file, cwd);
  if (!fs.existsSync(abs)) throw new ConfigError(`could not find config file ${file}`, { file: abs, line: 0 });
  const doc = new IniDocument();
  doc.read(fs.readFileSync(abs, 'utf8'), abs);
  if (!doc.has('supervisorctl')) throw new ConfigError('.ini file does not include supervisorctl section', { file: abs, line: 0 });
  const environ: Expansions = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) environ[`ENV_${k}`] = v;
  return ctlFromDoc(doc, environ, path.dirname(abs), cwd);
}

/** The text svinit prints for a config error: supervisord's line plus where it happened. */
export function formatConfigError(e: ConfigError): string {
  let s = `Error: ${e.message}`;
  const where: string[] = [];
  if (e.source && e.source.line) where.push(`${e.source.file}:${e.source.line}`);
  else if (e.source) where.push(e.source.file);
  if (e.section) where.push(`[${e.section}]`);
  if (e.key) where.push(`key '${e.key}'`);
  if (where.length) s += `\n  at ${where.join(' ')}`;
  const expected = e.section && e.key ? expectedFor(e.section, e.key) : null;
  if (expected) s += `\n  expected: ${expected}`;
  return `${s}\nFor help, use svinit -h`;
}
