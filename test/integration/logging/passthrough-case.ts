// One config, run under supervisord and under svinit, whose programs log to /dev/stdout,
// /dev/stderr and their /dev/fd and /proc/self/fd aliases (plus programs with a log file, AUTO and
// NONE that must stay out of the init's output). Shared by the host test and the container test.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';

export const WRITER = path.join(import.meta.dirname, 'passthrough-writer.py');

/** The programs, started one step at a time so that writers sharing a stream do not overlap (except the pair, on purpose). */
export const STEPS: Array<{ start: string; kind: 'process' | 'group' }> = [
  { start: 'json', kind: 'process' },
  { start: 'big', kind: 'process' },
  { start: 'partial', kind: 'process' },
  { start: 'pair', kind: 'group' },
];

export const JSON_LINES = 2000;
export const BIG_LINES = 3;
export const PAIR_LINES = 3000;

/**
 * The config's program sections; `writer` is the writer script's path where the init runs. Each
 * step's writers wait for the file `<godir>/<step>` (made once the init says they are RUNNING).
 */
export function programs(writer: string, logdir: string, godir = logdir): string {
  const w = (args: string, env = '', step = args.split(' ')[0]) =>
    `command=/usr/bin/python3 ${writer} ${args}\nautostart=false\nautorestart=false\nstartsecs=0\nenvironment=GO="${godir}/${step}"${env}\n`;
  return `
[program:json]
${w(`json ${JSON_LINES}`)}stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0

[program:big]
${w(`big ${BIG_LINES}`)}stdout_logfile=/proc/self/fd/2
stdout_logfile_maxbytes=0

[program:partial]
${w('partial', ',WRITE_TO="stderr"')}stdout_logfile=NONE
stderr_logfile=/dev/fd/2
stderr_logfile_maxbytes=0

[program:a]
${w(`tagged A ${PAIR_LINES}`, '', 'pair')}stdout_logfile=/dev/fd/1
stdout_logfile_maxbytes=0

[program:b]
${w(`tagged B ${PAIR_LINES}`, '', 'pair')}stdout_logfile=/proc/self/fd/1
stdout_logfile_maxbytes=0

[group:pair]
programs=a,b

[program:filed]
command=/bin/sh -c 'echo FILED-OUT; echo FILED-ERR >&2; exec sleep 1000'
stdout_logfile=${logdir}/filed.log
stderr_logfile=${logdir}/filed.err

[program:auto]
command=/bin/sh -c 'echo AUTO-OUT; echo AUTO-ERR >&2; exec sleep 1000'

[program:none]
command=/bin/sh -c 'echo NONE-OUT; echo NONE-ERR >&2; exec sleep 1000'
stdout_logfile=NONE
stderr_logfile=NONE
`;
}

/** What each writer writes, made by running it here. */
export function expected(): { json: Buffer; big: Buffer; partial: Buffer; a: Buffer; b: Buffer } {
  const run = (...args: string[]) => execFileSync('/usr/bin/python3', [WRITER, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return { json: run('json', String(JSON_LINES)), big: run('big', String(BIG_LINES)), partial: run('partial'), a: run('tagged', 'A', String(PAIR_LINES)), b: run('tagged', 'B', String(PAIR_LINES)) };
}

/** The last bytes each step's writers leave on the init's stdout or stderr: the step is over when they are there. */
export function stepDone(step: string, out: Buffer, err: Buffer): boolean {
  const has = (b: Buffer, s: string) => b.includes(s);
  if (step === 'json') return has(out, `{"seq": ${JSON_LINES - 1}, `) && out.indexOf('\n', out.indexOf(`{"seq": ${JSON_LINES - 1}, `)) !== -1;
  if (step === 'big') return count(out, 'y\n') + count(err, 'y\n') >= BIG_LINES;
  if (step === 'partial') return has(err, ' three"}\n');
  return has(out, `A ${String(PAIR_LINES - 1).padStart(5, '0')} `) && has(out, `B ${String(PAIR_LINES - 1).padStart(5, '0')} `);
}

function count(b: Buffer, s: string): number {
  let n = 0;
  for (let at = b.indexOf(s); at !== -1; at = b.indexOf(s, at + s.length)) n++;
  return n;
}

/** supervisord's activity log line (text format) or svinit's json one. */
const ACTIVITY = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4} |\{"level":)/;

function lines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < b.length) {
    const nl = b.indexOf(0x0a, at);
    const end = nl === -1 ? b.length : nl + 1;
    out.push(b.subarray(at, end));
    at = end;
  }
  return out;
}

