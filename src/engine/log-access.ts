// Reading, tailing and clearing the main log and the process logs (supervisord's readLog,
// readProcessStdoutLog, tailProcessStdoutLog, clearProcessLogs …). A channel whose output goes to
// the container's stdout/stderr is served from its in-memory tail buffer; any other channel without
// a log file answers as supervisord's does.
//
// Only the bytes a call asks for are read, on one descriptor whose size decides the window, so a
// growing file cannot widen it; a window larger than MAX_LOG_WINDOW is refused before anything is
// read (it could never fit the XML-RPC response), so a 1 GB log read with length 0 costs no memory.

import fs from 'node:fs';
import { decodeLog, LogReadError, readRange, tailRange } from '../logging/read.js';
import type { ActivityLogger } from '../logging/types.js';
import type { ActiveGroups } from './active-groups.js';
import { EngineError } from './errors.js';
import { forEachProcessSync } from './results.js';
import type { Channel, ProcessResult } from './types.js';
import type { Process } from './process.js';

/**
 * The most bytes one log read or tail returns: the XML-RPC response cap (MAX_RESPONSE_BYTES in
 * src/rpc/methods.ts, checked equal by a test), which no larger window could fit; beyond it the
 * call gets that cap's Fault without reading.
 */
export const MAX_LOG_WINDOW = 32 * 1024 * 1024;

const tooLarge = () => new EngineError('FAILED', `response larger than ${MAX_LOG_WINDOW} bytes`);

/** A device supervisord reads like a file (e.g. /dev/null: nothing); not one of svinit's own descriptors. */
const READABLE_DEVICE = /^\/dev\/(?!std(in|out|err)$|fd\/)/;

/**
 * The file supervisord would read for a channel: its log file, or a device such as /dev/null
 * named as the log file (svinit writes to it but does not keep it as a log path).
 */
function channelFile(proc: Process, channel: Channel): string | null {
  const path = proc.logPaths[channel];
  if (path) return path;
  if (channel === 'stderr' && proc.config.redirectStderr) return null;
  const target = proc.config[channel].logfile;
  return target.kind === 'file' && READABLE_DEVICE.test(target.path) ? target.path : null;
}

/**
 * Opens path and answers from the window pick(size) chooses on that descriptor: [start, length].
 * Without blocking (a device or FIFO), and reading nothing past the size fstat reports.
 */
function readWindow<T>(path: string, pick: (size: number) => [number, number], answer: (data: string, size: number) => T): T {
  const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const size = fs.fstatSync(fd).size;
    const [start, asked] = pick(size);
    // What a read of `asked` bytes at start would get (tailFile's length can exceed the file).
    const length = Math.max(0, Math.min(asked, size - start));
    if (length > MAX_LOG_WINDOW) throw tooLarge();
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    for (let n = -1; n !== 0 && got < length; got += n) n = fs.readSync(fd, buf, got, length - got, start + got);
    return answer(decodeLog(buf.subarray(0, got)), size);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * supervisord's readFile: NO_FILE when the file is missing (checked first, as its RPC layer does),
 * BAD_ARGUMENTS for offset<0 with length≠0 or length<0, FAILED on I/O errors. offset<0, length=0 →
 * the last |offset| bytes; length=0 → offset to EOF; else up to length bytes from offset.
 */
function readFile(path: string | null, offset: number, length: number): string {
  if (!path || !fs.existsSync(path)) throw new EngineError('NO_FILE');
  if (offset < 0 ? length !== 0 : length < 0) throw new EngineError('BAD_ARGUMENTS');
  try {
    return readWindow(path, (size) => readRange(size, offset, length), (data) => data);
  } catch (e) {
    throw e instanceof EngineError ? e : new EngineError('FAILED');
  }
}

/**
 * supervisord's tailFile: [data, newOffset, overflow] (tailRange's arithmetic); a missing file →
 * ['', 0, false], an unreadable one → ['', offset, false]; a window over MAX_LOG_WINDOW → FAILED.
 */
function tailFile(path: string | null, offset: number, length: number): [string, number, boolean] {
  if (!path || !fs.existsSync(path)) return ['', 0, false];
  let overflow = false;
  const pick = (size: number): [number, number] => {
    const [start, len, over] = tailRange(size, offset, length);
    overflow = over;
    return [start, len];
  };
  try {
    return readWindow(path, pick, (data, size): [string, number, boolean] => [data, size, overflow]);
  } catch (e) {
    if (e instanceof EngineError) throw e;
    return ['', offset, false];
  }
}

/** A tail buffer's answer, with its errors as supervisord's faults. */
function fromBuffer<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw e instanceof LogReadError ? new EngineError(e.kind) : new EngineError('FAILED', (e as Error).message);
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
    if (!proc.logPaths[channel] && tail) return fromBuffer(() => tail.read(offset, length));
    return readFile(channelFile(proc, channel), offset, length);
  }

  tailProcessLog(namespec: string, channel: Channel, offset: number, length: number): [string, number, boolean] {
    const proc = this.groups.process(namespec);
    const tail = proc.tails[channel];
    if (!proc.logPaths[channel] && tail) return fromBuffer(() => tail.tail(offset, length));
    return tailFile(channelFile(proc, channel), offset, length);
  }

  processLogPath(namespec: string, channel: Channel): string {
    const path = channelFile(this.groups.process(namespec), channel);
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
