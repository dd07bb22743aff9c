// The logging module's public API.
export * from './types.js';
export { RotatingFile, type RotatingOptions } from './rotating.js';
export { createActivityLogger, formatTime, type ActivityLoggerOptions } from './activity.js';
export { BEGIN_TOKEN, createChannelLog, END_TOKEN, findPrefixAtEnd, pyBytesRepr, stripEscapes, type ChannelLogOptions } from './channel.js';
export { autoLogPath, cleanupAutoLogs } from './auto.js';
export { decodeLog, LogReadError, readRange, tailRange } from './read.js';
export { createSyslogSink, rfc3164Time, syslogMessage } from './syslog.js';
export { TailBuffer, TAIL_BUFFER_BYTES } from './tail-buffer.js';
