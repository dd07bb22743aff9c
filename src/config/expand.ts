// Python's `%` formatting with a mapping, as supervisord's expand() applies it to config values:
// `%(name)s`, `%(name)d`, `%(name)02d`, `%%`, with supervisord's error texts.

import { pyRepr } from './ini.js';

export type Expansions = Record<string, string | number>;

export class ExpansionError extends Error {}

const CONVERSIONS = 'diouxXeEfFgGcrsa';

function formatOne(v: string | number, flags: string, width: string, precision: string, conv: string): string {
  let out: string;
  if ('diouxX'.includes(conv)) {
    if (typeof v !== 'number') throw new TypeError(`%${conv} format: a real number is required, not str`);
    const n = Math.trunc(v);
    out = conv === 'o' ? n.toString(8) : conv === 'x' ? n.toString(16) : conv === 'X' ? n.toString(16).toUpperCase() : String(n);
    if (precision) out = out.replace(/^(-?)(\d+)$/, (_, sign: string, digits: string) => sign + digits.padStart(Number(precision.slice(1)), '0'));
  } else if ('eEfFgG'.includes(conv)) {
    if (typeof v !== 'number') throw new TypeError(`must be real number, not str`);
    out = conv.toLowerCase() === 'f' ? v.toFixed(precision ? Number(precision.slice(1)) : 6) : String(v);
  } else if (conv === 'r' || conv === 'a') {
    out = typeof v === 'number' ? String(v) : pyRepr(v);
  } else if (conv === 'c') {
    out = typeof v === 'number' ? String.fromCharCode(v) : v;
  } else {
    out = String(v);
    if (precision) out = out.slice(0, Number(precision.slice(1)));
  }
  const w = width ? Number(width) : 0;
  if (out.length < w) {
    if (flags.includes('-')) out = out.padEnd(w);
    else if (flags.includes('0') && 'diouxXeEfFgG'.includes(conv)) out = out.startsWith('-') ? `-${out.slice(1).padStart(w - 1, '0')}` : out.padStart(w, '0');
    else out = out.padStart(w);
  }
  return out;
}

/** `s % expansions`; throws ExpansionError with supervisord's message naming `name`. */
export function expand(s: string, expansions: Expansions, name: string): string {
  let out = '';
  let i = 0;
  try {
    while (i < s.length) {
      const ch = s[i];
      if (ch !== '%') {
        out += ch;
        i++;
        continue;
      }
      i++;
      if (i >= s.length) throw new SyntaxError('incomplete format');
      if (s[i] === '%') {
        out += '%';
        i++;
        continue;
      }
      if (s[i] !== '(') throw new SyntaxError('format requires a mapping');
      let depth = 1;
      let j = i + 1;
      while (j < s.length && depth) {
        if (s[j] === '(') depth++;
        else if (s[j] === ')') depth--;
        j++;
      }
      if (depth) throw new SyntaxError('incomplete format key');
      const key = s.slice(i + 1, j - 1);
      i = j;
      const spec = /^([-+ #0]*)(\d*)(\.\d+)?([a-zA-Z]?)/.exec(s.slice(i))!;
      const [whole, flags, width, precision = '', conv] = spec;
      if (!conv) throw new SyntaxError('incomplete format');
      if (!Object.prototype.hasOwnProperty.call(expansions, key)) throw new KeyLookupError(key);
      if (!CONVERSIONS.includes(conv))
        throw new SyntaxError(`unsupported format character '${conv}' (0x${conv.charCodeAt(0).toString(16)}) at index ${i + whole.length - 1}`);
      out += formatOne(expansions[key], flags, width, precision, conv);
      i += whole.length;
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
