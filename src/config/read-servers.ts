// The [inet_http_server], [unix_http_server] and [rpcinterface:x] sections (options.py
// server_configs_from_parser and get_plugins). supervisord expands their values without %(here)s,
// except unix_http_server's file.

import { colonSeparatedUserGroup, inetAddress, parseOctal } from './datatypes.js';
import { KeyError, normalizePath, type SectionReader } from './section-reader.js';
import type { HttpServerConfig } from './types.js';

/** get_plugins for `[rpcinterface:x]`: the factory key is required; only supervisord's own exists here. */
export function readRpcInterfaces(r: SectionReader): string[] {
  const FACTORY = 'supervisor.rpcinterface_factory';
  const names: string[] = [];
  for (const section of r.doc.names().filter((s) => s.startsWith('rpcinterface:'))) {
    try {
      const spec = r.get(section, FACTORY, null, { withHere: false });
      if (spec.value === null) throw new KeyError(`section [${section}] does not specify a ${FACTORY}`, undefined, FACTORY);
      if (spec.value.trim() !== 'supervisor.rpcinterface:make_main_rpcinterface')
        r.warnings.push({ message: `${spec.value} of [${section}] is not available in svinit: the namespace is not served`, source: spec.at });
      // The other keys become the factory's keyword arguments, expanded (and so checked) as supervisord does.
      for (const key of r.doc.sections.get(section)!.values.keys()) if (key !== FACTORY) r.get(section, key, null, { withHere: false });
    } catch (e) {
      r.fail(e, section);
    }
    names.push(section.slice('rpcinterface:'.length));
  }
  return names;
}

export function readServers(r: SectionReader): HttpServerConfig[] {
  const out: HttpServerConfig[] = [];
  const auth = (section: string) => {
    const username = r.get(section, 'username', null, { withHere: false }).value;
    const password = r.get(section, 'password', null, { withHere: false }).value;
    if ((username === null) !== (password === null))
      throw new KeyError(
        `Section [${section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`,
        r.doc.get(section, username === null ? 'password' : 'username'),
        username === null ? 'username' : 'password',
      );
    return { username, password };
  };
  for (const section of r.doc.names().filter((s) => s.startsWith('inet_http_server'))) {
    try {
      const a = auth(section);
      const portAt = r.get(section, 'port', null, { withHere: false });
      if (portAt.value === null) throw new KeyError(`section [${section}] has no port value`, undefined, 'port');
      let addr: { host: string; port: number };
      try {
        addr = inetAddress(portAt.value);
      } catch (e) {
        throw new KeyError((e as Error).message, portAt.at, 'port');
      }
      out.push({ section, kind: 'inet', host: addr.host, port: addr.port, ...a });
    } catch (e) {
      r.fail(e, section);
    }
  }
  for (const section of r.doc.names().filter((s) => s.startsWith('unix_http_server'))) {
    try {
      const fileAt = r.get(section, 'file', null, { expansions: { here: r.here } });
      if (fileAt.value === null) throw new KeyError(`section [${section}] has no file value`, undefined, 'file');
      const file = normalizePath(fileAt.value.trim(), r.cwd);
      const a = auth(section);
      const chownAt = r.get(section, 'chown', null, { withHere: false });
      let chown: { uid: number; gid: number } | null = null;
      if (chownAt.value !== null) {
        try {
          chown = colonSeparatedUserGroup(chownAt.value);
        } catch {
          throw new KeyError(`Invalid sockchown value ${chownAt.value}`, chownAt.at, 'chown');
        }
      }
      const chmodAt = r.get(section, 'chmod', null, { withHere: false });
      let chmod = 0o700;
      if (chmodAt.value !== null) {
        try {
          chmod = parseOctal(chmodAt.value);
        } catch {
          throw new KeyError(`Invalid chmod value ${chmodAt.value}`, chmodAt.at, 'chmod');
        }
      }
      out.push({ section, kind: 'unix', file, chmod, chown, ...a });
    } catch (e) {
      r.fail(e, section);
    }
  }
  return out;
}
