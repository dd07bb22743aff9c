// AUTO child log files in childlogdir (§6.2): `<process>-<channel>---<identifier>-<8 chars>.log`,
// created empty when the group is created, removed at start unless nocleanup.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';

export function autoLogPath(childlogdir: string, processName: string, channel: string, identifier: string): string {
  const bytes = crypto.randomBytes(8);
  const suffix = [...bytes].map((b) => CHARS[b % CHARS.length]).join('');
  const file = path.join(childlogdir, `${processName}-${channel}---${identifier}-${suffix}.log`);
  fs.closeSync(fs.openSync(file, 'a'));
  return file;
}

export function cleanupAutoLogs(childlogdir: string, identifier: string): void {
  const esc = identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^.+?---${esc}-\\S+\\.log\\.?\\d{0,4}$`);
  let names: string[] = [];
  try {
    names = fs.readdirSync(childlogdir);
  } catch {
    return;
  }
  for (const n of names) if (re.test(n)) fs.rmSync(path.join(childlogdir, n), { force: true });
}
