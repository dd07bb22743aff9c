// Bundles a TypeScript entry into one CJS file the way scripts/build.mjs does, so a test can run
// it as PID 1 (unshare, Docker) from the current sources, with or without the native addon beside it.

import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const ADDON = path.join(ROOT, 'native/build/Release/svinit.node');

/** Bundles `entry` (relative to the repo) as `<new temp dir>/<name>.cjs`; copies svinit.node beside it unless told not to. */
export async function bundle(entry: string, name: string, opts: { addon?: boolean } = {}): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-bundle-'));
  const outfile = path.join(dir, `${name}.cjs`);
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(outfile).href), 'import.meta.dirname': JSON.stringify(dir) },
    logLevel: 'error',
  });
  if (opts.addon !== false) {
    if (!fs.existsSync(ADDON)) throw new Error(`${ADDON} is missing: run npm run build:native`);
    fs.copyFileSync(ADDON, path.join(dir, 'svinit.node'));
  }
  return outfile;
}
