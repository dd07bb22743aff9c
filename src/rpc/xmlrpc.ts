// XML-RPC codec. Output is byte-for-byte Python's xmlrpc.client.dumps (what supervisord sends);
// input is parsed by saxes, a strict streaming XML parser: no DTD is accepted (so no external
// entities and no entity-expansion bombs), nesting depth and size are bounded.

import { createRequire } from 'node:module';

type Saxes = typeof import('saxes');
let saxesModule: Saxes | null = null;
/**
 * saxes is loaded on the first parse (+1 MiB RSS measured): a daemon nobody calls never needs it.
 * esbuild bundles the literal require() and runs saxes' code only when it is called; under vitest
 * (ESM, no require) Node resolves the package itself.
 */
function loadSaxes(): Saxes {
  saxesModule ??= typeof require === 'function' ? (require('saxes') as Saxes) : (createRequire(import.meta.url)('saxes') as Saxes);
  return saxesModule;
}

export type XmlRpcValue = string | number | boolean | XmlRpcValue[] | { [k: string]: XmlRpcValue } | Date | Buffer;

export class XmlRpcParseError extends Error {}

/** An encoded value grew past the limit given to encodeResponse. */
export class ResponseTooLarge extends Error {}

export const MAX_DEPTH = 64;

// ---------------------------------------------------------------- encoding

