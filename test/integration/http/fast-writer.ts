// A program that writes its stdout log as fast as it can (rotated, so the disk stays bounded),
// and the /proc figures the slow-reader tests measure against it.

import fs from 'node:fs';

export const MiB = 1024 * 1024;

/** A [program:fast] section logging into dir. */
export const fastWriterProgram = (dir: string) => `
[program:fast]
command=/usr/bin/yes "a line of some length that the fast writer repeats as fast as it can, over and over"
startsecs=0
stdout_logfile=${dir}/fast.log
stdout_logfile_maxbytes=20MB
stdout_logfile_backups=1
`;

/** Bytes a process has written so far (to its pipe: what svinit has read from it). */
export const bytesWritten = (pid: number) => Number(/^wchar: (\d+)/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

/** Bytes a process has read so far (pipes, files, sockets: /proc/PID/io rchar). */
export const bytesRead = (pid: number) => Number(/^rchar: (\d+)/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

export const rssBytes = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
