// Containers for the end-to-end tests: svinit's bundle copied into a locally built base image,
// started through testcontainers, inspected through `docker` and the container's own /proc.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { afterEach } from 'vitest';
import { tmpDir, waitFor } from '../helpers/daemon.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
const execFileP = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist');

/**
 * The locally built stand-ins (images/, made by scripts/build-images.sh) for the public images the
 * top-level Dockerfile's base-image build arguments default to: there is no registry here.
 */
export const LOCAL_BASES = { BUILDER: 'svinit-base:builder', NODE_BASE: 'svinit-base:node', BASE: 'svinit-base:nonode' } as const;

/**
 * The repository as a fresh clone has it, in a new temp folder: the tracked files with their
 * uncommitted changes (`git stash create` makes a commit of them without touching the worktree),
 * and nothing that git ignores (no node_modules, no dist/, no built addon).
 */
export async function cleanCheckout(): Promise<string> {
  const dir = tmpDir('svinit-checkout-');
  try {
    // A stash is a commit: it needs an identity, which a CI machine may not have configured.
    const git = ['-c', 'user.name=svinit-test', '-c', 'user.email=svinit-test@localhost', '-c', `safe.directory=${ROOT}`];
    const stash = (await execFileP('git', [...git, 'stash', 'create'], { cwd: ROOT })).stdout.trim();
    await execFileP('sh', ['-c', `git -c safe.directory="$2" archive ${stash || 'HEAD'} | tar -x -C "$1"`, 'sh', dir, ROOT], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    // Not a usable git checkout (an exported tree, say): copy the files but what .gitignore names.
    console.warn(`cleanCheckout: git failed (${(e as Error).message.split('\n')[0]}); copying the tree instead`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const excludes = ['./.git', './node_modules', './dist', './native/build', './tmp', '*.log', '.vitest-*'].flatMap((x) => ['--exclude', x]);
    const copy = 'src=$1; dst=$2; shift 2; tar -C "$src" "$@" -cf - . | tar -x -C "$dst"';
    await execFileP('sh', ['-c', copy, 'sh', ROOT, dir, ...excludes], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  }
  return dir;
}

export interface SvContainer {
  c: StartedTestContainer;
  id: string;
  exec(cmd: string[], opts?: { user?: string }): Promise<{ output: string; exitCode: number }>;
  logs(): Promise<string>;
  waitForLog(re: RegExp, timeoutMs?: number): Promise<void>;
  /** `docker stop -t N`; resolves with the wall time and svinit's exit code. */
  dockerStop(grace?: number): Promise<{ ms: number; exitCode: number }>;
  kill(signal: string): Promise<void>;
  exitCode(): Promise<number | null>;
  zombies(): Promise<number>;
  /** Every process in the container, from its /proc: pid, ppid, state letter, command line. */
  processes(): Promise<ProcInfo[]>;
  /** Waits until the container has stopped; resolves with its exit code. */
  waitForExit(timeoutMs?: number): Promise<number>;
  remove(): Promise<void>;
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  cmd: string;
}

// Prints "pid ppid state cmdline" for every process; the comm field may hold spaces, so the fields
// after the last ')' are used.
export const PS_SCRIPT = `for d in /proc/[0-9]*; do s=$(cat $d/stat 2>/dev/null) || continue; r=\${s##*) }; set -- $r; c=$(tr '\\0' ' ' < $d/cmdline 2>/dev/null); echo "\${d#/proc/} $2 $1 $c"; done`;

export function parseProcesses(text: string): ProcInfo[] {
  return text
    .split('\n')
    .filter((l) => /^\d+ \d+ \S/.test(l))
    .map((l) => {
      const [pid, ppid, state, ...cmd] = l.split(' ');
      return { pid: Number(pid), ppid: Number(ppid), state, cmd: cmd.join(' ').trim() };
    });
}

/**
 * Runs a one-shot container to its end (no testcontainers wait strategy to race a quick exit) and
 * returns its exit code and output. Labelled like testcontainers' so global-setup cleans leftovers.
 */
export async function runToExit(opts: {
  image?: string;
  mounts?: Array<[string, string]>;
  cmd: string[];
  env?: Record<string, string>;
  init?: boolean;
  readOnly?: boolean;
  tmpfs?: string[];
  timeoutMs?: number;
}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const args = ['run', '--rm', '--label', 'org.testcontainers=true'];
  if (opts.init) args.push('--init');
  if (opts.readOnly) args.push('--read-only');
  for (const t of opts.tmpfs ?? []) args.push('--tmpfs', t);
  for (const [src, dst] of opts.mounts ?? []) args.push('-v', `${src}:${dst}:ro`);
  for (const [k, v] of Object.entries(opts.env ?? {})) args.push('-e', `${k}=${v}`);
  args.push(opts.image ?? 'svinit-base:node', ...opts.cmd);
  return new Promise((resolve, reject) => {
    execFile('docker', args, { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      if (typeof code !== 'number') return reject(err);
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}

export async function docker(...args: string[]): Promise<string> {
  const { stdout, stderr } = await execFileP('docker', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout + stderr;
}

export interface StartOptions {
  image?: string;
  config?: string;
  /** Extra files: container path → content. */
  files?: Record<string, string>;
  /** The command after `svinit` (default: nothing, so the config is found as in a real image). */
  args?: string[];
  entrypoint?: string[];
  user?: string;
  readOnly?: boolean;
  tmpfs?: Record<string, string>;
  env?: Record<string, string>;
  init?: boolean;
  waitFor?: RegExp | null;
  /** Container ports to publish on random host ports (c.getMappedPort). */
  ports?: number[];
}

/** GenericContainer with the two HostConfig switches these tests need. */
class SvinitContainer extends GenericContainer {
  withHostConfig(extra: { ReadonlyRootfs?: boolean; Init?: boolean }): this {
    Object.assign(this.hostConfig, extra);
    return this;
  }
}

/**
 * Starts a container whose entrypoint is svinit. The bundle, wrappers (/usr/local/bin/svinit,
 * svctl, pidproxy) and files are bind-mounted read-only, so a read-only root filesystem works too.
 */
export async function startSvinit(opts: StartOptions = {}): Promise<SvContainer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-e2e-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const tool of ['svinit', 'svctl', 'pidproxy']) fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\nexec node /opt/svinit/${tool}.cjs "$@"\n`, { mode: 0o755 });
  const mounts = [
    { source: DIST, target: '/opt/svinit', mode: 'ro' as const },
    { source: bin, target: '/usr/local/bin', mode: 'ro' as const },
  ];
  const files = { ...(opts.config !== undefined ? { '/etc/supervisord.conf': opts.config } : {}), ...(opts.files ?? {}) };
  Object.entries(files).forEach(([target, content], i) => {
    const f = path.join(dir, `file${i}`);
    fs.writeFileSync(f, content, { mode: 0o755 });
    mounts.push({ source: f, target, mode: 'ro' });
  });
  let g = new SvinitContainer(opts.image ?? 'svinit-base:node')
    .withBindMounts(mounts)
    .withEntrypoint(opts.entrypoint ?? ['node', '/opt/svinit/svinit.cjs'])
    .withCommand(opts.args ?? [])
    .withEnvironment(opts.env ?? {})
    .withStartupTimeout(30_000)
    .withHostConfig({ ReadonlyRootfs: opts.readOnly ?? false, Init: opts.init ?? false });
  if (opts.user) g = g.withUser(opts.user);
  if (opts.ports?.length) g = g.withExposedPorts(...opts.ports);
  if (opts.tmpfs) g = g.withTmpFs(opts.tmpfs);
  const c = await g.start();
  const id = c.getId();
  const sv: SvContainer = {
    c,
    id,
    async exec(cmd, o) {
      const r = await c.exec(cmd, o?.user ? { user: o.user } : undefined);
      return { output: r.output, exitCode: r.exitCode };
    },
    logs: () => docker('logs', id),
    async waitForLog(re, timeoutMs = 15_000) {
      let last = '';
      await waitFor(async () => re.test((last = await docker('logs', id))), `container log ${re}\n--- log:\n${last}`, timeoutMs, 50);
    },
    async dockerStop(grace = 10) {
      const t0 = Date.now();
      await docker('stop', '-t', String(grace), id);
      return { ms: Date.now() - t0, exitCode: Number((await docker('inspect', '-f', '{{.State.ExitCode}}', id)).trim()) };
    },
    async kill(signal) {
      await docker('kill', '-s', signal, id);
    },
    async exitCode() {
      const out = (await docker('inspect', '-f', '{{.State.Running}} {{.State.ExitCode}}', id)).trim().split(' ');
      return out[0] === 'true' ? null : Number(out[1]);
    },
    async zombies() {
      const r = await c.exec(['sh', '-c', "grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l"]);
      return Number(r.output.trim());
    },
    async processes() {
      const r = await c.exec(['sh', '-c', PS_SCRIPT]);
      return parseProcesses(r.output);
    },
    async waitForExit(timeoutMs = 15_000) {
      const r = await waitFor(
        async () => {
          const code = await sv.exitCode();
          return code === null ? null : { code };
        },
        'the container to exit',
        timeoutMs,
        50,
      );
      return r.code;
    },
    async remove() {
      await docker('rm', '-f', id).catch(() => '');
    },
  };
  if (opts.waitFor !== null) await sv.waitForLog(opts.waitFor ?? /supervisord started with pid 1/);
  return sv;
}

/** startSvinit for one test file: every container it starts is removed after its test. */
export function svinitPerTest(): typeof startSvinit {
  const started: SvContainer[] = [];
  afterEach(async () => {
    for (const c of started.splice(0)) await c.remove();
  });
  return async (opts) => {
    const c = await startSvinit(opts);
    started.push(c);
    return c;
  };
}
