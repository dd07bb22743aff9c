// Python's `%` formatting with a mapping, as supervisord's expand() applies it to config values:
// `%(name)s`, `%(name)d`, `%(name)02d`, `%%`, with supervisord's error texts. Follows CPython's
// PyUnicode_Format, including what happens to a spec without a `(name)`: with a mapping as the
// argument, the first such spec gets the mapping itself and any further one finds no argument.

import { pyRepr } from './ini.js';

export type Expansions = Record<string, string | number>;

export class ExpansionError extends Error {}

/** The mapping itself, as the first unnamed spec receives it (`%s` → its repr). */
const MAPPING = Symbol('mapping');
type Arg = string | number | typeof MAPPING;

const pyType = (v: Arg) => (v === MAPPING ? 'dict' : typeof v === 'number' ? 'int' : 'str');

function dictRepr(m: Expansions): string {
  return `{${Object.entries(m)
    .map(([k, v]) => `${pyRepr(k)}: ${typeof v === 'number' ? v : pyRepr(v)}`)
    .join(', ')}}`;
}

function formatOne(v: Arg, m: Expansions, flags: string, width: number, precision: number | null, conv: string): string {
  let out: string;
  if ('diouxX'.includes(conv)) {
    if (typeof v !== 'number') throw new TypeError(`%${conv} format: a real number is required, not ${pyType(v)}`);
    const n = Math.trunc(v);
    const abs = Math.abs(n);
    let digits = conv === 'o' ? abs.toString(8) : conv === 'x' ? abs.toString(16) : conv === 'X' ? abs.toString(16).toUpperCase() : String(abs);
    if (precision !== null) digits = digits.padStart(precision, '0');
    if (flags.includes('#') && 'oxX'.includes(conv)) digits = `0${conv === 'o' ? 'o' : conv}${digits}`;
    const sign = n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    out = sign + digits;
    if (flags.includes('0') && !flags.includes('-') && out.length < width) out = sign + digits.padStart(width - sign.length, '0');
  } else if ('eEfFgG'.includes(conv)) {
    if (typeof v !== 'number') throw new TypeError(`must be real number, not ${pyType(v)}`);
    const p = precision ?? 6;
    out = 'fF'.includes(conv) ? v.toFixed(p) : 'eE'.includes(conv) ? v.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2') : String(Number(v.toPrecision(p || 1)));
    if (conv === conv.toUpperCase()) out = out.toUpperCase();
    if (v >= 0 && flags.includes('+')) out = `+${out}`;
    if (flags.includes('0') && !flags.includes('-') && out.length < width) out = out.startsWith('-') ? `-${out.slice(1).padStart(width - 1, '0')}` : out.padStart(width, '0');
  } else if (conv === 'c') {
    if (typeof v === 'number') out = String.fromCodePoint(v);
    else if (typeof v === 'string' && [...v].length === 1) out = v;
    else throw new TypeError('%c requires int or char');
  } else {
    out = v === MAPPING ? dictRepr(m) : conv === 's' || typeof v === 'number' ? String(v) : pyRepr(v);
    if (precision !== null) out = out.slice(0, precision);
  }
  if (out.length < width) out = flags.includes('-') ? out.padEnd(width) : out.padStart(width);
  return out;
}

/** `s % expansions`; throws ExpansionError with supervisord's message naming `name`. */
export function expand(s: string, expansions: Expansions, name: string): string {
  let out = '';
  let i = 0;
  let unnamedUsed = false;
  const nextArg = (): Arg => {
    if (unnamedUsed) throw new TypeError('not enough arguments for format string');
    unnamedUsed = true;
    return MAPPING;
  };
  try {
    while (i < s.length) {
      const ch = s[i];
      if (ch !== '%') {
        out += ch;
        i++;
        continue;
      }
      i++;
      let arg: Arg | undefined;
      if (s[i] === '(') {
        let depth = 1;
        let j = i + 1;
        while (j < s.length && depth) {
          if (s[j] === '(') depth++;
          else if (s[j] === ')') depth--;
          j++;
        }
        if (depth) throw new SyntaxError('incomplete format key');
        const key = s.slice(i + 1, j - 1);
        if (!Object.prototype.hasOwnProperty.call(expansions, key)) throw new KeyLookupError(key);
        arg = expansions[key];
        i = j;
      }
      let flags = '';
      while (i < s.length && '-+ #0'.includes(s[i])) flags += s[i++];
      let width = 0;
      if (s[i] === '*') {
        if (typeof (arg === undefined ? nextArg() : MAPPING) !== 'number') throw new TypeError('* wants int');
        i++;
      } else while (i < s.length && s[i] >= '0' && s[i] <= '9') width = width * 10 + Number(s[i++]);
      let precision: number | null = null;
      if (s[i] === '.') {
        i++;
        precision = 0;
        if (s[i] === '*') {
          if (typeof (arg === undefined ? nextArg() : MAPPING) !== 'number') throw new TypeError('* wants int');
          i++;
        } else while (i < s.length && s[i] >= '0' && s[i] <= '9') precision = precision * 10 + Number(s[i++]);
      }
      while (i < s.length && 'hlL'.includes(s[i])) i++;
      if (i >= s.length) throw new SyntaxError('incomplete format');
      const conv = s[i];
      if (conv === '%') {
        out += '%';
        i++;
        continue;
      }
      if (!'diouxXeEfFgGcrsa'.includes(conv)) {
        const code = conv.codePointAt(0)!;
        const shown = code >= 32 && code < 127 ? `'${conv}' (0x${code.toString(16)})` : `'\\x${code.toString(16).padStart(2, '0')}' (0x${code.toString(16)})`;
        throw new SyntaxError(`unsupported format character ${shown} at index ${i}`);
      }
      out += formatOne(arg ?? nextArg(), expansions, flags, width, precision, conv);
      i++;
    }
  } catch (e) {
    if (e instanceof KeyLookupError) {
      const available = Object.keys(expansions).sort().join(', ');
      throw new ExpansionError(
        `Format string ${pyRepr(s)} for ${pyRepr(name)} contains names (${pyRepr(e.key)}) which cannot be expanded. Available names: ${available}`,
      );
    }
    throw new ExpansionError(`Format string ${pyRepr(s)} for ${pyRepr(name)} is badly formatted: ${(e as Error).message}`);
  }
  return out;
}

class KeyLookupError extends Error {
  constructor(public readonly key: string) {
    super(key);
  }
}
