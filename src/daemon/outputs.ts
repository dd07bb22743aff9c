// Step 3 of the daemon, "wire outputs": where each child's stdout/stderr goes — its log file, the
// forwarded `name | line` copy on svinit's own stdout/stderr, PROCESS_LOG and
// PROCESS_COMMUNICATION events, syslog — and where AUTO log files are created.

import type { Config } from '../config/types.js';
import type { SupervisorDeps } from '../engine/supervisor.js';
import type { EngineFacts } from '../engine/facts.js';
import { autoLogPath, createChannelLog, createSyslogSink } from '../logging/index.js';
import type { ActivityLogger } from '../logging/types.js';
import type { EventEmitter } from 'node:events';
import { isContainerStream } from './container.js';

export interface OutputPolicy {
  config: Config;
  logger: ActivityLogger;
  /** Copy each program's output lines to svinit's stdout/stderr. */
  forward: boolean;
  /** The engine's facts, where output events are emitted (set once the engine exists). */
  facts: () => EventEmitter<EngineFacts>;
}

export function wireOutputs(policy: OutputPolicy): Pick<SupervisorDeps, 'openChannelLog' | 'resolveAutoLog'> {
  const { logger, forward } = policy;
  const sd = policy.config.supervisord;
  let childSyslog: ((line: string) => void) | undefined;
  return {
    openChannelLog(proc, channel, logPath) {
      const cc = proc.config[channel];
      // Devices (/dev/stdout…) are written to but not readable, so the engine has no path for them.
      let target = logPath ?? (cc.logfile.kind === 'file' ? cc.logfile.path : null);
      if (channel === 'stderr' && proc.config.redirectStderr) target = null;
      // With forwarding on, a /dev/stdout target is the forwarded stream itself: no second copy.
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
        prefix: forward ? { stream: channel === 'stdout' ? 1 : 2, label: proc.name } : null,
        onLog: cc.eventsEnabled ? (data) => policy.facts().emit('processLog', { ...fact(), data }) : undefined,
        syslog: cc.syslog ? (childSyslog ??= createSyslogSink('supervisord: ') ?? undefined) : undefined,
        onCapture: cc.captureMaxbytes > 0 ? (data) => policy.facts().emit('processCommunication', { ...fact(), data }) : undefined,
      });
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
