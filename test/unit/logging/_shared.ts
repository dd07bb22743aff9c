// Helpers shared by the logging tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChannelConfig } from '../../../src/config/types.js';

export const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-log-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
export const file = (name = 'f') => path.join(dir, `${name}${n++}.log`);

export const channelConfig = (over: Partial<ChannelConfig> = {}, logfile = file()): ChannelConfig => ({
  logfile: { kind: 'file', path: logfile },
  logfileMaxbytes: 0,
  logfileBackups: 0,
  captureMaxbytes: 0,
  eventsEnabled: false,
  syslog: false,
  ...over,
});

export const pathOf = (c: ChannelConfig) => (c.logfile as { path: string }).path;

/** Bundles a TypeScript source (importing src/ by absolute path) with esbuild into a runnable .mjs. */
export async function bundle(source: string, name = 'entry'): Promise<string> {
  const { build } = await import('esbuild');
  const entry = path.join(dir, `${name}-${n++}.ts`);
  fs.writeFileSync(entry, source);
  const out = entry.replace(/\.ts$/, '.mjs');
  await build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
  return out;
}

export const srcPath = (p: string) => path.resolve('src', p);
