// One output channel of one process: supervisord's POutputDispatcher (strip_ansi, capture mode,
// PROCESS_LOG events, the log file, syslog, the DEBG copy in the activity log) plus svinit's
// optional forwarding (`name | line` on svinit's own stdout/stderr, `forward_output`).
//
// How the writers to svinit's stdout coexist: svinit is one thread and writes synchronously, so
// no write is ever cut by another. A log file that *is* the container's stdout/stderr
// (/dev/stdout…) gets the program's bytes unchanged, but only up to the last newline of what has
// arrived: the rest of a line waits for its newline (or PARTIAL_LINE_FLUSH_MS, or the end of the
// output), so another program's line or an activity log line never lands inside it. A forwarded
// copy and an activity log line are written whole: complete lines only, each in one write.

import type { ChannelConfig } from '../config/types.js';
import { pyRepr } from '../config/ini.js';
import { writeFully } from './fd.js';
import { lineLabeller } from './label.js';
import { RotatingFile } from './rotating.js';
import type { ActivityLogger, ChannelLog } from './types.js';

export const BEGIN_TOKEN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
export const END_TOKEN = Buffer.from('<!--XSUPERVISOR:END-->');

/**
 * A forwarded partial line is emitted as a line of its own once it reaches this size (a program
 * that never ends its line must not grow the buffer forever); long JSON lines stay whole below it.
 */
const MAX_PARTIAL_LINE = 8 * 1024 * 1024;
const NL = 0x0a;
/** A partial line on the container's stdout (a prompt, say) is written as it is after this long. */
export const PARTIAL_LINE_FLUSH_MS = 100;

/**
 * Passes bytes on, cut only after a newline: the bytes after the last newline of a chunk are held
 * until the next newline, a short timer, a size bound or release(). Nothing is added or changed.
 */
export class WholeLines {
  private held: Buffer[] = [];
  private heldLen = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: (data: Buffer) => void,
    private readonly flushAfterMs = PARTIAL_LINE_FLUSH_MS,
  ) {}

  write(data: Buffer): void {
    const nl = data.lastIndexOf(NL);
    if (nl === -1) return this.hold(data);
    const head = data.subarray(0, nl + 1);
    this.out(this.heldLen ? Buffer.concat([...this.take(), head]) : head);
    if (nl + 1 < data.length) this.hold(data.subarray(nl + 1));
  }

  /** Writes what is held (the output ended, or the timer fired). */
  release(): void {
    if (this.heldLen) this.out(Buffer.concat(this.take()));
  }

  private hold(part: Buffer): void {
    this.held.push(Buffer.from(part));
    this.heldLen += part.length;
    // Released at once when it is as long as a forwarded line may grow.
    if (this.heldLen >= MAX_PARTIAL_LINE) return this.release();
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.release();
    }, this.flushAfterMs).unref();
  }

  private take(): Buffer[] {
    const parts = this.held;
    this.held = [];
    this.heldLen = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return parts;
  }
}

export interface ChannelLogOptions {
  processName: string;
  groupName: string;
  channel: 'stdout' | 'stderr';
  /** logfile already resolved: AUTO has become { kind: 'file' }. */
  config: ChannelConfig;
  stripAnsi: boolean;
  /**
   * Copy complete lines to this fd (or stream) as `<label> | <line>`, or bare when label is null
   * (json: one object per line, naming the process).
   */
  prefix: { stream: NodeJS.WritableStream | number; label: string | null; format?: 'text' | 'json' } | null;
  /** PROCESS_LOG_<CHAN>: called per logged chunk (after strip_ansi) when config.eventsEnabled. */
  onLog?: (data: Buffer) => void;
  /** PROCESS_COMMUNICATION_<CHAN>: called with a completed capture block. */
  onCapture?: (data: Buffer) => void;
  /** `*_syslog=true`: one call per line, already formatted as `<process name> <line>`. */
  syslog?: (line: string) => void;
  /** The activity log: at debug level each chunk is copied there, as supervisord does. */
  mainLog?: Pick<ActivityLogger, 'debug' | 'isEnabled'>;
  /** The log file is the container's stdout/stderr: write whole lines (WholeLines). */
  wholeLines?: boolean;
}

