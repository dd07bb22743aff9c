// Before the container tests: a Docker engine that answers, the base images built locally (there
// is no registry), Ryuk off, and no containers left over from an earlier run. A missing Docker is
// a failure, never a skip.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export default function setup(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  execFileSync('bash', [path.join(root, 'scripts/ensure-docker.sh')], { stdio: 'inherit' });
  execFileSync('bash', [path.join(root, 'scripts/build-images.sh')], { stdio: 'inherit' });
  // The standalone executable for the image without Node.
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--sea'], { stdio: 'inherit' });
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', 'label=org.testcontainers=true']).toString().split(/\s+/).filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
}
