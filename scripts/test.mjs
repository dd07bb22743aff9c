#!/usr/bin/env node
// The whole test suite, as the README and CI run it: system dependencies, the build, every vitest
// project, then one plain summary line `N passed, M failed` (CI reads that line, not vitest's).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

if (process.getuid?.() === 0 || process.env.CI) {
  const deps = run('bash', ['scripts/ensure-deps.sh']);
  if (deps.status !== 0) {
    console.error('test: could not install the system dependencies');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const build = run('npm', ['run', '--silent', 'build']);
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = path.join(os.tmpdir(), `svinit-vitest-${process.pid}.json`);
const vitest = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  if (r.numPendingTests || r.numTodoTests) console.log(`note: ${r.numPendingTests} skipped, ${r.numTodoTests} todo`);
} catch {
  failed = Math.max(1, failed);
}
fs.rmSync(report, { force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(vitest.status === 0 && failed === 0 ? 0 : 1);
