// The PID-1 reaper, race-free with libuv (see spec/node-pid1.md).
//
// libuv reaps the children svinit spawned (waitpid on each of their pids); calling waitpid(-1)
// would steal their exit statuses. So svinit tracks which pids libuv owns (every ChildProcess goes
// through ChildProcess.prototype.spawn), and on SIGCHLD reads its own list of children from
// /proc/self/task/<tid>/children — completely, before reaping anything, since reaping while reading
// makes the kernel skip entries — then waitpid(pid, WNOHANG) only the pids libuv does not own:
// orphans re-parented to svinit.

import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { SIGNAL_NAMES } from '../config/signals.js';
import { loadNative, type NativeAddon } from './native.js';

const owned = new Set<number>();
let patched = false;

/** Wraps ChildProcess.prototype.spawn so every libuv-owned pid is known until its exit. */
function trackLibuvChildren(): void {
  if (patched) return;
  patched = true;
  const proto = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, ...a: unknown[]): unknown };
  const original = proto.spawn;
  proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
    const r = original.apply(this, args);
    const pid = this.pid;
    if (pid) {
      owned.add(pid);
      this.once('exit', () => owned.delete(pid));
    }
    return r;
  };
}

export interface ReapedExit {
  code: number | null;
  signal: string | null;
}

export interface Reaper {
  stop(): void;
  stats(): { reaped: number };
  /** Live adopted orphans: children of svinit that libuv does not own. */
  adoptedPids(): number[];
  /** Reap now (also done on every SIGCHLD). */
  reap(): number;
}

/** Decides whether svinit reaps: as PID 1, or as a child subreaper elsewhere. */
export function enableReaping(native: NativeAddon | null = loadNative()): 'pid1' | 'subreaper' | 'none' {
  if (!native) return 'none';
  if (process.pid === 1) return 'pid1';
  return native.setChildSubreaper() ? 'subreaper' : 'none';
}

function childrenOf(pid: number): number[] {
  try {
    const text = fs.readFileSync(`/proc/self/task/${pid}/children`, 'utf8');
    return text.split(' ').filter(Boolean).map(Number);
  } catch {
    // Kernels without CONFIG_PROC_CHILDREN: scan every process's parent pid.
    const out: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[1]) === pid) out.push(Number(entry));
      } catch {
        /* gone */
      }
    }
    return out;
  }
}

export interface ReaperOptions {
  onReap?: (pid: number, exit: ReapedExit) => void;
  /** A scan failed (EMFILE, ENFILE…); called once per run of failures, the scan is retried later. */
  onScanError?: (err: Error) => void;
  /** How soon a failed scan is retried. */
  retryMs?: number;
  /** Children another part of svinit waits for itself (the native spawner's programs). */
  owns?: (pid: number) => boolean;
  /** Reads svinit's children (the /proc scan); injectable for tests. */
  readChildren?: (pid: number) => number[];
  /** The addon's waitpid; injectable for tests. */
  native?: Pick<NativeAddon, 'waitpidNoHang'> | null;
}

export function startReaper(opts: ReaperOptions = {}): Reaper {
  const native = opts.native === undefined ? loadNative() : opts.native;
  const readChildren = opts.readChildren ?? childrenOf;
  trackLibuvChildren();
  let reaped = 0;
  let scheduled = false;
  // PID 1 must never die of an exception: a scan that fails (out of descriptors: EMFILE) is
  // reported once and retried on a timer until it works again.
  let failing = false;
  let retry: NodeJS.Timeout | null = null;
  const candidates = (): number[] | null => {
    try {
      const pids = readChildren(process.pid).filter((pid) => !owned.has(pid) && !opts.owns?.(pid));
      failing = false;
      return pids;
    } catch (e) {
      if (!failing) opts.onScanError?.(e as Error);
      failing = true;
      retry ??= setTimeout(() => {
        retry = null;
        reap();
      }, opts.retryMs ?? 1000);
      retry.unref();
      return null;
    }
  };
  const reap = (): number => {
    if (!native) return 0;
    let n = 0;
    // Loop: reaping one orphan can make room for the kernel to report more.
    for (let pass = 0; pass < 100; pass++) {
      const pids = candidates();
      if (!pids) break;
      let got = 0;
      for (const pid of pids) {
        const r = native.waitpidNoHang(pid);
        if (!r) continue;
        got++;
        try {
          opts.onReap?.(r.pid, { code: r.code, signal: r.signal === null ? null : (SIGNAL_NAMES[r.signal] ?? String(r.signal)) });
        } catch {
          /* a failing listener must not stop the reaping */
        }
      }
      n += got;
      if (!got) break;
    }
    reaped += n;
    return n;
  };
  const onChild = () => {
    if (scheduled) return;
    scheduled = true;
    // Coalesce a burst of SIGCHLDs into one scan, after libuv has had its turn.
    setImmediate(() => {
      scheduled = false;
      reap();
    });
  };
  // No periodic scan: an orphan's exit always raises a SIGCHLD after any scan that missed it, and
  // an idle PID 1 should not wake up (issue 13). Only a failed scan is retried on a timer.
  process.on('SIGCHLD', onChild);
  return {
    stop() {
      process.off('SIGCHLD', onChild);
      if (retry) clearTimeout(retry);
    },
    stats: () => ({ reaped }),
    adoptedPids: () => {
      reap();
      return candidates() ?? [];
    },
    reap,
  };
}
