// Syslog output (`logfile=syslog`, `*_syslog=true`): RFC 3164 datagrams to /dev/log, facility
// user, level info, as supervisord's SysLogHandler sends them.

import fs from 'node:fs';
import { loadNative } from '../init/native.js';

const PRI_USER_INFO = 14;

export function createSyslogSink(tag: string, socketPath = '/dev/log'): ((line: string) => void) | null {
  const native = loadNative();
  if (!native || !fs.existsSync(socketPath)) return null;
  return (line: string) => {
    native.syslogSend(socketPath, `<${PRI_USER_INFO}>${tag}${line}`);
  };
}
