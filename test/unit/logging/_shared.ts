// Helpers shared by the logging tests, over the test file's own temp dir. Nothing happens at
// import: a test file calls useTempDir() and logKit(tmp).

import fs from 'node:fs';
import path from 'node:path';
import type { ChannelConfig } from '../../../src/config/types.js';
import type { TempDir } from '../../helpers/temp-dir.js';

export function logKit(tmp: TempDir) {
  let n = 0;
  const file = (name = 'f') => tmp.file(name);
  const channelConfig = (over: Partial<ChannelConfig> = {}, logfile = file()): ChannelConfig => ({
    logfile: { kind: 'file', path: logfile },
    logfileMaxbytes: 0,
    logfileBackups: 0,
    captureMaxbytes: 0,
    eventsEnabled: false,
    syslog: false,
    ...over,
  });
  /** Bundles a TypeScript source (importing src/ by absolute path) with esbuild into a runnable .mjs. */
  const bundle = async (source: string, name = 'entry'): Promise<string> => {
    const { build } = await import('esbuild');
    const entry = path.join(tmp.path, `${name}-${n++}.ts`);
    fs.writeFileSync(entry, source);
    const out = entry.replace(/\.ts$/, '.mjs');
    await build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
    return out;
  };
  return { file, channelConfig, bundle };
}

export const pathOf = (c: ChannelConfig) => (c.logfile as { path: string }).path;

export const srcPath = (p: string) => path.resolve('src', p);
