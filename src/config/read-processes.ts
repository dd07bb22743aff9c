// processes_from_section (options.py): the processes of a [program:x], [fcgi-program:x] or
// [eventlistener:x] section, one per process_num, with their log channels.

import path from 'node:path';
import { existingDirpath, nameToUid, parseAutorestart, parseBoolean, parseByteSize, parseEnvironment, parseExitCodes, parseInteger, parseNumprocs, parseOctal, processOrGroupName } from './datatypes.js';
import { DependsKeyError, readDependsKeys } from './depends.js';
import { expand, type Expansions } from './expand.js';
import { readProgramKeys } from './kubernetes.js';
import { byPriorityThenName } from './order.js';
import { KeyError, type SectionReader } from './section-reader.js';
import { parseSignal } from './signals.js';
import type { ChannelConfig, LogTarget, ProcessConfig } from './types.js';
import { lookupUser } from './users.js';
/** processes_from_section: one ProcessConfig per process_num, sorted by (priority, name). */
export function readProcesses(r: SectionReader, section: string, groupName: string, hostname: string, kind: ProcessConfig['kind']): ProcessConfig[] {
  try {
    const programName = processOrGroupName(section.split(':').slice(1).join(':'));
    const common: Expansions = { here: r.here, program_name: programName, host_node_name: hostname, group_name: groupName };
    const c = <T>(key: string, dflt: string, fn: (v: string) => T) => r.conv(section, key, dflt, fn, common);
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
    const numprocs = c('numprocs', '1', parseNumprocs);
    const numprocsStart = c('numprocs_start', '0', parseInteger);
    const environmentAt = r.get(section, 'environment', '', { expansions: common, raw: true });
    const stdoutCapture = c('stdout_capture_maxbytes', '0', parseByteSize);
    const stdoutEvents = c('stdout_events_enabled', 'false', parseBoolean);
    const stderrCapture = c('stderr_capture_maxbytes', '0', parseByteSize);
    const stderrEvents = c('stderr_events_enabled', 'false', parseBoolean);
    let serverurl = r.get(section, 'serverurl', null, { expansions: common }).value;
    if (serverurl && serverurl.trim().toUpperCase() === 'AUTO') serverurl = null;
    const user = r.get(section, 'user', null, { expansions: common }).value;
    const uid = user === null ? null : c('user', '', nameToUid);
    const gid = uid === null ? null : (lookupUser(String(uid))?.gid ?? null);
    const umaskRaw = r.get(section, 'umask', null, { expansions: common }).value;
    const umask = umaskRaw === null ? null : c('umask', '', parseOctal);
    const processNameAt = r.get(section, 'process_name', '%(program_name)s', { expansions: common, raw: true });
    const processName = (() => {
      try {
        return processOrGroupName(processNameAt.value!);
      } catch (e) {
        throw new KeyError((e as Error).message, processNameAt.at, 'process_name');
      }
    })();
    if (numprocs > 1 && !processName.includes('%(process_num)'))
      throw new KeyError('%(process_num) must be present within process_name when numprocs > 1', processNameAt.at ?? r.doc.get(section, 'numprocs'), 'process_name');
    if (stopasgroup && !killasgroup) throw new KeyError('Cannot set stopasgroup=true and killasgroup=false', r.doc.get(section, 'killasgroup'), 'killasgroup');
    const orchestrator = readProgramKeys((k) => r.get(section, k, null, { expansions: common }), kind);
    const depends = readDepends(r, section, kind, common);

    const out: ProcessConfig[] = [];
    for (let num = numprocsStart; num < numprocsStart + numprocs; num++) {
      const exp: Expansions = { ...common, process_num: num, numprocs };
      let environment: Record<string, string>;
      try {
        environment = parseEnvironment(expand(environmentAt.value!, { ...r.environ, ...exp }, 'environment'));
      } catch (e) {
        throw new KeyError((e as Error).message, environmentAt.at, 'environment');
      }
      for (const [k, v] of Object.entries(environment)) exp[`ENV_${k}`] = v;
      const directory = r.get(section, 'directory', null, { expansions: exp }).value;
      const stdout = readChannel(r, section, 'stdout', exp, stdoutCapture, stdoutEvents);
      const stderr = readChannel(r, section, 'stderr', exp, stderrCapture, stderrEvents);
      if (redirectStderr) {
        if (stderr.logfile.kind === 'file')
          r.warnings.push({ message: `For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`, source: r.doc.get(section, 'stderr_logfile') });
        stderr.logfile = { kind: 'none' };
      }
      const commandAt = r.get(section, 'command', null, { expansions: exp });
      if (commandAt.value === null) throw new KeyError(`program section ${section} does not specify a command`, undefined, 'command');
      let name: string;
      try {
        name = expand(processName, { ...r.environ, ...exp }, 'process_name');
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
        source: { file: r.doc.sections.get(section)!.file, line: r.doc.sections.get(section)!.line },
        ...orchestrator,
        ...depends,
      });
    }
    return out.sort(byPriorityThenName);
  } catch (e) {
    r.fail(e, section, { processSection: true });
  }
}

