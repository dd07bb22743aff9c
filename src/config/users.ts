// User and group lookups from /etc/passwd and /etc/group (no native calls: svinit must run where
// only these files exist, e.g. a busybox image).

import fs from 'node:fs';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

function readLines(file: string): string[][] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

export function passwd(file = '/etc/passwd'): PasswdEntry[] {
  return readLines(file).map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' }));
}

export function lookupUser(nameOrUid: string): PasswdEntry | null {
  const all = passwd();
  if (/^\d+$/.test(nameOrUid)) return all.find((e) => e.uid === Number(nameOrUid)) ?? null;
  return all.find((e) => e.name === nameOrUid) ?? null;
}

export function uidOf(nameOrUid: string): number | null {
  return lookupUser(nameOrUid)?.uid ?? null;
}

export function gidOf(nameOrGid: string): number | null {
  const groups = readLines('/etc/group').map((f) => ({ name: f[0], gid: Number(f[2]) }));
  if (/^\d+$/.test(nameOrGid)) return groups.find((g) => g.gid === Number(nameOrGid))?.gid ?? null;
  return groups.find((g) => g.name === nameOrGid)?.gid ?? null;
}

/**
 * `user=` as supervisord resolves it (name_to_uid + gid_for_uid): a name or a numeric uid that must
 * exist in /etc/passwd. Throws supervisord's `Invalid user name <n>` / `Invalid user id <n>`.
 */
export function resolveUser(nameOrUid: string): PasswdEntry {
  const entry = lookupUser(nameOrUid);
  if (!entry) throw new Error(/^\d+$/.test(nameOrUid) ? `Invalid user id ${nameOrUid}` : `Invalid user name ${nameOrUid}`);
  return entry;
}
