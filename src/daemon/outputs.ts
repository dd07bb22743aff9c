// Step 3 of the daemon, "wire outputs": where each child's stdout/stderr goes — its log file, the
// optional forwarded copy on svinit's own stdout/stderr (`forward_output`, `prefix_output`),
// PROCESS_LOG and PROCESS_COMMUNICATION events, syslog — and where AUTO log files are created.
//
// As under supervisord, a channel reaches the container's output only when its log is
// /dev/stdout or /dev/stderr: those bytes are written as read, with no label and no rotation.
// forward_output adds copies of other channels, one whole line per write (docs/config.md).

import type { Config, ForwardOutput, LogTarget } from '../config/types.js';
import type { SupervisorDeps } from '../engine/supervisor.js';
import type { EngineFacts } from '../engine/facts.js';
import { autoLogPath, createChannelLog, createSyslogSink } from '../logging/index.js';
import type { ActivityLogger } from '../logging/types.js';
import type { EventEmitter } from 'node:events';
import { isContainerStream } from './container.js';

export interface OutputPolicy {
  config: Config;
  logger: ActivityLogger;
  /** The activity log's format; forwarded copies use it too (json: one object per line). */
  format: 'text' | 'json';
  /** The engine's facts, where output events are emitted (set once the engine exists). */
  facts: () => EventEmitter<EngineFacts>;
}

export function wireOutputs(policy: OutputPolicy): Pick<SupervisorDeps, 'openChannelLog' | 'resolveAutoLog' | 'reachesContainerOutput'> {
  const { logger } = policy;
  const sd = policy.config.supervisord;
  let childSyslog: ((line: string) => void) | undefined;
  return {
    openChannelLog(proc, channel, logPath) {
      const cc = proc.config[channel];
      // Devices (/dev/stdout…) are written to but not readable, so the engine has no path for them.
      let target = logPath ?? (cc.logfile.kind === 'file' ? cc.logfile.path : null);
      if (channel === 'stderr' && proc.config.redirectStderr) target = null;
      const forward = isForwarded(sd.forwardOutput, cc.logfile);
      // A forwarded copy of a channel already sent to /dev/stdout replaces that write: it appears once.
      if (forward && target && isContainerStream(target)) target = null;
      if (!target && !forward && !cc.eventsEnabled && !cc.captureMaxbytes && !cc.syslog) return null;
      const fact = () => ({ name: proc.name, group: proc.group, pid: proc.pid, channel });
      return createChannelLog({
        processName: proc.name,
        groupName: proc.group,
        channel,
        config: { ...cc, logfile: target ? { kind: 'file', path: target } : { kind: 'none' } },
        stripAnsi: sd.stripAnsi,
        mainLog: logger,
        wholeLines: target !== null && isContainerStream(target) !== null,
        prefix: forward ? { stream: channel === 'stdout' ? 1 : 2, label: sd.prefixOutput ? proc.name : null, format: policy.format } : null,
        onLog: cc.eventsEnabled ? (data) => policy.facts().emit('processLog', { ...fact(), data }) : undefined,
        syslog: cc.syslog ? (childSyslog ??= createSyslogSink('supervisord: ') ?? undefined) : undefined,
        onCapture: cc.captureMaxbytes > 0 ? (data) => policy.facts().emit('processCommunication', { ...fact(), data }) : undefined,
      });
    },
    reachesContainerOutput(pc, channel) {
      const target = pc[channel].logfile;
      return isForwarded(sd.forwardOutput, target) || (target.kind === 'file' && isContainerStream(target.path) !== null);
    },
    resolveAutoLog(pc, channel) {
      try {
        return autoLogPath(sd.childlogdir, pc.name, channel, sd.identifier);
      } catch (e) {
        logger.warn(`cannot create AUTO ${channel} log for ${pc.name} in ${sd.childlogdir}: ${(e as Error).message}`);
        return null;
      }
    },
  };
}

/**
 * Whether a channel is copied to svinit's own stdout/stderr. `auto` copies what has no log file
 * of its own (AUTO, NONE) and leaves a deliberate /dev/stdout target raw; `all` copies everything.
 */
export function isForwarded(mode: ForwardOutput, logfile: LogTarget): boolean {
  if (mode === 'all') return true;
  if (mode === 'none') return false;
  return logfile.kind !== 'file';
}
