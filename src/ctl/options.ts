// Where svctl connects: supervisorctl's [supervisorctl] section and -s/-u/-p, plus a container
// convenience: with nothing configured, the socket svinit serves by default.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findConfigFile, loadCtlConfig } from '../config/index.js';
import { ConfigError, type SupervisorctlConfig } from '../config/types.js';

/** Tried in order when neither a config file nor -s names a server. */
export const FALLBACK_SERVERURLS = ['unix:///run/svinit.sock', 'unix:///tmp/svinit.sock', 'unix:///tmp/supervisor.sock', 'http://localhost:9001'];

export interface CommandLine {
  configuration?: string;
  serverurl?: string;
  username?: string;
  password?: string;
  historyFile?: string;
}

export interface ResolveContext {
  env: Record<string, string | undefined>;
  cwd: string;
  argv0: string;
  exists?: (p: string) => boolean;
}

/** The first fallback whose socket exists (an http URL always qualifies). */
export function fallbackServerUrl(exists: (p: string) => boolean = fs.existsSync): string {
  return FALLBACK_SERVERURLS.find((u) => !u.startsWith('unix://') || exists(u.slice('unix://'.length)))!;
}

/**
 * The effective [supervisorctl] settings. An explicit -c behaves exactly as supervisorctl's (a
 * missing file or section is an error, thrown as ConfigError); a file found through
 * $SVINIT_CONFIG or the search paths that has no [supervisorctl] section (a container's
 * supervisord.conf) is treated like no file at all.
 */
export function resolveCtlOptions(cl: CommandLine, ctx: ResolveContext): SupervisorctlConfig {
  const exists = ctx.exists ?? fs.existsSync;
  let conf: SupervisorctlConfig | null = null;
  let serverurlConfigured = false;
  if (cl.configuration !== undefined) {
    conf = loadCtlConfig(cl.configuration, ctx.env, ctx.cwd);
    serverurlConfigured = true;
  } else {
    const found = ctx.env.SVINIT_CONFIG || findConfigFile(ctx.argv0, ctx.cwd, exists);
    if (found) {
      try {
        conf = loadCtlConfig(found, ctx.env, ctx.cwd);
        serverurlConfigured = true;
      } catch (e) {
        if (!(e instanceof ConfigError) || !e.message.includes('does not include supervisorctl section')) throw e;
      }
    }
  }
  conf ??= { serverurl: 'http://localhost:9001', username: null, password: null, prompt: 'supervisor', historyFile: null };
  if (cl.serverurl !== undefined) conf.serverurl = cl.serverurl;
  else if (!serverurlConfigured) conf.serverurl = fallbackServerUrl(exists);
  if (cl.username !== undefined) conf.username = cl.username;
  if (cl.password !== undefined) conf.password = cl.password;
  if (cl.historyFile !== undefined) conf.historyFile = expandUser(cl.historyFile);
  return conf;
}

/** supervisor's `url` datatype (the check on -s): a scheme, then a host or a path. */
export function isUrl(value: string): boolean {
  const uri = value.replace('unix://', 'http://').trim();
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(uri);
  if (!m) return false;
  let rest = m[2].replace(/[?#].*$/s, '');
  if (rest.startsWith('//')) {
    const netloc = rest.slice(2).split('/')[0];
    rest = rest.slice(2 + netloc.length);
    if (netloc) return true;
  }
  return rest !== '';
}

function expandUser(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}
