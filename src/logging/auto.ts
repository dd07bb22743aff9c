// AUTO child log files in childlogdir (supervisord's docs, "Child Process Logs"): `<process>-<channel>---<identifier>-<8 chars>.log`,
// created empty (as tempfile.mkstemp does: exclusive, mode 0600) when the group is created, and
// removed at every start unless nocleanup.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pyRepr } from '../config/ini.js';
import type { ActivityLogger } from './types.js';

/** Python's tempfile alphabet. */
const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';

export function autoLogPath(childlogdir: string, processName: string, channel: string, identifier: string): string {
  for (let attempt = 0; ; attempt++) {
    const suffix = [...crypto.randomBytes(8)].map((b) => CHARS[b % CHARS.length]).join('');
    const file = path.join(childlogdir, `${processName}-${channel}---${identifier}-${suffix}.log`);
    try {
      fs.closeSync(fs.openSync(file, 'wx', 0o600));
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw e;
    }
  }
}

/**
 * supervisord's clear_autochildlogdir: removes names matching `.+?---<identifier>-\S+\.log\.{0,1}\d{0,4}`
 * (re.match: anchored at the start only). svinit escapes the identifier (supervisord does not).
 */
export function cleanupAutoLogs(childlogdir: string, identifier: string, logger?: Pick<ActivityLogger, 'warn'>): void {
  const esc = identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^.+?---${esc}-\\S+\\.log\\.?\\d{0,4}`);
  let names: string[];
  try {
    names = fs.readdirSync(childlogdir);
  } catch {
    logger?.warn('Could not clear childlog dir');
    return;
  }
  for (const n of names) {
    if (!re.test(n)) continue;
    const pathname = path.join(childlogdir, n);
    try {
      fs.unlinkSync(pathname);
    } catch {
      logger?.warn(`Failed to clean up ${pyRepr(pathname)}`);
    }
  }
}
