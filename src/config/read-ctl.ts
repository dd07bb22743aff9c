// The [supervisorctl] section (options.py ClientOptions.read_config), for svctl and for the
// daemon's own Config.

import fs from 'node:fs';
import path from 'node:path';
import { expand, type Expansions } from './expand.js';
import { IniDocument } from './ini.js';
import { normalizePath } from './section-reader.js';
import { ConfigError, type SupervisorctlConfig } from './types.js';

export function ctlFromDoc(doc: IniDocument, environ: Expansions, here: string, cwd: string): SupervisorctlConfig {
  // ClientOptions.read_config: only serverurl and history_file also see %(here)s.
  const get = (k: string, withHere = false) => {
    const v = doc.get('supervisorctl', k);
    if (!v) return null;
    try {
      return expand(v.value, withHere ? { ...environ, here } : environ, `supervisorctl.${k}`);
    } catch (e) {
      throw new ConfigError((e as Error).message, v, 'supervisorctl', k);
    }
  };
  let serverurl = get('serverurl', true) ?? 'http://localhost:9001';
  if (serverurl.startsWith('unix://')) serverurl = `unix://${normalizePath(serverurl.slice(7), cwd)}`;
  const historyFile = get('history_file', true);
  return {
    serverurl,
    username: get('username'),
    password: get('password'),
    prompt: get('prompt') ?? 'supervisor',
    historyFile: historyFile ? normalizePath(historyFile, cwd) : null,
  };
}

/** `[supervisorctl]` for the control client; defaults when there is no file. */
export function loadCtlConfig(file: string | null, env: Record<string, string | undefined> = process.env, cwd = process.cwd()): SupervisorctlConfig {
  const dflt: SupervisorctlConfig = { serverurl: 'http://localhost:9001', username: null, password: null, prompt: 'supervisor', historyFile: null };
  if (!file) return dflt;
  const abs = normalizePath(file, cwd);
  if (!fs.existsSync(abs)) throw new ConfigError(`could not find config file ${file}`, { file: abs, line: 0 });
  const doc = new IniDocument();
  doc.read(fs.readFileSync(abs, 'utf8'), abs);
  if (!doc.has('supervisorctl')) throw new ConfigError('.ini file does not include supervisorctl section', { file: abs, line: 0 });
  const environ: Expansions = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) environ[`ENV_${k}`] = v;
  return ctlFromDoc(doc, environ, path.dirname(abs), cwd);
}
