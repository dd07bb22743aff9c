// /logtail/NAME[/stderr] and /mainlogtail: the last bytes of a log file, then whatever is appended,
// for as long as the client stays (supervisorctl tail -f, the web UI's tail links).
//
// A client that does not read must not make svinit buffer the file for it: the file is read only
// as far as the response has room for, at most MAX_TAIL_BACKLOG bytes per connection from the
// first byte on; a client further behind has the gap dropped and, once it catches up, a marker line
// says how many bytes (src/http/follow.ts; supervisord buffers without limit).

import fs from 'node:fs';
import type http from 'node:http';
import type { Channel, SupervisorApi } from '../engine/types.js';
import { errorPage } from './error-page.js';
import { followTail } from './follow.js';

export { skippedMarker } from './follow.js';

export const MAX_TAIL_BACKLOG = 256 * 1024;

/** supervisord's logtail starts with the last 1024 bytes of the file. */
const INITIAL_BYTES = 1024;

export function handleLogtail(req: http.IncomingMessage, res: http.ServerResponse, p: string, api: SupervisorApi): void {
  const rest = p.slice('/logtail'.length).replace(/^\//, '');
  const [rawName, channel = 'stdout', ...extra] = rest.split('/');
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    return errorPage(res, 404);
  }
  if (!name || extra.length || (channel !== 'stdout' && channel !== 'stderr')) return errorPage(res, 404);
  let file: string;
  try {
    file = api.processLogPath(name, channel as Channel);
  } catch {
    return errorPage(res, 404);
  }
  handleTail(req, res, file, true);
}

export function handleTail(req: http.IncomingMessage, res: http.ServerResponse, file: string | null, accelHeader: boolean): void {
  if (req.method !== 'GET') return errorPage(res, 400);
  if (!file || !fs.existsSync(file)) return errorPage(res, 404);
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain;charset=utf-8',
    'Last-Modified': fs.statSync(file).mtime.toUTCString(),
  };
  if (accelHeader) headers['X-Accel-Buffering'] = 'no';
  res.writeHead(200, headers);
  // The status line now, as supervisord sends it, even if the log has nothing to send yet.
  res.flushHeaders();
  const follower = followTail(
    file,
    {
      room: () => (res.destroyed ? 0 : MAX_TAIL_BACKLOG - res.writableLength),
      write: (b) => void res.write(b),
    },
    { initialBytes: INITIAL_BYTES, budget: MAX_TAIL_BACKLOG },
  );
  res.on('drain', follower.resume);
  const stop = () => follower.close();
  res.on('close', stop);
  req.on('close', stop);
}
