// Process and config information as supervisord's rpcinterface presents it (getProcessInfo,
// getAllProcessInfo, getAllConfigInfo): seconds capped to XML-RPC's int, Python's text formats.

import { byName } from '../config/order.js';
import type { Config } from '../config/types.js';
import type { ActiveGroups } from './active-groups.js';
import type { Process } from './process.js';
import { ProcessState, processStateName } from './states.js';
import type { Channel, ConfigInfo, ProcessInfo } from './types.js';

const INT32_MAX = 2 ** 31 - 1;
const cap = (n: number) => Math.max(-INT32_MAX - 1, Math.min(INT32_MAX, Math.trunc(n)));

/** Python's str(timedelta): "H:MM:SS" or "N day(s), H:MM:SS". */
export function uptimeText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const rest = s % 86400;
  const hms = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') in local time. */
export function stopTimeText(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const h12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${p2(d.getDate())} ${p2(h12)}:${p2(d.getMinutes())} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
}

/** supervisord's getProcessInfo for one process at nowMs. */
export function processInfo(p: Process, nowMs: number): ProcessInfo {
  const start = cap(p.laststart / 1000);
  const stop = cap(p.laststop / 1000);
  const now = cap(nowMs / 1000);
  const spawnerr = p.spawnerr ?? '';
  let description = '';
  if (p.state === ProcessState.RUNNING) description = `pid ${p.pid}, uptime ${uptimeText(now - start)}`;
  else if (p.state === ProcessState.FATAL || p.state === ProcessState.BACKOFF) description = spawnerr || `unknown error (try "tail ${p.name}")`;
  // depends_on: a held-back program says what it waits for (`waiting for db (running)`).
  else if (p.state === ProcessState.STOPPED || p.state === ProcessState.EXITED) description = p.waitingFor ?? (start ? stopTimeText(stop) : 'Not started');
  // sd_notify STATUS= text of a notify_socket program, after supervisord's own words.
  if (p.notifyStatus && (p.state === ProcessState.RUNNING || p.state === ProcessState.STARTING))
    description = description ? `${description}, ${p.notifyStatus}` : p.notifyStatus;
  // svinit's addition: why a liveness check is failing (or failed and restarted the process).
  if (p.statusNote) description = description ? `${description}, ${p.statusNote}` : p.statusNote;
  const configured = (ch: Channel) => p.logPaths[ch] ?? (p.config[ch].logfile.kind === 'file' ? (p.config[ch].logfile as { path: string }).path : '');
  const stdoutLog = configured('stdout');
  return {
    name: p.name,
    group: p.group,
    start,
    stop,
    now,
    state: p.state,
    statename: processStateName(p.state),
    spawnerr,
    exitstatus: p.exitstatus ?? 0,
    logfile: stdoutLog,
    stdout_logfile: stdoutLog,
    stderr_logfile: p.config.redirectStderr ? '' : configured('stderr'),
    pid: p.pid,
    description,
  };
}

/** supervisord's getAllProcessInfo: groups by name, then processes by name. */
export function allProcessInfo(groups: ActiveGroups, nowMs: number): ProcessInfo[] {
  return groups
    .values()
    .sort(byName)
    .flatMap((g) => [...g.processes].sort(byName).map((p) => processInfo(p, nowMs)));
}

/** supervisord's getAllConfigInfo: every configured process (active or not), sorted by name. */
export function allConfigInfo(config: Config, groups: ActiveGroups): ConfigInfo[] {
  const infos: ConfigInfo[] = [];
  for (const gc of config.groups) {
    const active = groups.get(gc.name);
    for (const pc of gc.processes) {
      const live = active?.find(pc.name);
      const logName = (ch: Channel) => {
        const t = pc[ch].logfile;
        if (ch === 'stderr' && pc.redirectStderr) return 'none';
        if (t.kind === 'none') return 'none';
        if (t.kind === 'file') return t.path;
        // supervisord shows the real AUTO path until a reread, then 'auto'.
        return live?.logPaths[ch] ?? 'auto';
      };
      infos.push({
        autostart: pc.autostart,
        directory: pc.directory ?? 'none',
        uid: pc.uid ?? 'none',
        command: pc.command,
        exitcodes: pc.exitcodes,
        group: gc.name,
        group_prio: gc.priority,
        inuse: active !== undefined,
        killasgroup: pc.killasgroup,
        name: pc.name,
        process_prio: pc.priority,
        redirect_stderr: pc.redirectStderr,
        startretries: pc.startretries,
        startsecs: pc.startsecs,
        stdout_capture_maxbytes: pc.stdout.captureMaxbytes,
        stdout_events_enabled: pc.stdout.eventsEnabled,
        stdout_logfile: logName('stdout'),
        stdout_logfile_backups: pc.stdout.logfileBackups,
        stdout_logfile_maxbytes: pc.stdout.logfileMaxbytes,
        stdout_syslog: pc.stdout.syslog,
        stopsignal: pc.stopsignal,
        stopwaitsecs: pc.stopwaitsecs,
        stderr_capture_maxbytes: pc.stderr.captureMaxbytes,
        stderr_events_enabled: pc.stderr.eventsEnabled,
        stderr_logfile: logName('stderr'),
        stderr_logfile_backups: pc.stderr.logfileBackups,
        stderr_logfile_maxbytes: pc.stderr.logfileMaxbytes,
        stderr_syslog: pc.stderr.syslog,
        serverurl: pc.serverurl ?? 'auto',
      });
    }
  }
  return infos.sort(byName);
}
