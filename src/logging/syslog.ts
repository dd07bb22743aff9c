// Syslog output (`logfile=syslog`, `*_syslog=true`): RFC 3164 datagrams to /dev/log, facility
// user, severity info, as Python's syslog.syslog() (glibc) sends them for supervisord:
// `<14>Mmm dd hh:mm:ss <tag><message>`. Node has no unix datagram sockets: the native addon sends
// them. Without the addon or without a syslog socket there is no sink (null) and nothing is sent.

import fs from 'node:fs';
import { loadNative } from '../init/native.js';

const PRI_USER_INFO = 14;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164 TIMESTAMP: local time, day of month space-padded. */
export function rfc3164Time(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** One datagram's text. `tag` is written as given, e.g. `supervisord: `. */
export function syslogMessage(tag: string, line: string, now = new Date()): string {
  return `<${PRI_USER_INFO}>${rfc3164Time(now)} ${tag}${line}`;
}

export function createSyslogSink(tag: string, socketPath = '/dev/log'): ((line: string) => void) | null {
  const native = loadNative();
  if (!native || !fs.existsSync(socketPath)) return null;
  return (line: string) => {
    native.syslogSend(socketPath, syslogMessage(tag, line));
  };
}
