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

export function createActivityLogger(opts: ActivityLoggerOptions): ActivityLogger {
  const filePath = opts.file && opts.file !== 'syslog' ? opts.file : null;
  const file = filePath ? new RotatingFile(filePath, { maxbytes: opts.maxbytes, backups: opts.backups }) : null;
  const stdout = opts.stdout ?? opts.stdoutFd ?? 1;
  // logfile=syslog: the activity log goes to the local syslog daemon (if there is one).
  const syslog = opts.file === 'syslog' ? createSyslogSink('supervisord: ', opts.syslogSocket) : null;
  // supervisord would print every line twice with logfile=/dev/stdout and nodaemon; svinit once.
  const sameAsStdout = filePath !== null && ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'].includes(filePath);
  const destination = {
    write(json: string) {
      let line = json;
      let head = '';
      let msg = '';
      if (opts.format === 'text') {
        const rec = JSON.parse(json) as { level: number; time: number; msg: string };
        head = `${formatTime(rec.time)} ${LEVEL_NAMES[rec.level] ?? 'INFO'} `;
        msg = rec.msg;
        line = `${head}${msg}\n`;
      }
      const buf = Buffer.from(line);
      file?.write(buf);
      if (syslog) {
        // supervisord's SyslogHandler: the line format applied to each line of the message.
        if (opts.format === 'text') for (const l of msg.replace(/\n+$/, '').split('\n')) syslog(head + l);
        else syslog(line.trimEnd());
      }
      if (opts.toStdout && !sameAsStdout) {
        if (typeof stdout === 'number') {
          try {
            writeFully(stdout, buf);
          } catch {
            /* a closed stdout must not stop svinit */
          }
        } else stdout.write(buf);
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
    // readLog/maintail read a regular file only (not /dev/stdout, not syslog).
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
