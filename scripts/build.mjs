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

const entries = ['svinit', 'svctl', 'pidproxy'];
for (const name of entries) {
  const entry = path.join(root, 'src/cli', `${name}.ts`);
  if (!fs.existsSync(entry)) {
    console.log(`build: skipping ${name} (src/cli/${name}.ts not written yet)`);
    continue;
  }
  const outfile = path.join(dist, `${name}.cjs`);
  await build({
    entryPoints: [entry],
    outfile,
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
  fs.chmodSync(outfile, 0o755);
}
fs.rmSync(shim, { force: true });
const addon = path.join(root, 'native/build/Release/svinit.node');
if (fs.existsSync(addon)) fs.copyFileSync(addon, path.join(dist, 'svinit.node'));
else console.log('build: native/build/Release/svinit.node is missing (npm run build:native); svinit will not reap orphans');