/**
 * supervisord's stripEscapes, on bytes: every `ESC [` up to and including the first of
 * H f A B C D R s u J K h l p m is removed; an escape left open runs to the end of the chunk.
 * latin1 maps bytes 1:1, so invalid UTF-8 passes through untouched.
 */
const ANSI = /\x1b\[[^HfABCDRsuJKhlpm]*(?:[HfABCDRsuJKhlpm]|$)/g;
export function stripEscapes(data: Buffer): Buffer {
  if (data.indexOf(0x1b) === -1) return data;
  return Buffer.from(data.toString('latin1').replace(ANSI, ''), 'latin1');
}

/** supervisord's find_prefix_at_end: length of the longest suffix of `data` that starts `token`. */
export function findPrefixAtEnd(data: Buffer, token: Buffer): number {
  for (let n = Math.min(data.length, token.length - 1); n > 0; n--) {
    if (data.subarray(data.length - n).equals(token.subarray(0, n))) return n;
  }
  return 0;
}

/** Python's repr() of bytes, for supervisord's `Undecodable: b'...'`. */
export function pyBytesRepr(b: Buffer): string {
  const quote = b.includes(0x27) && !b.includes(0x22) ? '"' : "'";
  let out = 'b' + quote;
  for (const c of b) {
    if (c === 0x5c) out += '\\\\';
    else if (c === quote.charCodeAt(0)) out += '\\' + quote;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += String.fromCharCode(c);
  }
  return out + quote;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Text of a chunk as supervisord shows it in the activity log. */
function chunkText(data: Buffer): string {
  try {
    return strictUtf8.decode(data);
  } catch {
    return `Undecodable: ${pyBytesRepr(data)}`;
  }
}

/**
 * supervisord's BoundIO: when a write would take the buffer past maxbytes, as many bytes as the
 * write holds are dropped from the front first (so the buffer can exceed maxbytes by one write).
 */
class BoundBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly maxbytes: number) {}

  write(b: Buffer): void {
    if (this.size + b.length > this.maxbytes) this.dropFront(b.length);
    // Copied: the caller's buffer may be a view on a chunk that is reused.
    this.chunks.push(Buffer.from(b));
    this.size += b.length;
  }

  private dropFront(n: number): void {
    while (n > 0 && this.chunks.length) {
      const first = this.chunks[0];
      if (first.length <= n) {
        this.chunks.shift();
        this.size -= first.length;
        n -= first.length;
      } else {
        this.chunks[0] = first.subarray(n);
        this.size -= n;
        n = 0;
      }
    }
  }

  /** The buffer's content; the buffer is emptied. */
  take(): Buffer {
    const all = Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    return all;
  }
}

/** svinit's container forwarding: complete lines, prefixed, to an fd or a stream. */
function lineForwarder(prefix: NonNullable<ChannelLogOptions['prefix']>, processName: string, channel: string) {
  const label = Buffer.from(prefix.label === null ? '' : `${prefix.label} | `);
  let partial: Buffer[] = [];
  let partialLen = 0;

  const emit = (out: Buffer) => {
    if (typeof prefix.stream === 'number') {
      try {
        writeFully(prefix.stream, out);
      } catch {
        /* a closed stdout must not stop the program's log */
      }
    } else prefix.stream.write(Buffer.from(out)); // a stream keeps it: not a view on the read buffer
  };
  // An fd is written synchronously: the labelled copy can be made in a reused buffer.
  const labelled = lineLabeller(label, { transient: typeof prefix.stream === 'number' });
  /** `body` holds whole lines, each ending in a newline. */
  const render = (body: Buffer): Buffer => {
    if (prefix.format === 'json') {
      const time = new Date().toISOString();
      const lines = body.toString('utf8').slice(0, -1).split('\n');
      return Buffer.from(lines.map((line) => `${JSON.stringify({ time, process: prefix.label ?? processName, stream: channel, line })}\n`).join(''));
    }
    return labelled(body);
  };
  const takePartial = (tail: Buffer): Buffer => {
    const all = partialLen ? Buffer.concat([...partial, tail]) : tail;
    partial = [];
    partialLen = 0;
    return all;
  };

  return {
    /** Complete lines go out now; the unfinished last line waits for its newline. */
    write(data: Buffer) {
      const last = data.lastIndexOf(NL);
      let body: Buffer | null = null;
      if (last !== -1) {
        body = takePartial(data.subarray(0, last + 1));
        data = data.subarray(last + 1);
      }
      if (data.length) {
        partial.push(Buffer.from(data));
        partialLen += data.length;
        if (partialLen >= MAX_PARTIAL_LINE) {
          const line = takePartial(Buffer.of(NL));
          body = body ? Buffer.concat([body, line]) : line;
        }
      }
      if (body) emit(render(body));
    },
    /** Emits the held partial line (with a newline added). */
    flush() {
      if (partialLen) emit(render(takePartial(Buffer.of(NL))));
    },
  };
}

