// supervisord's activity log, written through pino with supervisord's levels. Text mode renders
// supervisord's line format `YYYY-mm-dd HH:MM:SS,mmm LEVL message`; json mode keeps pino's lines.
// Writes are synchronous: a line logged just before svinit dies is on disk.

import fs from 'node:fs';
import pino from 'pino';
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
  /** Where the stdout copy goes (default fd 1). */
  stdoutFd?: number;
}

const p2 = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())},${p2(d.getMilliseconds(), 3)}`;
}

export function createActivityLogger(opts: ActivityLoggerOptions): ActivityLogger {
  const filePath = opts.file && opts.file !== 'syslog' ? opts.file : null;
  let file: RotatingFile | null = null;
  if (filePath) file = new RotatingFile(filePath, { maxbytes: opts.maxbytes, backups: opts.backups });
  const stdoutFd = opts.stdoutFd ?? 1;
  // logfile=syslog: the activity log goes to the local syslog daemon (if there is one).
  const syslog = opts.file === 'syslog' ? createSyslogSink('supervisord: ') : null;
  const sameAsStdout = filePath !== null && ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'].includes(filePath);
  const destination = {
    write(json: string) {
      let line = json;
      if (opts.format === 'text') {
        const rec = JSON.parse(json) as { level: number; time: number; msg: string };
        line = `${formatTime(rec.time)} ${LEVEL_NAMES[rec.level] ?? 'INFO'} ${rec.msg}\n`;
      }
      const buf = Buffer.from(line);
      if (file) file.write(buf);
      if (syslog) syslog(opts.format === 'text' ? line.replace(/^\S+ \S+ /, '').trimEnd() : line.trimEnd());
      if (opts.toStdout && !sameAsStdout) {
        try {
          writeFully(stdoutFd, buf);
        } catch {
          /* a closed stdout must not stop svinit */
        }
      }
    },
  };
  const logger = pino(
    {
      customLevels: LOG_LEVELS,
      useOnlyCustomLevels: true,
      level: opts.level,
      base: undefined,
      timestamp: opts.format === 'text' ? pino.stdTimeFunctions.epochTime : pino.stdTimeFunctions.isoTime,
      formatters: opts.format === 'json' ? { level: (label) => ({ level: label }) } : undefined,
    },
    destination,
  ) as unknown as Record<LogLevelName, (msg: string) => void> & { isLevelEnabled(l: string): boolean };
  return {
    path: filePath && fs.existsSync(filePath) && fs.statSync(filePath).isFile() ? filePath : null,
    critical: (m) => logger.critical(m),
    error: (m) => logger.error(m),
    warn: (m) => logger.warn(m),
    info: (m) => logger.info(m),
    debug: (m) => logger.debug(m),
    trace: (m) => logger.trace(m),
    blather: (m) => logger.blather(m),
    isEnabled: (level) => logger.isLevelEnabled(level),
    reopen: () => file?.reopen(),
    clear: () => file?.clear(),
    close: async () => file?.close(),
  };
}
