// The group-level keys of an [fcgi-program:x] section (options.py process_groups_from_parser):
// priority and the listening socket its processes share.

import path from 'node:path';
import { colonSeparatedUserGroup, nameToUid, parseInteger, parseOctal } from './datatypes.js';
import { pyRepr } from './ini.js';
import { KeyError, normalizePath, type SectionReader } from './section-reader.js';
import type { FcgiSocketSettings } from './types.js';
import { lookupUser } from './users.js';

export function readFcgiProgram(r: SectionReader, section: string, name: string): { priority: number; fcgi: FcgiSocketSettings } {
  const priority = r.conv(section, 'priority', '999', parseInteger);
  const user = r.get(section, 'user', null).value;
  const procUid = user === null ? null : r.conv(section, 'user', '', nameToUid);
  const backlogRaw = r.get(section, 'socket_backlog', null);
  let socketBacklog: number | null = null;
  if (backlogRaw.value !== null) {
    socketBacklog = r.conv(section, 'socket_backlog', '', parseInteger);
    if (socketBacklog < 1 || socketBacklog > 65535) throw new KeyError(`Invalid socket_backlog value ${socketBacklog}`, backlogRaw.at, 'socket_backlog');
  }
  const ownerRaw = r.get(section, 'socket_owner', null);
  let owner: { uid: number; gid: number } | null = null;
  if (ownerRaw.value !== null) {
    try {
      owner = colonSeparatedUserGroup(ownerRaw.value);
    } catch {
      throw new KeyError(`Invalid socket_owner value ${ownerRaw.value}`, ownerRaw.at, 'socket_owner');
    }
  }
  const modeRaw = r.get(section, 'socket_mode', null);
  let mode: number | null = null;
  if (modeRaw.value !== null) {
    try {
      mode = parseOctal(modeRaw.value);
    } catch {
      throw new KeyError(`Invalid socket_mode value ${modeRaw.value}`, modeRaw.at, 'socket_mode');
    }
  }
  const sockAt = r.get(section, 'socket', null, { expansions: { program_name: name } });
  if (!sockAt.value) throw new KeyError(`[${section}] section requires a "socket" line`, sockAt.at, 'socket');
  const sock = sockAt.value;
  if (sock.startsWith('unix://')) {
    const p = sock.slice(7);
    if (!path.isAbsolute(p)) throw new KeyError(`('Unix socket path %s is not an absolute path', ${pyRepr(p)}) in [${section}] socket`, sockAt.at, 'socket');
    if (owner === null && procUid !== null && procUid !== process.getuid?.()) {
      const entry = lookupUser(String(procUid));
      owner = { uid: procUid, gid: entry?.gid ?? -1 };
    }
    return { priority, fcgi: { socket: `unix://${normalizePath(p, r.cwd)}`, socketBacklog, socketOwner: owner, socketMode: mode ?? 0o700 } };
  }
  if (owner !== null || mode !== null)
    throw new KeyError(`socket_owner and socket_mode params should only be used with a Unix domain socket in [${section}] socket`, sockAt.at, 'socket');
  // supervisord raises these with two arguments, so its message shows them as a tuple.
  const tcp = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(sock);
  if (!tcp) throw new KeyError(`('Bad socket format %s', ${pyRepr(sock)}) in [${section}] socket`, sockAt.at, 'socket');
  const port = Number(tcp[2]);
  if (port < 1 || port > 65535)
    throw new KeyError(`${port} is ${port < 1 ? 'below lower bound (1)' : 'above upper bound (65535)'} in [${section}] socket`, sockAt.at, 'socket');
  return { priority, fcgi: { socket: `tcp://${tcp[1].toLowerCase()}:${port}`, socketBacklog, socketOwner: null, socketMode: 0o700 } };
}