export function createChannelLog(opts: ChannelLogOptions): ChannelLog {
  const { config } = opts;
  const file = config.logfile.kind === 'file' ? new RotatingFile(config.logfile.path, { maxbytes: config.logfileMaxbytes, backups: config.logfileBackups, batched: true }) : null;
  const capture = config.captureMaxbytes > 0 ? new BoundBuffer(config.captureMaxbytes) : null;
  const forwarder = opts.prefix ? lineForwarder(opts.prefix, opts.processName, opts.channel) : null;
  const lines = file && opts.wholeLines ? new WholeLines((b) => file.write(b)) : null;
  const name = pyRepr(opts.processName);
  let captureMode = false;
  let pending: Buffer = Buffer.alloc(0);

  /** The normal log: the file, the forwarded copy, syslog (supervisord's normallog handlers). */
  const writeNormal = (data: Buffer) => {
    if (!data.length) return;
    if (lines) lines.write(data);
    else file?.write(data);
    forwarder?.write(data);
    if (opts.syslog) {
      // supervisord's SyslogHandler: trailing newlines dropped, then one message per line.
      for (const line of data.toString('utf8').replace(/\n+$/, '').split('\n')) opts.syslog(`${opts.processName} ${line}`);
    }
  };

  /** supervisord's _log: one chunk to the current log (normal or capture), main log, events. */
  const log = (raw: Buffer) => {
    if (!raw.length) return;
    const data = opts.stripAnsi ? stripEscapes(raw) : raw;
    if (captureMode) capture!.write(data);
    else writeNormal(data);
    if (opts.mainLog?.isEnabled('debug')) opts.mainLog.debug(`${name} ${opts.channel} output:\n${chunkText(data)}`);
    if (config.eventsEnabled) opts.onLog?.(data);
  };

  const toggle = () => {
    captureMode = !captureMode;
    if (!captureMode) {
      opts.onCapture?.(capture!.take());
      if (opts.mainLog?.isEnabled('debug')) opts.mainLog.debug(`${name} ${opts.channel} emitted a comm event`);
    }
  };

  /** supervisord's record_output: split on the capture tokens, holding back a partial token. */
  const record = () => {
    for (;;) {
      if (!capture) {
        const data = pending;
        pending = Buffer.alloc(0);
        log(data);
        return;
      }
      const token = captureMode ? END_TOKEN : BEGIN_TOKEN;
      if (pending.length <= token.length) return;
      const data = pending;
      pending = Buffer.alloc(0);
      const at = data.indexOf(token);
      if (at === -1) {
        const keep = findPrefixAtEnd(data, token);
        if (keep) pending = Buffer.from(data.subarray(data.length - keep));
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
    /** `chunk` may be a view on a reused read buffer: whatever is kept past this call is copied. */
    write(chunk: Buffer) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      record();
      // A partial capture token waits for the next chunk.
      if (pending.length) pending = Buffer.from(pending);
    },
    flush() {
      // The child is gone. svinit loses nothing held back for token matching (supervisord drops
      // a short tail after an END token, and an unfinished capture block).
      if (captureMode) {
        captureMode = false;
        // An unfinished block goes to the normal log as the program wrote it (BEGIN token
        // included); it was already sent as PROCESS_LOG events.
        writeNormal(Buffer.concat([BEGIN_TOKEN, capture!.take()]));
      }
      if (pending.length) {
        const rest = pending;
        pending = Buffer.alloc(0);
        log(rest);
      }
      forwarder?.flush();
      lines?.release();
      file?.flush();
    },
    reopen() {
      file?.reopen();
    },
    clear() {
      file?.clear();
    },
    async close() {
      lines?.release();
      file?.close();
    },
  };
}