/**
 * The init's stdout taken apart: the activity log lines, the pair's lines by program, and the rest
 * (the json writer's bytes, in order). Lines are kept whole, with their newline.
 */
export function splitStdout(out: Buffer): { activity: string[]; a: Buffer; b: Buffer; rest: Buffer } {
  const activity: string[] = [];
  const a: Buffer[] = [];
  const b: Buffer[] = [];
  const rest: Buffer[] = [];
  for (const l of lines(out)) {
    if (ACTIVITY.test(l.toString('latin1'))) activity.push(l.toString());
    else if (/^A \d{5} /.test(l.toString('latin1'))) a.push(l);
    else if (/^B \d{5} /.test(l.toString('latin1'))) b.push(l);
    else rest.push(l);
  }
  return { activity, a: Buffer.concat(a), b: Buffer.concat(b), rest: Buffer.concat(rest) };
}

/**
 * supervisord writes each chunk as it reads it, so on a busy machine one of its own activity log
 * lines can land inside a program's line (svinit writes whole lines: docs/differences.md). For
 * supervisord's output such lines are taken out wherever they are before the bytes are compared.
 */
function withoutInterleavedActivity(out: Buffer): Buffer {
  return Buffer.from(out.toString('latin1').replace(/(?<!^|\n)\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4} [^\n]*\n/g, ''), 'latin1');
}

/**
 * supervisord writes each chunk as it reads it: on a busy machine a chunk of one writer can land
 * inside another's line, as can its own activity lines. Its output holds every byte of every
 * writer exactly once, which is what is checked there (svinit's is checked line by line).
 */
function expectAllBytes(r: { out: Buffer; err: Buffer }, want: ReturnType<typeof expected>): void {
  const histogram = (b: Buffer) => {
    const h = new Array<number>(256).fill(0);
    for (const c of b) h[c]++;
    return h;
  };
  const programs = splitStdout(withoutInterleavedActivity(r.out));
  const got = Buffer.concat([programs.rest, programs.a, programs.b]);
  expect(got.length).toBe(want.json.length + want.a.length + want.b.length);
  expect(histogram(got)).toEqual(histogram(Buffer.concat([want.json, want.a, want.b])));
  expect(r.err.equals(Buffer.concat([want.big, want.partial]))).toBe(true);
}

/**
 * The init's output in the default mode: each writer's bytes exactly, nothing else beside the
 * activity log. `init` says whose output it is: supervisord's is checked byte for byte only
 * (expectAllBytes); svinit's line by line, since it never splits a line.
 */
export function expectRaw(r: { out: Buffer; err: Buffer }, want: ReturnType<typeof expected>, init: 'svinit' | 'supervisord' = 'svinit'): void {
  if (init === 'supervisord') return expectAllBytes(r, want);
  const o = splitStdout(r.out);
  // The JSON-lines writer, whole; each of the two concurrent writers, whole and in order.
  expect(o.rest.equals(want.json)).toBe(true);
  expect(o.a.equals(want.a)).toBe(true);
  expect(o.b.equals(want.b)).toBe(true);
  // stderr: the 1 MiB lines, then the line written in three pieces — nothing else.
  expect(r.err.equals(Buffer.concat([want.big, want.partial]))).toBe(true);
  expect(o.activity.join('')).not.toMatch(/Illegal seek|FILED-|AUTO-|NONE-/);
}

/** The init's output with forward_output=all: every program's lines once, labelled, whole. */
export function expectLabelled(r: { out: Buffer; err: Buffer }, want: ReturnType<typeof expected>): void {
  const outLines = r.out.toString().split('\n');
  const errLines = r.err.toString().split('\n');
  const labelled = (lines: string[], label: string) => lines.filter((l) => l.startsWith(`${label} | `)).map((l) => `${l.slice(label.length + 3)}\n`).join('');
  for (const [label, bytes] of [['a', want.a], ['b', want.b], ['json', want.json], ['big', want.big]] as const) expect(labelled(outLines, label) === bytes.toString()).toBe(true);
  expect(labelled(errLines, 'partial')).toBe(want.partial.toString());
  expect(labelled(outLines, 'auto')).toBe('AUTO-OUT\n');
  expect(labelled(errLines, 'none')).toBe('NONE-ERR\n');
  expect(labelled(outLines, 'filed')).toBe('FILED-OUT\n');
  // Labelled copies replace the raw write: no unlabelled program line is left.
  expect([...outLines, ...errLines].filter((l) => /^(A|B) \d{5}|^\{"seq"|^\{"partial|^\dyyy/.test(l))).toEqual([]);
}
