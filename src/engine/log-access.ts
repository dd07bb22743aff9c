// Reading, tailing and clearing the main log and the process logs (supervisord's readLog,
// readProcessStdoutLog, tailProcessStdoutLog, clearProcessLogs …). A channel whose log cannot be
// read back (none, or a device such as /dev/stdout) is served from its in-memory tail buffer.

import fs from 'node:fs';
import { LogReadError, readLogSlice, tailLog } from '../logging/read.js';
import type { ActivityLogger } from '../logging/types.js';
import type { ActiveGroups } from './active-groups.js';
import { EngineError } from './errors.js';
import { forEachProcessSync } from './results.js';
import type { Channel, ProcessResult } from './types.js';

/** A log-reading failure as supervisord's fault. */
function readFault(e: unknown): EngineError {
  if (e instanceof LogReadError) return new EngineError(e.kind);
  return new EngineError('FAILED', (e as Error).message);
}

function readFile(path: string | null, offset: number, length: number): string {
  if (!path) throw new EngineError('NO_FILE');
  try {
    return readLogSlice(path, offset, length);
  } catch (e) {
    throw readFault(e);
  }
}

export class LogAccess {
  constructor(
    private readonly groups: ActiveGroups,
    private readonly logger: ActivityLogger,
  ) {}

  readMainLog(offset: number, length: number): string {
    return readFile(this.logger.path, offset, length);
  }

  clearMainLog(): void {
    try {
      this.logger.clear();
    } catch (e) {
      throw new EngineError('FAILED', (e as Error).message);
    }
  }

  readProcessLog(namespec: string, channel: Channel, offset: number, length: number): string {
    const proc = this.groups.process(namespec);
    const tail = proc.tails[channel];
    if (!proc.logPaths[channel] && tail) {
      try {
        return tail.read(offset, length);
      } catch (e) {
        throw readFault(e);
      }
    }
    return readFile(proc.logPaths[channel], offset, length);
  }

  tailProcessLog(namespec: string, channel: Channel, offset: number, length: number): [string, number, boolean] {
    const proc = this.groups.process(namespec);
    const path = proc.logPaths[channel];
    const tail = proc.tails[channel];
    if (!path && tail) {
      try {
        return tail.tail(offset, length);
      } catch (e) {
        throw readFault(e);
      }
    }
    if (!path || !fs.existsSync(path)) return ['', 0, false];
    try {
      return tailLog(path, offset, length);
    } catch (e) {
      throw readFault(e);
    }
  }

  processLogPath(namespec: string, channel: Channel): string {
    const path = this.groups.process(namespec).logPaths[channel];
    if (!path || !fs.existsSync(path)) throw new EngineError('NO_FILE', namespec);
    return path;
  }

  clearProcessLogs(namespec: string): void {
    const proc = this.groups.process(namespec);
    try {
      for (const tail of Object.values(proc.tails)) tail?.clear();
      if (proc.pid) proc.clearLogs();
      else
        for (const path of Object.values(proc.logPaths))
          if (path && fs.existsSync(path) && fs.statSync(path).isFile()) fs.truncateSync(path, 0);
    } catch {
      throw new EngineError('FAILED', namespec);
    }
  }

  clearAllProcessLogs(): ProcessResult[] {
    return forEachProcessSync(this.groups.allProcesses(), () => true, (ns) => this.clearProcessLogs(ns));
  }

  /** SIGUSR2: reopen every log file (for an external logrotate). */
  reopenLogs(): void {
    this.logger.reopen();
    for (const g of this.groups.values()) for (const p of g.processes) p.reopenLogs();
  }
}
