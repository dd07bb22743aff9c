// `[supervisord] user=` / `-u`: svinit drops root for the given user, keeping its supplementary
// groups (supervisord: setgroups + setgid + setuid).

import { lookupUser } from '../config/users.js';

/** Returns an error message (supervisord's wording), or null when done or nothing to do. */
export function dropPrivileges(user: string): string | null {
  const entry = lookupUser(user);
  if (!entry) return /^\d+$/.test(user) ? `Invalid user id ${user}` : `Invalid user name ${user}`;
  if (process.getuid?.() === entry.uid) return null;
  if (process.getuid?.() !== 0) return "Can't drop privilege as nonroot user";
  try {
    (process as unknown as { initgroups?(user: string, gid: number): void }).initgroups?.(entry.name, entry.gid);
    process.setgid?.(entry.gid);
    process.setuid?.(entry.uid);
  } catch (e) {
    return `Could not set user id to ${entry.uid}: ${(e as Error).message}`;
  }
  return null;
}