/** Only &, < and > are escaped (as Python does); characters XML 1.0 forbids become U+FFFD. */
const NEEDS_ESCAPE = /[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;

function escape(s: string): string {
  // Most strings (names, states, descriptions) need nothing: skip the replace passes.
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // svinit's fix: supervisord sends e.g. raw ESC from logs, which standard XML clients reject.
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function pyDouble(n: number): string {
  if (Number.isInteger(n)) return `${n}.0`;
  return String(n);
}

function isoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * Python's Marshaller output for one value (string concatenation: V8 ropes beat push/join).
 * Arrays and structs stop growing past `limit` characters, so a huge result is refused while it is
 * being built rather than after.
 */
function dump(v: XmlRpcValue, limit = Infinity): string {
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>\n`;
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return `<value><int>${v}</int></value>\n`;
    return `<value><double>${pyDouble(v)}</double></value>\n`;
  }
  if (typeof v === 'string') return `<value><string>${escape(v)}</string></value>\n`;
  if (Buffer.isBuffer(v)) return `<value><base64>\n${v.toString('base64')}\n</base64></value>\n`;
  if (v instanceof Date) return `<value><dateTime.iso8601>${isoDate(v)}</dateTime.iso8601></value>\n`;
  if (Array.isArray(v)) {
    let out = '<value><array><data>\n';
    for (const x of v) {
      out += dump(x, limit);
      if (out.length > limit) throw new ResponseTooLarge();
    }
    return `${out}</data></array></value>\n`;
  }
  if (v === null || typeof v !== 'object') throw new TypeError(`cannot marshal ${v === null ? 'null' : typeof v} objects`);
  let out = '<value><struct>\n';
  for (const k in v) {
    out += `<member>\n<name>${escape(k)}</name>\n${dump(v[k], limit)}</member>\n`;
    if (out.length > limit) throw new ResponseTooLarge();
  }
  return `${out}</struct></value>\n`;
}

/** Throws ResponseTooLarge when the value's XML would exceed maxChars (UTF-16 units, ≈ bytes). */
export function encodeResponse(value: XmlRpcValue, maxChars = Infinity): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${dump(value, maxChars)}</param>\n</params>\n</methodResponse>\n`;
}

export function encodeFault(code: number, message: string): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n${dump({ faultCode: code, faultString: message })}</fault>\n</methodResponse>\n`;
}

export function encodeRequest(method: string, params: XmlRpcValue[]): string {
  let out = `<?xml version='1.0'?>\n<methodCall>\n<methodName>${escape(method)}</methodName>\n<params>\n`;
  for (const p of params) out += `<param>\n${dump(p)}</param>\n`;
  return `${out}</params>\n</methodCall>\n`;
}

// ---------------------------------------------------------------- decoding

interface Frame {
  tag: string;
  text: string;
  /** Values collected by <value>, <data>, <param>, <params>, <member>. */
  values: XmlRpcValue[];
  members?: Record<string, XmlRpcValue>;
  memberName?: string;
  typed?: boolean;
}

const SCALARS = new Set(['int', 'i4', 'i8', 'boolean', 'string', 'double', 'dateTime.iso8601', 'base64', 'nil']);

function scalar(tag: string, text: string): XmlRpcValue {
  switch (tag) {
    case 'int':
    case 'i4':
    case 'i8': {
      const t = text.trim();
      if (!/^[-+]?\d+$/.test(t)) throw new XmlRpcParseError(`bad ${tag}: ${t.slice(0, 40)}`);
      return Number(t);
    }
    case 'boolean': {
      const t = text.trim();
      if (t !== '0' && t !== '1') throw new XmlRpcParseError(`bad boolean: ${t.slice(0, 40)}`);
      return t === '1';
    }
    case 'double': {
      const n = Number(text.trim());
      if (text.trim() === '' || Number.isNaN(n)) throw new XmlRpcParseError(`bad double: ${text.trim().slice(0, 40)}`);
      return n;
    }
    case 'dateTime.iso8601': {
      const m = /^(\d{4})-?(\d\d)-?(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(text.trim());
      if (!m) throw new XmlRpcParseError('bad dateTime.iso8601');
      return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
    }
    case 'base64':
      // supervisord decodes base64 params to strings.
      return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'nil':
      return '';
    default:
      return text;
  }
}

/** Parses a methodCall or methodResponse document into its tag, method name and values. */
function parse(xml: string | Buffer, root: 'methodCall' | 'methodResponse'): { method: string; params: XmlRpcValue[]; fault: boolean } {
  const parser = new (loadSaxes().SaxesParser)({ xmlns: false, position: false });
  const stack: Frame[] = [];
  let method = '';
  let params: XmlRpcValue[] = [];
  let fault = false;
  let sawRoot = false;
  let error: Error | null = null;
  const fail = (msg: string) => {
    throw new XmlRpcParseError(msg);
  };
  parser.on('doctype', () => fail('DTDs are not accepted'));
  parser.on('processinginstruction', () => undefined);
  parser.on('error', (e) => {
    error ??= new XmlRpcParseError(e.message);
  });
  parser.on('opentag', (node) => {
    const tag = node.name;
    if (!sawRoot) {
      if (tag !== root) fail(`expected <${root}>, got <${tag}>`);
      sawRoot = true;
    }
    if (stack.length >= MAX_DEPTH) fail('nesting too deep');
    const parent = stack[stack.length - 1];
    if (parent?.tag === 'value') parent.typed = true;
    const frame: Frame = { tag, text: '', values: [] };
    // Prototype-less, so a member named `__proto__` is just a member (never a prototype change).
    if (tag === 'struct') frame.members = Object.create(null) as Record<string, XmlRpcValue>;
    stack.push(frame);
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    const frame = stack.pop()!;
    const parent = stack[stack.length - 1];
    const tag = frame.tag;
    let produced: XmlRpcValue | undefined;
    if (SCALARS.has(tag)) produced = scalar(tag, frame.text);
    else if (tag === 'array') produced = stack.length ? (frame.values[0] as XmlRpcValue[]) ?? [] : [];
    else if (tag === 'data') produced = frame.values;
    else if (tag === 'struct') produced = frame.members!;
    else if (tag === 'value') {
      // A <value> without a type child is a string.
      produced = frame.typed ? frame.values[0] : frame.text;
      if (produced === undefined) fail('empty <value>');
    } else if (tag === 'name') {
      if (parent?.tag === 'member') parent.memberName = frame.text;
      return;
    } else if (tag === 'member') {
      if (frame.memberName === undefined || frame.values.length !== 1) fail('bad struct member');
      if (parent?.tag !== 'struct') fail('<member> outside <struct>');
      parent.members![frame.memberName!] = frame.values[0];
      return;
    } else if (tag === 'methodName') {
      method = frame.text.trim();
      return;
    } else if (tag === 'param') {
      if (frame.values.length !== 1) fail('<param> needs one <value>');
      parent?.values.push(frame.values[0]);
      return;
    } else if (tag === 'params') {
      params = frame.values;
      return;
    } else if (tag === 'fault') {
      fault = true;
      params = frame.values;
      return;
    } else if (tag === root) return;
    else fail(`unexpected <${tag}>`);
    if (tag === 'array' && parent?.tag !== 'value') fail('<array> outside <value>');
    if (parent) parent.values.push(produced as XmlRpcValue);
  });
  try {
    parser.write(typeof xml === 'string' ? xml : xml.toString('utf8')).close();
  } catch (e) {
    throw e instanceof XmlRpcParseError ? e : new XmlRpcParseError((e as Error).message);
  }
  if (error) throw error;
  if (!sawRoot) fail('empty document');
  return { method, params, fault };
}

export function decodeRequest(xml: string | Buffer): { method: string; params: XmlRpcValue[] } {
  const { method, params } = parse(xml, 'methodCall');
  if (!method) throw new XmlRpcParseError('empty method name');
  return { method, params };
}

export function decodeResponse(xml: string | Buffer): { value: XmlRpcValue } | { fault: { faultCode: number; faultString: string } } {
  const { params, fault } = parse(xml, 'methodResponse');
  if (fault) {
    const f = params[0] as { faultCode?: number; faultString?: string };
    return { fault: { faultCode: Number(f?.faultCode ?? 0), faultString: String(f?.faultString ?? '') } };
  }
  if (params.length !== 1) throw new XmlRpcParseError('a response holds exactly one value');
  return { value: params[0] };
}
