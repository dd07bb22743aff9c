// The label of container mode's forwarded copy: `name | ` before every line of a chunk of whole
// lines. The native addon's labelLines (native/label.c: no strings, one copy) does it when it is
// loaded, into a reused buffer when the copy is written to an fd at once; without the addon,
// JavaScript does, byte for byte the same: a byte loop for short lines, one replaceAll on a
// latin1 view of the bytes (1:1, so any encoding passes through) for long ones.

import { loadNative, type NativeAddon } from '../init/native.js';

const NL = 0x0a;

/**
 * Below this average line length the byte loop prefixes lines faster than one native replaceAll on
 * a latin1 string (measured on 64 KiB chunks: 2-byte lines 1.2 ms vs 3.7 ms; 128-byte lines
 * 0.35 ms vs 0.06 ms). Per-line native calls (indexOf + copy per line) are slower than both.
 */
const SHORT_LINE = 32;

/** Whether the first lines of `body` are short (the writer's line length rarely varies in a chunk). */
export function shortLines(body: Buffer): boolean {
  let at = -1;
  for (let k = 0; k < 4; k++) {
    at = body.indexOf(NL, at + 1);
    if (at === -1) return false;
  }
  return at < 4 * SHORT_LINE;
}

/** `label` before every line of `body`, in one pass over the bytes: no strings. */
export function prefixShortLines(body: Buffer, label: Buffer): Buffer {
  const len = body.length;
  const ll = label.length;
  if (!len) return body;
  let lines = 0;
  for (let i = 0; i < len; i++) if (body[i] === NL) lines++;
  if (body[len - 1] !== NL) lines++;
  const out = Buffer.allocUnsafe(len + lines * ll);
  let o = 0;
  for (let k = 0; k < ll; k++) out[o++] = label[k];
  for (let i = 0; i < len; i++) {
    const c = body[i];
    out[o++] = c;
    if (c === NL && i + 1 < len) for (let k = 0; k < ll; k++) out[o++] = label[k];
  }
  return out;
}

/**
 * `label` before every line of `body` in JavaScript. A line ends after each newline; a last run of
 * bytes without one is a line too; an empty body stays empty (as the addon's labelLines).
 */
export function labelLinesJs(body: Buffer, label: Buffer): Buffer {
  if (!label.length || !body.length) return body;
  if (shortLines(body)) return prefixShortLines(body, label);
  const labelL = label.toString('latin1');
  const ends = body[body.length - 1] === NL;
  const text = body.toString('latin1', 0, ends ? body.length - 1 : body.length).replaceAll('\n', `\n${labelL}`);
  return Buffer.from(`${labelL}${text}${ends ? '\n' : ''}`, 'latin1');
}

type NativeLabel = Pick<NativeAddon, 'labelLines'>;

/**
 * The output buffer the addon writes a transient result to: one for every channel (svinit is one
 * thread, and a transient result is written out before the next is made), grown on demand up to
 * SCRATCH_MAX (a 64 KiB read of 2-byte lines under a 20-byte label is 800 KiB). Reused memory is
 * warm: a fresh buffer per chunk cost more in page faults than the labelling itself.
 */
const SCRATCH_MAX = 1024 * 1024;
let scratch: Buffer | null = null;

function labelTransient(labelLines: NonNullable<NativeLabel['labelLines']>, body: Buffer, label: Buffer): Buffer {
  let n = labelLines(body, label, scratch ?? (scratch = Buffer.allocUnsafeSlow(64 * 1024)));
  if (n > scratch.length) {
    if (n > SCRATCH_MAX) return labelLines(body, label);
    scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX, Math.max(n, 2 * scratch.length)));
    n = labelLines(body, label, scratch);
  }
  return scratch.subarray(0, n);
}

export interface LabellerOptions {
  /** The addon (default: loadNative()); null: JavaScript only. For tests. */
  native?: NativeLabel | null;
  /**
   * The caller writes each result out before the next call (a synchronous write to an fd): the
   * result may be a view on a buffer the next call overwrites.
   */
  transient?: boolean;
}

/** A function putting `label` before every line of its argument: the addon's when it is there, else labelLinesJs. */
export function lineLabeller(label: Buffer, opts: LabellerOptions = {}): (body: Buffer) => Buffer {
  if (!label.length) return (body) => body;
  const native = opts.native === undefined ? loadNative() : opts.native;
  // An older svinit.node may lack labelLines.
  const labelLines = typeof native?.labelLines === 'function' ? native.labelLines.bind(native) : null;
  if (!labelLines) return (body) => labelLinesJs(body, label);
  if (opts.transient) return (body) => labelTransient(labelLines, body, label);
  return (body) => labelLines(body, label);
}
