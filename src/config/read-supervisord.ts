// The [supervisord] section (options.py ServerOptions.read_config), with the command line's
// values on top.

import os from 'node:os';
import path from 'node:path';
import { existingDirectory, existingDirpath, nameToUid, parseBoolean, parseByteSize, parseEnvironment, parseInteger, parseLogLevel, parseOctal, parseSighup } from './datatypes.js';
import { expand } from './expand.js';
import { readSupervisordKeys } from './kubernetes.js';
import { KeyError, normalizePath, type SectionReader } from './section-reader.js';
import { ConfigError, FORWARD_OUTPUT_VALUES, type ForwardOutput, type SupervisordConfig } from './types.js';

export function readSupervisord(r: SectionReader, over: Partial<SupervisordConfig>, hostname: string, cwd: string): SupervisordConfig {
  const S = 'supervisord';
  try {
    const c = <T>(key: string, dflt: string, fn: (v: string) => T) => r.conv(S, key, dflt, fn);
    const abs = (p: string) => (p === 'syslog' ? p : path.resolve(cwd, p));
    // supervisord expands this value twice: once as every [supervisord] value (ENV_, here), then
    // again with host_node_name added (so `%%` needs `%%%%`, and host_node_name fails first).
    const environmentRaw = r.get(S, 'environment', '');
    let environment: Record<string, string>;
    try {
      environment = parseEnvironment(expand(environmentRaw.value!, { here: r.here, host_node_name: hostname, ...r.environ }, 'environment'));
    } catch (e) {
      throw new KeyError((e as Error).message, environmentRaw.at, 'environment');
    }
    const directory = r.get(S, 'directory', null).value;
    const user = r.get(S, 'user', null).value;
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
      identifier: r.get(S, 'identifier', 'supervisor').value!,
      nodaemon: c('nodaemon', 'false', parseBoolean),
      silent: c('silent', 'false', parseBoolean),
      childlogdir: c('childlogdir', os.tmpdir(), (v) => existingDirectory(v, cwd)),
      nocleanup: c('nocleanup', 'false', parseBoolean),
      stripAnsi: c('strip_ansi', 'false', parseBoolean),
      environment,
      sighup: c('sighup', 'restart', parseSighup),
      forwardOutput: c('forward_output', 'none', parseForwardOutput),
      prefixOutput: c('prefix_output', 'true', parseBoolean),
      ...readSupervisordKeys((k) => r.get(S, k, null)),
    };
    const merged: SupervisordConfig = { ...cfg };
    for (const [k, v] of Object.entries(over)) if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
    // realize() normalises the -l/-j values as it does the file's.
    if (over.logfile && over.logfile !== 'syslog') merged.logfile = normalizePath(over.logfile, cwd);
    if (over.pidfile) merged.pidfile = normalizePath(over.pidfile, cwd);
    return merged;
  } catch (e) {
    r.fail(e, S);
  }
}

/** supervisord checks `user=` (file or -u) once the whole file has been read (realize). */
export function checkUser(r: SectionReader, sd: SupervisordConfig): void {
  if (sd.user === null) return;
  try {
    nameToUid(sd.user);
  } catch (e) {
    const at = r.doc.get('supervisord', 'user');
    throw new ConfigError((e as Error).message, at ? { file: at.file, line: at.line } : undefined, 'supervisord', 'user');
  }
}

/** svinit's forward_output: none, auto or all (any case). */
export function parseForwardOutput(v: string): ForwardOutput {
  const lv = v.trim().toLowerCase() as ForwardOutput;
  if (!FORWARD_OUTPUT_VALUES.includes(lv)) throw new Error(`invalid forward_output value ${JSON.stringify(v)} (expected none, auto or all)`);
  return lv;
}
