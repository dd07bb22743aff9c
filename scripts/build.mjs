#!/usr/bin/env node
// Bundles each entry point into one CommonJS file under dist/ (runs with plain `node FILE`, no
// node_modules needed) and puts the native addon beside them.
//
// yargs 18 is ESM-only and calls createRequire(import.meta.url); in a CJS bundle import.meta is
// empty, so import.meta.url is defined to a shim holding the bundle's own file URL.

import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });
const shim = path.join(dist, '.import-meta-url.js');
fs.writeFileSync(shim, "export const importMetaUrl = require('url').pathToFileURL(__filename).href;\n");

/**
 * esbuild wraps each module's `import fs from 'node:fs'` in its own `__toESM(require(…))`, which
 * copies every property of the builtin: 71 copies in svinit's bundle cost ~30 ms of each start-up.
 * One shared copy per builtin is what an ES module namespace is anyway.
 */
function shareBuiltins(code) {
  const call = /__toESM\(require\("(node:[a-z_/]+)"\), 1\)/g;
  if (!call.test(code)) return code;
  const anchor = 'var __toESM = ';
  const at = code.indexOf(anchor);
  if (at < 0) throw new Error('build: esbuild no longer defines __toESM; shareBuiltins needs a look');
  const end = code.indexOf('\n', code.indexOf('));', at)) + 1;
  const shared = 'var __builtins = {};\nvar __builtin = (id) => __builtins[id] ??= __toESM(require(id), 1);\n';
  return code.slice(0, end) + shared + code.slice(end).replace(call, '__builtin("$1")');
}

const entries = ['svinit', 'svctl', 'pidproxy'];
for (const name of entries) {
  const entry = path.join(root, 'src/cli', `${name}.ts`);
  if (!fs.existsSync(entry)) {
    console.log(`build: skipping ${name} (src/cli/${name}.ts not written yet)`);
    continue;
  }
  const outfile = path.join(dist, `${name}.cjs`);
  // Written beside and renamed into place: a svinit already running from dist/ (a test, say) never
  // sees a half-written file.
  const tmp = `${outfile}.${process.pid}.tmp`;
  await build({
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    define: { 'import.meta.url': 'importMetaUrl', 'import.meta.dirname': '__dirname' },
    inject: [shim],
    legalComments: 'none',
    logLevel: 'warning',
  });
  fs.writeFileSync(tmp, shareBuiltins(fs.readFileSync(tmp, 'utf8')));
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, outfile);
}
const addon = path.join(root, 'native/build/Release/svinit.node');
const haveAddon = fs.existsSync(addon);
if (haveAddon) {
  // A new inode, not the old file truncated: running processes have the old one mapped.
  const tmp = path.join(dist, `svinit.node.${process.pid}.tmp`);
  fs.copyFileSync(addon, tmp);
  fs.renameSync(tmp, path.join(dist, 'svinit.node'));
}
else console.log('build: native/build/Release/svinit.node is missing (npm run build:native); svinit will not reap orphans');
try {
  if (process.argv.includes('--sea')) await buildSea();
} finally {
  fs.rmSync(shim, { force: true });
}

/**
 * The standalone executable: a copy of this machine's node with the bundle injected as a Node SEA
 * blob (postject) and the native addon carried as an SEA asset; it needs no Node in the image.
 */
async function buildSea() {
  const { execFileSync } = await import('node:child_process');
  const postject = path.join(root, 'node_modules/postject/dist/cli.js');
  if (!fs.existsSync(postject)) throw new Error('build --sea needs postject (npm install --save-dev postject)');
  if (!fs.existsSync(path.join(root, 'src/cli/sea.ts'))) throw new Error('build --sea needs src/cli/sea.ts');
  const main = path.join(dist, 'sea-main.cjs');
  await build({
    entryPoints: [path.join(root, 'src/cli/sea.ts')],
    outfile: main,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    define: { 'import.meta.url': 'importMetaUrl', 'import.meta.dirname': '__dirname', 'process.env.SVINIT_SEA_BUILD': '"1"' },
    inject: [shim],
    legalComments: 'none',
    logLevel: 'warning',
  });
  const seaConfig = path.join(dist, 'sea-config.json');
  const blob = path.join(dist, 'sea-prep.blob');
  fs.writeFileSync(seaConfig, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, assets: haveAddon ? { 'svinit.node': addon } : {} }));
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });
  const exe = path.join(dist, 'svinit-exe');
  const exeTmp = `${exe}.${process.pid}.tmp`;
  fs.copyFileSync(process.execPath, exeTmp);
  fs.chmodSync(exeTmp, 0o755);
  try {
    execFileSync('strip', [exeTmp], { stdio: 'ignore' });
  } catch {
    /* strip is optional: the executable is just larger */
  }
  execFileSync(process.execPath, [postject, exeTmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'inherit' });
  fs.renameSync(exeTmp, exe);
  for (const f of [main, seaConfig, blob]) fs.rmSync(f, { force: true });
  console.log(`build: ${path.relative(root, exe)} (${Math.round(fs.statSync(exe).size / 1e6)} MB)`);
}
