// Differential tests: every config here is parsed by svinit and by the real supervisord 4.2.5
// (Debian's python3 `supervisor` module, through oracle.py); the results must agree, value by
// value, and broken configs must fail with the very same message.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Config } from '../../../src/config/index.js';
import { BROKEN_CONFIGS } from './broken-configs.js';
import { ORACLE_CONFIGS, ORACLE_ERRORS } from './oracle-cases.js';

const here = path.dirname(fileURLToPath(import.meta.url));
import { useTempDir } from '../../helpers/temp-dir.js';
// The file's temp dir, removed after its tests.
const dir = useTempDir('svinit-oracle-').path;
const hostname = os.hostname();
const ENV = { HOME: '/root', PATH: '/usr/bin:/bin', FOO: 'foo-value' };

interface Case {
  name: string;
  file: string;
  env: Record<string, string>;
  cwd: string;
}

function writeCase(name: string, text: string, files: Record<string, string> = {}): Case {
  const caseDir = path.join(dir, name);
  fs.mkdirSync(caseDir, { recursive: true });
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(caseDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(caseDir, rel), body.replaceAll('@DIR@', caseDir));
  }
  const file = path.join(caseDir, 'supervisord.conf');
  fs.writeFileSync(file, text.replaceAll('@DIR@', caseDir));
  return { name, file, env: ENV, cwd: caseDir };
}

/** svinit's Config in the oracle's shape (only what supervisord's objects hold). */
function normalise(c: Config): unknown {
  const { user: _u, ...supervisord } = c.supervisord;
  return {
    supervisord,
    groups: c.groups.map((g) => ({
      name: g.name,
      priority: g.priority,
      processes: g.processes.map((p) => ({
        name: p.name,
        command: p.command,
        priority: p.priority,
        autostart: p.autostart,
        autorestart: p.autorestart,
        startsecs: p.startsecs,
        startretries: p.startretries,
        exitcodes: p.exitcodes,
        stopsignal: p.stopsignal,
        stopwaitsecs: p.stopwaitsecs,
        stopasgroup: p.stopasgroup,
        killasgroup: p.killasgroup,
        uid: p.uid,
        redirectStderr: p.redirectStderr,
        stdout: p.stdout,
        stderr: p.stderr,
        environment: p.environment,
        directory: p.directory,
        umask: p.umask,
        serverurl: p.serverurl,
      })),
      ...(g.eventListener ? { eventListener: { events: [...g.eventListener.events].sort(), bufferSize: g.eventListener.bufferSize } } : {}),
      ...(g.fcgi ? { fcgi: g.fcgi } : {}),
    })),
    httpServers: c.httpServers.map((s) =>
      s.kind === 'unix'
        ? { section: s.section, username: s.username, password: s.password, kind: 'unix', file: s.file, chmod: s.chmod, chown: s.chown }
        : { section: s.section, username: s.username, password: s.password, kind: 'inet', host: s.host, port: s.port },
    ),
    // svinit adds "unknown key" warnings of its own; supervisord's are all there too.
    warnings: c.warnings.map((w) => w.message).filter((m) => !m.startsWith('unknown ')),
    infos: c.infos,
  };
}

function svinit(c: Case): unknown {
  try {
    return normalise(loadConfig(c.file, { env: c.env, cwd: c.cwd, hostname }));
  } catch (e) {
    if (e instanceof ConfigError) return { error: e.message };
    throw e;
  }
}

const example: Case = { name: 'examples/supervisord.conf', file: path.resolve(here, '../../../examples/supervisord.conf'), env: ENV, cwd: dir };
const valid = [...ORACLE_CONFIGS.map((c) => writeCase(c.name, c.text, c.files)), example];
const invalid = [...ORACLE_ERRORS, ...BROKEN_CONFIGS.map((b) => ({ name: `broken-${b.name}`, text: b.text, files: undefined }))].map((c) =>
  writeCase(c.name, c.text, c.files),
);
let oracle = new Map<string, Record<string, unknown>>();

beforeAll(() => {
  const cases = [...valid, ...invalid];
  const r = spawnSync('/usr/bin/python3', [path.join(here, 'oracle.py')], {
    input: JSON.stringify(cases.map((c) => ({ file: c.file, env: c.env, cwd: c.cwd }))),
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', HOME: '/root' },
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`oracle failed: ${r.stderr}`);
  const results = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  oracle = new Map(cases.map((c, i) => [c.name, results[i]]));
}, 60_000);

describe('valid configs parse exactly as supervisord parses them', () => {
  for (const c of valid)
    it(c.name, () => {
      const want = oracle.get(c.name)!;
      expect(want.error ?? want.crash).toBeUndefined();
      expect(svinit(c)).toEqual(want);
    });
});

/** Errors about a section as a whole (its name, a missing section): no single key to blame. */
const NO_KEY = /^(Invalid name: |\.ini file |File contains no section headers|Source contains parsing errors)/;

describe("broken configs fail with supervisord's own message, located", () => {
  for (const c of invalid)
    it(c.name, () => {
      const want = oracle.get(c.name)!;
      expect(typeof want.error).toBe('string');
      expect(svinit(c)).toEqual({ error: want.error });
      let e: ConfigError | undefined;
      try {
        loadConfig(c.file, { env: c.env, cwd: c.cwd, hostname });
      } catch (x) {
        e = x as ConfigError;
      }
      // Where: a file of this case, a line in it, and the section and key when there is one.
      expect(e!.source!.file.startsWith(path.dirname(c.file))).toBe(true);
      if (!e!.message.startsWith('.ini file does not include')) expect(e!.source!.line).toBeGreaterThan(0);
      if (!/^(\.ini file does not|File contains no|Source contains)/.test(e!.message)) expect(e!.section).toBeTruthy();
      if (!NO_KEY.test(e!.message)) expect(e!.key).toBeTruthy();
    });
});
