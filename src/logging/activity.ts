// supervisord's activity log with supervisord's levels. Text mode renders supervisord's line
// format `YYYY-mm-dd HH:MM:SS,mmm LEVL message` itself; json mode writes pino's lines, and only then
// is pino loaded.
// Writes are synchronous: a line logged just before svinit dies is on disk.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { LogLevelName } from '../config/types.js';
import { LOG_LEVELS } from '../config/types.js';
import { writeFully } from './fd.js';
import { RotatingFile } from './rotating.js';
import { createSyslogSink } from './syslog.js';
import type { ActivityLogger } from './types.js';

const LEVEL_NAMES: Record<number, string> = { 50: 'CRIT', 40: 'ERRO', 30: 'WARN', 20: 'INFO', 10: 'DEBG', 5: 'TRAC', 3: 'BLAT' };

export interface ActivityLoggerOptions {
  /** A file path, 'syslog', or null for no file. */
  file: string | null;
  maxbytes: number;
  backups: number;
  level: LogLevelName;
  /** Copy every line to svinit's stdout (nodaemon and not silent). */
  toStdout: boolean;
  format: 'text' | 'json';
  /** Where the stdout copy goes: a stream or an fd (default fd 1, written synchronously). */
  stdout?: NodeJS.WritableStream | number;
  /** @deprecated use `stdout`. */
  stdoutFd?: number;
  /** The syslog socket for `file: 'syslog'` (default /dev/log). */
  syslogSocket?: string;
}

const p2 = (n: number, w = 2) => String(n).padStart(w, '0');

/** supervisord's asctime: local time, `YYYY-mm-dd HH:MM:SS,mmm`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())},${p2(d.getMilliseconds(), 3)}`;
}

/** pino's module, loaded on first use: only `--log-format json` needs it (+7.7 MiB RSS measured). */
type Pino = typeof import('pino');
let pinoModule: Pino | null = null;
function loadPino(): Pino {
  // esbuild bundles this literal require() and runs pino's code only when it is called; under
  // vitest (ESM, no require) Node resolves the package itself.
  pinoModule ??= typeof require === 'function' ? (require('pino') as Pino) : (createRequire(import.meta.url)('pino') as Pino);
  return pinoModule;
}

/** The level methods of a logger, from one function taking (level, message). */
function levelMethods(log: (level: LogLevelName, msg: string) => void) {
  return {
    critical: (m: string) => log('critical', m),
    error: (m: string) => log('error', m),
    warn: (m: string) => log('warn', m),
    info: (m: string) => log('info', m),
    debug: (m: string) => log('debug', m),
    trace: (m: string) => log('trace', m),
    blather: (m: string) => log('blather', m),
  };
}

export function createActivityLogger(opts: ActivityLoggerOptions): ActivityLogger {
  const filePath = opts.file && opts.file !== 'syslog' ? opts.file : null;
  const file = filePath ? new RotatingFile(filePath, { maxbytes: opts.maxbytes, backups: opts.backups }) : null;
  const stdout = opts.stdout ?? opts.stdoutFd ?? 1;
  // logfile=syslog: the activity log goes to the local syslog daemon (if there is one).
  const syslog = opts.file === 'syslog' ? createSyslogSink('supervisord: ', opts.syslogSocket) : null;
  // supervisord would print every line twice with logfile=/dev/stdout and nodaemon; svinit once.
  const sameAsStdout = filePath !== null && ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'].includes(filePath);
  const toStdout = opts.toStdout && !sameAsStdout;
  /** One whole line to the file and the stdout copy, synchronously. */
  const emit = (line: string) => {
    const buf = Buffer.from(line);
    file?.write(buf);
    if (!toStdout) return;
    if (typeof stdout === 'number') {
      try {
        writeFully(stdout, buf);
      } catch {
        /* a closed stdout must not stop svinit */
      }
    } else stdout.write(buf);
  };
  const threshold = LOG_LEVELS[opts.level];
  const isEnabled = (level: LogLevelName) => LOG_LEVELS[level] >= threshold;
  let log: (level: LogLevelName, msg: string) => void;
  if (opts.format === 'text') {
    // supervisord's line format, rendered directly (no JSON round trip, no pino).
    log = (level, msg) => {
      if (LOG_LEVELS[level] < threshold) return;
      const head = `${formatTime(Date.now())} ${LEVEL_NAMES[LOG_LEVELS[level]]} `;
      emit(`${head}${msg}\n`);
      // supervisord's SyslogHandler: the line format applied to each line of the message.
      if (syslog) for (const l of msg.replace(/\n+$/, '').split('\n')) syslog(head + l);
    };
  } else {
    const pino = loadPino();
    const destination = {
      write(json: string) {
        emit(json);
        syslog?.(json.trimEnd());
      },
    };
    const logger = pino(
      {
        customLevels: LOG_LEVELS,
        useOnlyCustomLevels: true,
        level: opts.level,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    ) as unknown as Record<LogLevelName, (msg: string) => void>;
    log = (level, msg) => logger[level](msg);
  }
  return {
    // readLog/maintail read a regular file only (not /dev/stdout, not syslog).
    path: filePath && fs.existsSync(filePath) && fs.statSync(filePath).isFile() ? filePath : null,
    ...levelMethods(log),
    isEnabled,
    reopen: () => file?.reopen(),
    clear: () => file?.clear(),
    close: async () => file?.close(),
  };
}
