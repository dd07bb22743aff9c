// Before the container tests: a Docker engine that answers, the base images built locally from
// their recipes in images/ (there is no registry; the first build of svinit-base:builder, a Debian
// with a C toolchain, takes minutes, later runs keep it), the bundles (and the standalone executable when a source is newer than it), Ryuk
// off, and no containers left over from an earlier run. A missing Docker is a failure, never a skip.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function step(what: string, cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
  } catch (e) {
    throw new Error(`e2e setup: ${what} failed (${(e as Error).message}); the container tests cannot run without it`);
  }
}

/** Newest modification time of the files under dir (recursively). */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

function seaIsStale(): boolean {
  const exe = path.join(root, 'dist/svinit-exe');
  if (!fs.existsSync(exe)) return true;
  const addon = path.join(root, 'native/build/Release/svinit.node');
  const inputs = Math.max(newest(path.join(root, 'src')), fs.existsSync(addon) ? fs.statSync(addon).mtimeMs : 0);
  return fs.statSync(exe).mtimeMs < inputs;
}

/**
 * Without Ryuk nobody removes what a crashed run left. Running containers younger than 30 min are
 * kept: on a shared engine they may belong to a test run in progress.
 */
function removeLeftovers(): void {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', 'label=org.testcontainers=true']).toString().split(/\s+/).filter(Boolean);
  if (!ids.length) return;
  let info = '';
  try {
    info = execFileSync('docker', ['inspect', '-f', '{{.Id}} {{.State.Running}} {{.Created}}', ...ids], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch (e) {
    info = ((e as { stdout?: Buffer }).stdout ?? '').toString(); // some vanished meanwhile
  }
  const stale = info
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([id, running, created]) => id && (running !== 'true' || Date.now() - Date.parse(created) > 30 * 60_000))
    .map(([id]) => id);
  if (stale.length) execFileSync('docker', ['rm', '-f', ...stale], { stdio: 'ignore' });
}

export default function setup(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  step('starting Docker (scripts/ensure-docker.sh)', 'bash', [path.join(root, 'scripts/ensure-docker.sh')]);
  step('building the base images of images/ (scripts/build-images.sh)', 'bash', [path.join(root, 'scripts/build-images.sh')]);
  step('building the real-daemons image (scripts/build-real-daemons-image.sh)', 'bash', [path.join(root, 'scripts/build-real-daemons-image.sh')]);
  // The standalone executable (for the image without Node) takes seconds: only when out of date.
  step('building dist/', process.execPath, [path.join(root, 'scripts/build.mjs'), ...(seaIsStale() ? ['--sea'] : [])]);
  removeLeftovers();
}
