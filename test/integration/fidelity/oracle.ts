// Runs one scenario against Debian's supervisord and svinit (spawnOnConfig), with helpers to read
// the main log both write in supervisord's format.

import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { spawnOnConfig, tmpDir, waitFor } from '../../helpers/daemon.js';

export const KINDS = ['supervisord', 'svinit'] as const;
export type Kind = (typeof KINDS)[number];

export interface Run {
  kind: Kind;
  dir: string;
  conf: string;
  proc: ChildProcess;
  /** The main log's lines so far. */
  lines(): string[];
  /** Waits for the count-th main-log line matching re (1-based) and returns it. */
  waitLine(re: RegExp, count?: number): Promise<string>;
}

/** Epoch ms of a main-log line (`2026-12-07 18:13:05,535 INFO …`, local time). */
export function lineTime(line: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) /.exec(line);
  if (!m) throw new Error(`not a log line: ${line}`);
  const [, y, mo, d, h, mi, s, ms] = m.map(Number);
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

/** Starts `kind` on `[supervisord]` + body(dir), runs check, then stops the daemon. */
export async function onDaemon(kind: Kind, body: (dir: string) => string, check: (run: Run) => Promise<void>): Promise<void> {
  const dir = tmpDir(`svinit-fidelity-${kind}-`);
  const { conf, proc } = spawnOnConfig(kind, dir, body(dir));
  const log = path.join(dir, 'main.log');
  const lines = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  const run: Run = {
    kind,
    dir,
    conf,
    proc,
    lines,
    waitLine: (re, count = 1) =>
      waitFor(() => lines().filter((l) => re.test(l))[count - 1], `${kind}: main-log line #${count} matching ${re}\n${lines().join('\n')}`),
  };
  try {
    await check(run);
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await waitFor(() => proc.exitCode !== null || proc.signalCode !== null, `${kind} to exit`, 30_000).catch(() => proc.kill('SIGKILL'));
  }
}
