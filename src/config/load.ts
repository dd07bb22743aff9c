// supervisord.conf → Config, following options.py (read_config, process_groups_from_parser,
// processes_from_section, server_configs_from_parser) and its error texts. Every error also
// carries the file, line, section and key it came from. One reader per section kind:
// read-include.ts, read-supervisord.ts, read-groups.ts (with read-processes.ts,
// read-eventlistener.ts, read-fcgi.ts), read-servers.ts, read-ctl.ts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Expansions } from './expand.js';
import type { IniDocument } from './ini.js';
import { checkDependencies } from './dependency-graph.js';
import { expectedFor, KNOWN_KEYS } from './keys.js';
import { readProbeServerSection } from './kubernetes.js';
import { ctlFromDoc } from './read-ctl.js';
import { readGroups } from './read-groups.js';
import { readDocument } from './read-include.js';
import { readRpcInterfaces, readServers } from './read-servers.js';
import { checkUser, readSupervisord } from './read-supervisord.js';
import { SectionReader } from './section-reader.js';
import { ConfigError, type Config, type SupervisordConfig, type SupervisorctlConfig, type Warning } from './types.js';

export { loadCtlConfig } from './read-ctl.js';

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  hostname?: string;
  /** Command-line values; they beat the file's. */
  overrides?: Partial<SupervisordConfig>;
  cwd?: string;
}

export function loadConfig(file: string, opts: LoadOptions = {}): Config {
  const configFile = path.resolve(opts.cwd ?? process.cwd(), file);
  const env = opts.env ?? (process.env as Record<string, string | undefined>);
  const hostname = opts.hostname ?? os.hostname();
  const here = path.dirname(configFile);
  const warnings: Warning[] = [];
  const infos: string[] = [];
  const environ: Expansions = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) environ[`ENV_${k}`] = v;

  if (!fs.existsSync(configFile)) throw new ConfigError(`could not find config file ${file}`, { file: configFile, line: 0 });
  const doc = readDocument(configFile, { here, host_node_name: hostname, ...environ }, warnings, infos);
  if (!doc.has('supervisord')) throw new ConfigError('.ini file does not include supervisord section', { file: configFile, line: 0 });

  const cwd = opts.cwd ?? process.cwd();
  const r = new SectionReader(doc, environ, here, configFile, cwd);
  const supervisord = readSupervisord(r, opts.overrides ?? {}, hostname, cwd);
  for (const [k, v] of Object.entries(supervisord.environment)) environ[`ENV_${k}`] = v;
  // supervisord loads the rpcinterface plugins before reading the groups (custom event types).
  const rpcInterfaces = readRpcInterfaces(r);
  const groups = readGroups(r, hostname);
  checkDependencies(groups);
  for (const g of groups)
    for (const p of g.processes) p.environment = { ...supervisord.environment, ...p.environment };
  const httpServers = readServers(r);
  const probeServer = readProbeServerSection(r);
  checkUser(r, supervisord);
  // supervisord itself never reads [supervisorctl]: a mistake there must not stop it.
  let supervisorctl: SupervisorctlConfig | null = null;
  try {
    supervisorctl = doc.has('supervisorctl') ? ctlFromDoc(doc, environ, here, cwd) : null;
  } catch {
    supervisorctl = null;
  }
  warnings.push(...unknownKeyWarnings(r.doc), ...r.warnings);
  return { configFile, supervisord, supervisorctl, groups, httpServers, ...(probeServer ? { probeServer } : {}), rpcInterfaces, warnings, infos };
}

/** supervisord ignores what it does not know; svinit says so. */
function unknownKeyWarnings(doc: IniDocument): Warning[] {
  const out: Warning[] = [];
  for (const [name, section] of doc.sections) {
    const kind = name.split(':')[0];
    const known = KNOWN_KEYS[kind];
    if (!known) {
      if (!['rpcinterface', 'ctlplugin', 'include'].includes(kind))
        out.push({ message: `unknown section [${name}] ignored`, source: { file: section.file, line: section.line } });
      continue;
    }
    for (const [key, v] of section.values)
      if (!known.has(key)) out.push({ message: `unknown key '${key}' in section [${name}] ignored`, source: { file: v.file, line: v.line } });
  }
  return out;
}

/** The text svinit prints for a config error: supervisord's line plus where it happened. */
export function formatConfigError(e: ConfigError): string {
  let s = `Error: ${e.message}`;
  const where: string[] = [];
  if (e.source && e.source.line) where.push(`${e.source.file}:${e.source.line}`);
  else if (e.source) where.push(e.source.file);
  if (e.section) where.push(`[${e.section}]`);
  if (e.key) where.push(`key '${e.key}'`);
  if (where.length) s += `\n  at ${where.join(' ')}`;
  const expected = e.section && e.key ? expectedFor(e.section, e.key) : null;
  if (expected) s += `\n  expected: ${expected}`;
  return `${s}\nFor help, use svinit -h`;
}
