// The keys of svinit's orchestrator features, read beside supervisord's own: `env_files` (and
// ochinchina's `envFiles`) and the liveness keys in process sections, `env_files` and
// `shutdown_timeout` in [supervisord], and the [probe_http_server] section. See docs/kubernetes.md.

import path from 'node:path';
import { DependsKeyError } from './depends.js';
import { parseEnvFilesValue } from './env-files.js';
import type { IniValue } from './ini.js';
import { readLivenessKeys, type LivenessSettings } from './liveness.js';
import type { SectionReader } from './section-reader.js';
import type { ProbeServerConfig } from './types.js';

/** A key's value (expanded) and where it was written; null when absent. */
export type RawKey = (key: string) => { value: string | null; at?: IniValue };

/** A bad value; `at` and `key` let the loader report file, line and section. */
export class OrchestratorKeyError extends Error {
  constructor(
    message: string,
    public readonly at?: IniValue,
    public readonly key?: string,
  ) {
    super(message);
    this.name = 'OrchestratorKeyError';
  }
}

export const PROGRAM_KEYS = ['env_files', 'envfiles', 'liveness_check', 'liveness_check_interval', 'liveness_check_timeout', 'liveness_check_initial_delay', 'liveness_check_failure_threshold'];
export const SUPERVISORD_KEYS = ['env_files', 'envfiles', 'shutdown_timeout'];
export const PROBE_SERVER_KEYS = ['port', 'host'];

/** `env_files` or `envFiles` (not both); relative paths are taken from the file the key is in. */
function envFiles(get: RawKey): string[] {
  const a = get('env_files');
  const b = get('envfiles');
  if (a.value !== null && b.value !== null) throw new OrchestratorKeyError('env_files and envFiles are the same setting: give only one', b.at, 'envfiles');
  const raw = a.value !== null ? a : b;
  if (raw.value === null) return [];
  const base = raw.at ? path.dirname(raw.at.file) : process.cwd();
  return parseEnvFilesValue(raw.value).map((f) => path.resolve(base, f));
}

/** Only the keys that are set, so a config without them reads exactly as supervisord's would. */
export function readProgramKeys(get: RawKey, kind: 'program' | 'eventlistener' | 'fcgi-program'): { envFiles?: string[]; liveness?: LivenessSettings } {
  let liveness: LivenessSettings | null;
  try {
    liveness = readLivenessKeys((k) => get(k).value, kind);
  } catch (e) {
    if (!(e instanceof DependsKeyError)) throw e;
    throw new OrchestratorKeyError(e.message, get(e.key).at, e.key);
  }
  const files = envFiles(get);
  return { ...(files.length ? { envFiles: files } : {}), ...(liveness ? { liveness } : {}) };
}

export function readSupervisordKeys(get: RawKey): { envFiles?: string[]; shutdownTimeout?: number } {
  const t = get('shutdown_timeout');
  let shutdownTimeout: number | null = null;
  if (t.value !== null) {
    const s = t.value.trim();
    shutdownTimeout = Number(s);
    if (!/^\d+(\.\d+)?$/.test(s) || shutdownTimeout <= 0)
      throw new OrchestratorKeyError(`shutdown_timeout must be a number of seconds greater than 0, not ${JSON.stringify(t.value)}`, t.at, 'shutdown_timeout');
  }
  const files = envFiles(get);
  return { ...(files.length ? { envFiles: files } : {}), ...(shutdownTimeout !== null ? { shutdownTimeout } : {}) };
}

/** The [probe_http_server] section: `port` (required) and `host` (default: all interfaces). */
export function readProbeServer(get: RawKey): ProbeServerConfig {
  const p = get('port');
  if (p.value === null) throw new OrchestratorKeyError('section [probe_http_server] has no port value', undefined, 'port');
  const s = p.value.trim();
  const port = Number(s);
  if (!/^\d+$/.test(s) || port < 1 || port > 65535) throw new OrchestratorKeyError(`port must be a number from 1 to 65535, not ${JSON.stringify(p.value)}`, p.at, 'port');
  return { host: (get('host').value ?? '').trim(), port };
}

/** The [probe_http_server] section through the loader's reader (file and line on errors), or null. */
export function readProbeServerSection(r: SectionReader): ProbeServerConfig | null {
  const S = 'probe_http_server';
  if (!r.doc.has(S)) return null;
  return r.safe(S, () => readProbeServer((k) => r.get(S, k, null, { withHere: false })));
}
