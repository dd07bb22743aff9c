// supervisord's value converters (datatypes.py) with its error texts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AutoRestart, LogLevelName } from './types.js';
import { pyRepr } from './ini.js';
import { legacyShlexTokens } from './shlex.js';
import { gidOf, uidOf } from './users.js';
import { ValueError } from './value-error.js';

export { splitCommand } from './shlex.js';

export { ValueError };
export { parseSignal, signalName } from './signals.js';

export function processOrGroupName(name: string): string {
  const s = name.trim();
  for (const ch of [' ', ':', '/']) if (s.includes(ch)) throw new ValueError(`Invalid name: ${pyRepr(name)} because of character: ${pyRepr(ch)}`);
  return s;
}

/** Python int(): optional sign, digits, underscores between digits, surrounding whitespace. */
export function parseInteger(v: string): number {
  const s = v.trim();
  if (!/^[-+]?\d+(_\d+)*$/.test(s)) throw new ValueError(`invalid literal for int() with base 10: ${pyRepr(v)}`);
  return Number(s.replace(/_/g, ''));
}

const TRUTHY = ['yes', 'true', 'on', '1'];
const FALSY = ['no', 'false', 'off', '0'];

export function parseBoolean(v: string): boolean {
  const s = v.toLowerCase();
  if (TRUTHY.includes(s)) return true;
  if (FALSY.includes(s)) return false;
  throw new ValueError(`not a valid boolean value: ${pyRepr(v)}`);
}

export function listOfStrings(v: string): string[] {
  if (!v) return [];
  return v.split(',').map((x) => x.trim());
}

export function parseExitCodes(v: string): number[] {
  try {
    if (!v) return [];
    return v.split(',').map((x) => {
      const n = parseInteger(x);
      if (n < 0 || n > 255) throw new ValueError(`Invalid exit code "${n}"`);
      return n;
    });
  } catch {
    throw new ValueError(`not a valid list of exit codes: ${pyRepr(v)}`);
  }
}

/** `environment=` (supervisord's docs, [program:x] environment): KEY=VALUE groups separated by any single token, quotes stripped. */
export function parseEnvironment(v: string): Record<string, string> {
  let tokens: string[];
  try {
    tokens = legacyShlexTokens(v);
  } catch (e) {
    throw new ValueError((e as Error).message);
  }
  const env: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 4) {
    const [k, eq, val] = tokens.slice(i, i + 3);
    if (val === undefined || eq !== '=') throw new ValueError(`Unexpected end of key/value pairs in value '${v}'`);
    env[k] = val.replace(/^['"]+|['"]+$/g, '');
  }
  return env;
}

/** `50MB`, `1KB`, `3GB` or plain bytes. */
export function parseByteSize(v: string): number {
  const s = v.toLowerCase();
  const mult: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  const suffix = s.slice(-2);
  if (mult[suffix]) return parseInteger(s.slice(0, -2)) * mult[suffix];
  return parseInteger(s);
}

export function parseOctal(v: string): number {
  const s = v.trim().replace(/^0o/i, '');
  if (!/^[-+]?[0-7]+(_[0-7]+)*$/.test(s)) throw new ValueError(`${v} can not be converted to an octal type`);
  return parseInt(s.replace(/_/g, ''), 8);
}

const LEVELS: LogLevelName[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

export function parseLogLevel(v: string): LogLevelName {
  const s = v.toLowerCase() as LogLevelName;
  if (!LEVELS.includes(s)) throw new ValueError(`bad logging level name ${pyRepr(v)}`);
  return s;
}

export function parseAutorestart(v: string): AutoRestart {
  const s = v.toLowerCase();
  if (TRUTHY.includes(s)) return true;
  if (FALSY.includes(s)) return false;
  if (s === 'unexpected') return 'unexpected';
  throw new ValueError(`invalid 'autorestart' value ${pyRepr(s)}`);
}

export function inetAddress(s: string): { host: string; port: number } {
  let host = '';
  let portText = s;
  const portNumber = (p: string) => {
    const n = parseInteger(p);
    if (n < 1) throw new ValueError(`${n} is below lower bound (1)`);
    if (n > 65535) throw new ValueError(`${n} is above upper bound (65535)`);
    return n;
  };
  if (s.includes(':')) {
    const i = s.lastIndexOf(':');
    host = s.slice(0, i);
    portText = s.slice(i + 1);
    if (!portText) throw new ValueError(`no port number specified in ${pyRepr(portText)}`);
    host = host.toLowerCase();
    const port = portNumber(portText);
    return { host: host === '*' ? '' : host, port };
  }
  try {
    return { host: '', port: portNumber(portText) };
  } catch {
    throw new ValueError(`not a valid port number: ${pyRepr(s)} `);
  }
}

function expandUser(v: string): string {
  if (v === '~' || v.startsWith('~/')) return path.join(os.homedir(), v.slice(1));
  return v;
}

/** `cwd` stands for supervisord's working directory, against which relative paths are checked. */
export function existingDirectory(v: string, cwd = process.cwd()): string {
  const nv = expandUser(v);
  try {
    if (fs.statSync(path.resolve(cwd, nv)).isDirectory()) return nv;
  } catch {
    /* fall through */
  }
  throw new ValueError(`${v} is not an existing directory`);
}

export function existingDirpath(v: string, cwd = process.cwd()): string {
  const nv = expandUser(v);
  // A bare file name (no directory part) is accepted as is.
  if (!nv.includes('/')) return nv;
  try {
    if (fs.statSync(path.resolve(cwd, path.dirname(nv))).isDirectory()) return nv;
  } catch {
    /* fall through */
  }
  throw new ValueError(`The directory named as part of the path ${v} does not exist`);
}

export function nameToUid(name: string): number {
  const uid = uidOf(name);
  if (uid === null) throw new ValueError(/^\d+$/.test(name) ? `Invalid user id ${name}` : `Invalid user name ${name}`);
  return uid;
}

export function nameToGid(name: string): number {
  const gid = gidOf(name);
  if (gid === null) throw new ValueError(/^\d+$/.test(name) ? `Invalid group id ${name}` : `Invalid group name ${name}`);
  return gid;
}

/** `user` or `user:group` → uid and gid (gid -1 when only a user is given). */
export function colonSeparatedUserGroup(v: string): { uid: number; gid: number } {
  try {
    const [u, g] = v.split(/:(.*)/s);
    const uid = nameToUid(u);
    return { uid, gid: g === undefined ? -1 : nameToGid(g) };
  } catch {
    throw new ValueError(`Invalid user:group definition ${v}`);
  }
}
