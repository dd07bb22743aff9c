// Per-program metrics: a snapshot of each process's state read at scrape time, and counters
// (spawns, exits by code) kept from the engine's state facts between scrapes.

import type { EventEmitter } from 'node:events';
import type { EngineFacts, ProcessStateFact } from '../engine/facts.js';
import { ProcessState } from '../engine/states.js';
import type { Channel, ExitInfo } from '../engine/types.js';
import type { Exposition, Sample } from './exposition.js';
import os from 'node:os';

/** What the metrics read of one process (a structural subset of the engine's Process). */
export interface ProcessView {
  readonly name: string;
  readonly group: string;
  readonly state: ProcessState;
  /** Epoch ms of the last spawn; 0 = never started. */
  readonly laststart: number;
  readonly lastExit: ExitInfo | null;
  /** Bytes read from the program's stdout and stderr pipes since svinit started it the first time. */
  readonly outputBytes: Readonly<Record<Channel, number>>;
}

interface Counters {
  spawns: number;
  exits: Map<string, number>;
}

const EXIT_FROM = new Set([ProcessState.STARTING, ProcessState.RUNNING, ProcessState.STOPPING]);
const EXIT_TO = new Set([ProcessState.EXITED, ProcessState.BACKOFF, ProcessState.STOPPED]);
const SIGNALS = os.constants.signals as Record<string, number>;

/** The `code` label of an exit: the exit status, or the signal's name when killed by one. */
export function exitCodeLabel(exit: ExitInfo): string {
  return exit.signal ?? String(exit.code ?? -1);
}

/** last_exit_code: the exit status, or 128 + n when killed by signal n (the shell's convention). */
export function exitCodeValue(exit: ExitInfo): number {
  return exit.signal ? 128 + (SIGNALS[exit.signal] ?? 0) : (exit.code ?? -1);
}

export class ProgramMetrics {
  private readonly counters = new Map<string, Counters>();
  private index: Map<string, ProcessView> | null = null;

  constructor(
    facts: EventEmitter<EngineFacts>,
    private readonly processes: () => Iterable<ProcessView>,
  ) {
    facts.on('processState', (f) => this.onState(f));
    // A group added or removed (update, HUP) replaces Process objects: look them up afresh.
    facts.on('groupAdded', () => (this.index = null));
    facts.on('groupRemoved', () => (this.index = null));
  }

  private countersFor(key: string): Counters {
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = { spawns: 0, exits: new Map() }));
    return c;
  }

  private find(key: string): ProcessView | undefined {
    let hit = this.index?.get(key);
    if (!hit) {
      this.index = new Map();
      for (const p of this.processes()) this.index.set(`${p.group}:${p.name}`, p);
      hit = this.index.get(key);
    }
    return hit;
  }

  private onState(f: ProcessStateFact): void {
    const key = `${f.group}:${f.name}`;
    if (f.to === ProcessState.STARTING) this.countersFor(key).spawns++;
    // A child ended: it was running (pid known) and its state left the running ones.
    if (f.pid && EXIT_FROM.has(f.from) && EXIT_TO.has(f.to)) {
      const exit = this.find(key)?.lastExit;
      if (!exit) return;
      const exits = this.countersFor(key).exits;
      const code = exitCodeLabel(exit);
      exits.set(code, (exits.get(code) ?? 0) + 1);
    }
  }

  render(out: Exposition): void {
    const procs = [...this.processes()];
    const labels = (p: ProcessView) => ({ group: p.group, name: p.name });
    const each = function* (fn: (p: ProcessView) => Sample | Sample[] | null): Iterable<Sample> {
      for (const p of procs) {
        const s = fn(p);
        if (Array.isArray(s)) yield* s;
        else if (s) yield s;
      }
    };
    out.family('svinit_process_state', 'gauge', "The process's supervisord state code (0 STOPPED, 10 STARTING, 20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN).",
      each((p) => ({ labels: labels(p), value: p.state })));
    out.family('svinit_process_up', 'gauge', '1 when the process is RUNNING, else 0.',
      each((p) => ({ labels: labels(p), value: p.state === ProcessState.RUNNING ? 1 : 0 })));
    out.family('svinit_process_start_time_seconds', 'gauge', 'When the process was last spawned, since unix epoch in seconds.',
      each((p) => (p.laststart ? { labels: labels(p), value: p.laststart / 1000 } : null)));
    out.family('svinit_process_restarts_total', 'counter', 'Spawns of the process after its first one.',
      each((p) => ({ labels: labels(p), value: Math.max(0, (this.counters.get(`${p.group}:${p.name}`)?.spawns ?? 0) - 1) })));
    out.family('svinit_process_exits_total', 'counter', 'Exits of the process by exit status, or by signal name when killed by a signal.',
      each((p) => [...(this.counters.get(`${p.group}:${p.name}`)?.exits ?? [])].map(([code, n]) => ({ labels: { ...labels(p), code }, value: n }))));
    out.family('svinit_process_last_exit_code', 'gauge', "The process's last exit status (128 + n when killed by signal n).",
      each((p) => (p.lastExit ? { labels: labels(p), value: exitCodeValue(p.lastExit) } : null)));
    out.family('svinit_process_log_bytes_total', 'counter', 'Bytes the process wrote to its stdout or stderr pipe.',
      each((p) => [
        { labels: { ...labels(p), stream: 'stdout' }, value: p.outputBytes.stdout },
        { labels: { ...labels(p), stream: 'stderr' }, value: p.outputBytes.stderr },
      ]));
  }
}
