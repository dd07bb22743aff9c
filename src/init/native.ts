// Loads svinit.node, the N-API addon with waitpid(pid, WNOHANG) and PR_SET_CHILD_SUBREAPER.
// Looked for next to the running bundle, then in the source tree's build folder, then as a Node
// SEA asset; absent, svinit runs without reaping orphans (and says so).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface NativeAddon {
  waitpidNoHang(pid: number): null | { pid: number; code: number | null; signal: number | null; core: boolean };
  setChildSubreaper(): boolean;
  /** A listening socket libuv does not poll (fcgi-program); returns the fd. */
  listenUnix(path: string, backlog: number): number;
  listenTcp(host: string, port: number, backlog: number): number;
  /** One datagram to a unix datagram socket such as /dev/log; false when it could not be sent. */
  syslogSend(path: string, message: string): boolean;
  /** Raise RLIMIT_NOFILE (0) or RLIMIT_NPROC (1) to at least `min`; -1 means unlimited. */
  raiseLimit(which: 0 | 1, min: number): { soft: number; hard: number; ok: boolean };
}

let cached: NativeAddon | null | undefined;

function candidates(): string[] {
  const script = process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : process.cwd();
  const here = typeof __dirname === 'string' ? __dirname : script;
  const out = [path.join(script, 'svinit.node'), path.join(here, 'svinit.node')];
  for (let dir = here, i = 0; i < 4; i++, dir = path.dirname(dir)) out.push(path.join(dir, 'native/build/Release/svinit.node'));
  return out;
}

function fromSea(): string | null {
  try {
    const req = createRequire(path.join(process.cwd(), 'x.js'));
    const sea = req('node:sea') as { isSea(): boolean; getAsset(name: string): ArrayBuffer };
    if (!sea.isSea()) return null;
    const file = path.join(os.tmpdir(), `svinit-${process.pid}.node`);
    fs.writeFileSync(file, Buffer.from(sea.getAsset('svinit.node')));
    return file;
  } catch {
    return null;
  }
}

export function loadNative(): NativeAddon | null {
  if (cached !== undefined) return cached;
  cached = null;
  const files = candidates().filter((f) => fs.existsSync(f));
  const sea = files.length ? null : fromSea();
  for (const file of sea ? [sea] : files) {
    try {
      const mod = { exports: {} as NativeAddon };
      process.dlopen(mod, file);
      cached = mod.exports;
      break;
    } catch {
      /* try the next one */
    }
  }
  return cached;
}
