// The label of container mode's forwarded copy: `name | ` before every line of a chunk of whole
// lines. The native addon's labelLines (memchr + memcpy into one buffer) does it when it is
// loaded; without the addon, JavaScript does, byte for byte the same: a byte loop for short lines,
// one replaceAll on a latin1 view of the bytes (1:1, so any encoding passes through) for long ones.

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

/** The addon's labelLines, when the addon is loaded and has it (an older svinit.node may not). */
function nativeLabelLines(native: Pick<NativeAddon, 'labelLines'> | null): ((body: Buffer, label: Buffer) => Buffer) | null {
  return typeof native?.labelLines === 'function' ? native.labelLines.bind(native) : null;
}

/**
 * A function putting `label` before every line of its argument: the addon's when it is there,
 * else labelLinesJs. `native` is for tests (null: JavaScript only).
 */
export function lineLabeller(label: Buffer, native: Pick<NativeAddon, 'labelLines'> | null = loadNative()): (body: Buffer) => Buffer {
  if (!label.length) return (body) => body;
  const fn = nativeLabelLines(native) ?? labelLinesJs;
  return (body) => fn(body, label);
}