/** svinit's depends_on, readiness and essential keys of a process section (docs/dependencies.md). */
function readDepends(r: SectionReader, section: string, kind: ProcessConfig['kind'], exp: Expansions) {
  try {
    const settings = readDependsKeys((key) => r.get(section, key, null, { expansions: exp }).value, kind);
    const at = r.doc.get(section, 'depends_on');
    return { ...settings, dependsOnSource: at ? { file: at.file, line: at.line } : undefined };
  } catch (e) {
    if (e instanceof DependsKeyError) throw new KeyError(e.message, r.doc.get(section, e.key), e.key);
    throw e;
  }
}

/** One channel's log settings (stdout_logfile, stdout_logfile_maxbytes, … and their stderr twins). */
function readChannel(r: SectionReader, section: string, ch: 'stdout' | 'stderr', exp: Expansions, capture: number, events: boolean): ChannelConfig {
  const lfKey = `${ch}_logfile`;
  const raw = r.get(section, lfKey, null, { expansions: exp });
  // supervisord expands log file names a second time (so `%%` must be written `%%%%`).
  if (raw.value !== null) {
    try {
      raw.value = expand(raw.value, { ...r.environ, ...exp }, lfKey);
    } catch (e) {
      throw new KeyError((e as Error).message, raw.at, lfKey);
    }
  }
  let logfile: LogTarget = { kind: 'auto' };
  let syslog = r.conv(section, `${ch}_syslog`, 'false', parseBoolean, exp);
  const maxbytes = r.conv(section, `${ch}_logfile_maxbytes`, '50MB', parseByteSize, exp);
  const backups = r.conv(section, `${ch}_logfile_backups`, '10', parseInteger, exp);
  if (raw.value !== null) {
    const lower = raw.value.toLowerCase();
    if (lower === 'none' || lower === 'off') logfile = { kind: 'none' };
    else if (lower === 'auto') logfile = { kind: 'auto' };
    else if (lower === 'syslog') {
      r.warnings.push({
        message: `For [${section}], ${lfKey}=syslog but this is deprecated and will be removed.  Use ${ch}_syslog=true to enable syslog instead.`,
        source: raw.at,
      });
      logfile = { kind: 'none' };
      syslog = true;
    } else {
      try {
        // supervisord opens a relative name against its cwd; made absolute here once.
        logfile = { kind: 'file', path: path.resolve(r.cwd, existingDirpath(raw.value, r.cwd)) };
      } catch (e) {
        throw new KeyError((e as Error).message, raw.at, lfKey);
      }
    }
  }
  if (logfile.kind === 'auto' && !maxbytes)
    r.warnings.push({
      message: `For [${section}], AUTO logging used for ${lfKey} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
      source: raw.at ?? r.doc.get(section, `${ch}_logfile_maxbytes`) ?? r.sectionSource(section),
    });
  return { logfile, logfileMaxbytes: maxbytes, logfileBackups: backups, captureMaxbytes: capture, eventsEnabled: events, syslog };
}
