// One output channel of one process: supervisord's OutputDispatcher (strip_ansi, capture mode,
// PROCESS_LOG events, the log file) plus svinit's container forwarding (`name | line` on svinit's
// own stdout/stderr).

import type { ChannelConfig } from '../config/types.js';
import { writeFully } from './fd.js';
import { RotatingFile } from './rotating.js';
import type { ChannelLog } from './types.js';

const BEGIN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
const END = Buffer.from('<!--XSUPERVISOR:END-->');
// supervisord's stripEscapes: ESC [ … up to the first of these letters.
const ANSI = /\x1b\[[^HfABCDRsuJKhlpm]*[HfABCDRsuJKhlpm]/g;

export interface ChannelLogOptions {
  processName: string;
  groupName: string;
  channel: 'stdout' | 'stderr';
  /** logfile already resolved: AUTO has become { kind: 'file' }. */
  config: ChannelConfig;
  stripAnsi: boolean;
  /** Copy complete lines to this fd (or stream) as `<label> | <line>`. */
  prefix: { stream: NodeJS.WritableStream | number; label: string; format?: 'text' | 'json' } | null;
  onLog?: (data: Buffer) => void;
  onCapture?: (data: Buffer) => void;
  syslog?: (line: string) => void;
}

/** Length of the longest suffix of `data` that is a prefix of `token` (supervisord's find_prefix_at_end). */
function prefixAtEnd(data: Buffer, token: Buffer): number {
  const max = Math.min(data.length, token.length - 1);
  for (let n = max; n > 0; n--) if (data.subarray(data.length - n).equals(token.subarray(0, n))) return n;
  return 0;
}

export function createChannelLog(opts: ChannelLogOptions): ChannelLog {
  const { config } = opts;
  const file = config.logfile.kind === 'file' ? new RotatingFile(config.logfile.path, { maxbytes: config.logfileMaxbytes, backups: config.logfileBackups, batched: true }) : null;
  const capturing = config.captureMaxbytes > 0;
  let captureMode = false;
  let pending: Buffer = Buffer.alloc(0);
  let capture: Buffer[] = [];
  let captureSize = 0;
  let partialLine = '';
  const fd = opts.prefix && typeof opts.prefix.stream === 'number' ? opts.prefix.stream : null;

  const forward = (data: Buffer, final = false) => {
    if (!opts.prefix) return;
    const text = partialLine + data.toString('utf8');
    const lines = text.split('\n');
    partialLine = final ? '' : lines.pop()!;
    if (final && lines[lines.length - 1] === '') lines.pop();
    if (!lines.length) return;
    const label = opts.prefix.label;
    const out =
      opts.prefix.format === 'json'
        ? lines.map((line) => `${JSON.stringify({ time: new Date().toISOString(), process: label, stream: opts.channel, line })}\n`).join('')
        : lines.map((line) => `${label} | ${line}\n`).join('');
    if (fd !== null) {
      try {
        writeFully(fd, Buffer.from(out));
      } catch {
        /* a closed stdout must not stop the program's log */
      }
    }
    else (opts.prefix.stream as NodeJS.WritableStream).write(out);
  };

  const log = (raw: Buffer) => {
    if (!raw.length) return;
    const data = opts.stripAnsi ? Buffer.from(raw.toString('utf8').replace(ANSI, '')) : raw;
    if (captureMode) {
      capture.push(data);
      captureSize += data.length;
      // Bounded: drop from the front what exceeds capture_maxbytes.
      while (captureSize > config.captureMaxbytes && capture.length) {
        const over = captureSize - config.captureMaxbytes;
        if (capture[0].length <= over) captureSize -= capture.shift()!.length;
        else {
          capture[0] = capture[0].subarray(over);
          captureSize -= over;
        }
      }
    } else {
      file?.write(data);
      forward(data);
      if (opts.syslog) for (const line of data.toString('utf8').split('\n')) if (line) opts.syslog(`${opts.processName} ${line}`);
    }
    if (config.eventsEnabled) opts.onLog?.(data);
  };

  const toggle = () => {
    captureMode = !captureMode;
    if (!captureMode) {
      const data = Buffer.concat(capture);
      capture = [];
      captureSize = 0;
      opts.onCapture?.(data);
    }
  };

  const record = () => {
    for (;;) {
      if (!capturing) {
        const data = pending;
        pending = Buffer.alloc(0);
        log(data);
        return;
      }
      const token = captureMode ? END : BEGIN;
      if (pending.length <= token.length) return;
      const data = pending;
      pending = Buffer.alloc(0);
      const at = data.indexOf(token);
      if (at === -1) {
        const keep = prefixAtEnd(data, token);
        pending = data.subarray(data.length - keep);
        log(data.subarray(0, data.length - keep));
        return;
      }
      log(data.subarray(0, at));
      toggle();
      pending = data.subarray(at + token.length);
      if (!pending.length) return;
    }
  };

  return {
    path: file?.path ?? null,
    write(chunk: Buffer) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      record();
    },
    flush() {
      // The child is gone: nothing held back for token matching may be lost (supervisord drops
      // a short tail after an END token, and an unfinished capture block).
      if (captureMode) {
        captureMode = false;
        const held = Buffer.concat(capture);
        capture = [];
        captureSize = 0;
        log(held);
      }
      if (pending.length) {
        log(pending);
        pending = Buffer.alloc(0);
      }
      if (partialLine) forward(Buffer.alloc(0), true);
      file?.flush();
    },
    reopen() {
      file?.reopen();
    },
    clear() {
      file?.clear();
    },
    async close() {
      file?.close();
    },
  };
}
