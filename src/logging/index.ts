// The logging module's public API.
export * from './types.js';
export { RotatingFile } from './rotating.js';
export { createActivityLogger, formatTime, type ActivityLoggerOptions } from './activity.js';
export { createChannelLog, type ChannelLogOptions } from './channel.js';
export { autoLogPath, cleanupAutoLogs } from './auto.js';
export { readLogSlice, tailLog, LogReadError } from './read.js';
export { followFile, type Follower } from './follow.js';
export { createSyslogSink } from './syslog.js';
export { TailBuffer, TAIL_BUFFER_BYTES } from './tail-buffer.js';
