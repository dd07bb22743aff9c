// /logtail/NAME[/stderr] and /mainlogtail: the last bytes of a log file, then whatever is appended,
// for as long as the client stays (supervisorctl tail -f, the web UI's tail links).
//
// A client that does not read must not make svinit buffer the file for it: at most
// MAX_TAIL_BACKLOG bytes wait in the response per connection; beyond that the followed bytes are
// dropped and, once the client catches up, a marker line says how many (supervisord buffers
// without limit).

import fs from 'node:fs';
import type http from 'node:http';
import type { Channel, SupervisorApi } from '../engine/types.js';
import { errorPage } from './error-page.js';

/** Follows a file: the last initialBytes, then every appended byte (src/logging/follow.ts). */
export type FollowFile = (path: string, onData: (b: Buffer) => void, opts?: { initialBytes?: number }) => { close(): void };

export const MAX_TAIL_BACKLOG = 256 * 1024;

export const skippedMarker = (bytes: number) => `\n==> svinit: ${bytes} bytes skipped, the client read too slowly <==\n`;

export function handleLogtail(req: http.IncomingMessage, res: http.ServerResponse, p: string, api: SupervisorApi, followFile: FollowFile): void {
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
  handleTail(req, res, file, followFile, true);
}

export function handleTail(req: http.IncomingMessage, res: http.ServerResponse, file: string | null, followFile: FollowFile, accelHeader: boolean): void {
  if (req.method !== 'GET') return errorPage(res, 400);
  if (!file || !fs.existsSync(file)) return errorPage(res, 404);
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain;charset=utf-8',
    'Last-Modified': fs.statSync(file).mtime.toUTCString(),
  };
  if (accelHeader) headers['X-Accel-Buffering'] = 'no';
  res.writeHead(200, headers);
  let skipped = 0;
  const owe = () => {
    if (skipped && res.writableLength < MAX_TAIL_BACKLOG) {
      res.write(skippedMarker(skipped));
      skipped = 0;
    }
  };
  res.on('drain', owe);
  const follower = followFile(
    file,
    (b) => {
      owe();
      if (skipped || res.writableLength + b.length > MAX_TAIL_BACKLOG) skipped += b.length;
      else res.write(b);
    },
    { initialBytes: 1024 },
  );
  const stop = () => follower.close();
  res.on('close', stop);
  req.on('close', stop);
}
