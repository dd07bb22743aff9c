// Which Spawner the daemon uses: the native addon's (real pipes, supervisord's child set-up) when
// svinit.node is there, else libuv's through Node's ChildProcess (socket pairs on fds 0-2, which a
// program cannot reopen through /dev/stdout; svinit says so once).

import fs from 'node:fs';
import { createNativeSpawner } from '../engine/native-spawner.js';
import { createNodeSpawner } from '../engine/node-spawner.js';
import type { Spawner } from '../engine/types.js';
import { loadNative, type ChildRlimit } from '../init/native.js';

const RLIMIT_NOFILE = 7;

export interface DaemonSpawner {
  spawner: Spawner;
  /** Pids the spawner reaps itself; the orphan reaper leaves them alone. */
  owns(pid: number): boolean;
  /** Null, or why the fallback spawner is in use. */
  warning: string | null;
}

export function createSpawner(minfds: number): DaemonSpawner {
  const native = loadNative();
  if (!native) {
    return {
      spawner: createNodeSpawner(),
      owns: () => false,
      warning: 'the native addon svinit.node was not found: programs get socket pairs, not pipes, on fds 0-2',
    };
  }
  // Descriptors svinit inherited (from the shell that started it, say) never reach a program.
  native.markCloexecFrom(3);
  const spawner = createNativeSpawner(native, { rlimits: childRlimits(minfds) });
  return { spawner, owns: spawner.owns, warning: null };
}

/**
 * Node raises its own soft RLIMIT_NOFILE to the hard limit at start-up; supervisord's programs get
 * the soft limit supervisord was started with, raised to minfds. The limit svinit was started with
 * is SVINIT_NOFILE_SOFT when a launcher recorded it (`ulimit -Sn`), else read from its parent's
 * /proc entry (the fork it came from had the same); as PID 1 without the variable there is no one
 * to ask and the child keeps svinit's (docs/programs.md).
 */
export function childRlimits(minfds: number, ppid = process.ppid, env: NodeJS.ProcessEnv = process.env): ChildRlimit[] {
  const recorded = /^\d+$/.test(env.SVINIT_NOFILE_SOFT ?? '') ? Number(env.SVINIT_NOFILE_SOFT) : null;
  const started = recorded ?? (ppid > 0 ? parentSoftNofile(ppid) : null);
  if (started === null) return [];
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const hard = parseNofile(limits)?.hard ?? -1;
  let soft = Math.max(started, minfds);
  if (hard !== -1 && soft > hard) soft = hard;
  return [{ resource: RLIMIT_NOFILE, soft, hard }];
}

function parentSoftNofile(ppid: number): number | null {
  try {
    return parseNofile(fs.readFileSync(`/proc/${ppid}/limits`, 'utf8'))?.soft ?? null;
  } catch {
    return null;
  }
}

/** The "Max open files" row of /proc/PID/limits; -1 for unlimited. */
export function parseNofile(text: string): { soft: number; hard: number } | null {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!m) return null;
  const num = (s: string) => (s === 'unlimited' ? -1 : Number(s));
  return { soft: num(m[1]), hard: num(m[2]) };
}

