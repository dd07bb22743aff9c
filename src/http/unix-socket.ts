// Listening on [unix_http_server]'s socket file as supervisord does: a live socket at the path
// refuses to start, a stale one is unlinked. Every failure is one clear line in supervisord's
// words ("Cannot open an HTTP server: socket.error reported …"), never a stack trace.

import fs from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { HttpServerConfig } from '../config/types.js';
import type { ActivityLogger } from '../logging/types.js';

/** sun_path holds 108 bytes with the terminating NUL; a longer path would be silently cut. */
export const MAX_UNIX_PATH_BYTES = 107;

const CANNOT_OPEN = 'Cannot open an HTTP server: socket.error reported';

/** supervisord's wording for an errno error: `errno.ENOENT (2)`. */
function reported(e: NodeJS.ErrnoException): Error {
  const code = e.code ?? '';
  const n = (os.constants.errno as Record<string, number>)[code];
  return new Error(n === undefined ? `${CANNOT_OPEN} ${e.message}` : `${CANNOT_OPEN} errno.${code} (${n})`);
}

function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** Checks what Node would get wrong: a path too long for sun_path, a directory that is missing. */
function checkPath(file: string): void {
  if (Buffer.byteLength(file) > MAX_UNIX_PATH_BYTES) throw new Error(`${CANNOT_OPEN} AF_UNIX path too long`);
  // libuv reports a missing directory as EACCES; say what it is.
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw reported(errnoError('ENOENT', `no such directory ${dir}`));
}

/** Removes a stale socket, or explains why it cannot (another user's socket in a sticky /tmp). */
function unlinkStale(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    let owner = '';
    try {
      owner = ` (owned by uid ${fs.lstatSync(file).uid})`;
    } catch {
      /* gone meanwhile */
    }
    throw new Error(`${CANNOT_OPEN} errno.${err.code ?? 'EPERM'}: cannot remove the stale socket ${file}${owner}; remove it or choose another file=`);
  }
}

export function listenUnix(server: http.Server, cfg: HttpServerConfig, logger: ActivityLogger): Promise<void> {
  const file = cfg.file!;
  return new Promise((resolve, reject) => {
    try {
      checkPath(file);
    } catch (e) {
      return reject(e);
    }
    const attempt = (retried: boolean) => {
      const onError = (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EADDRINUSE' || retried) return reject(e.code === 'EADDRINUSE' ? e : reported(e));
        // Probe the existing socket: alive → refuse to start, stale → unlink and retry.
        const probe = net.connect(file);
        probe.once('connect', () => {
          probe.destroy();
          reject(new Error('Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.'));
        });
        probe.once('error', () => {
          logger.warn(`Unlinking stale socket ${file}`);
          try {
            unlinkStale(file);
          } catch (err) {
            return reject(err);
          }
          attempt(true);
        });
      };
      server.once('error', onError);
      server.listen({ path: file, backlog: 1024 }, () => {
        server.off('error', onError);
        try {
          fs.chmodSync(file, cfg.chmod ?? 0o700);
          if (cfg.chown) fs.chownSync(file, cfg.chown.uid, cfg.chown.gid);
        } catch (e) {
          return reject(reported(e as NodeJS.ErrnoException));
        }
        resolve();
      });
    };
    attempt(false);
  });
}
