// Keeps an HTTP server alive at the edges of the machine: a cap on open connections, accept
// errors at the open-file limit (EMFILE/ENFILE) logged once and survived, and connections that
// time out closed on both sides (supervisord's medusa has none of this; see docs/limits.md).

import fs from 'node:fs';
import type http from 'node:http';
import type net from 'node:net';
import type { ActivityLogger } from '../logging/types.js';

/** At most this many connections per server, fewer when the descriptor limit is low. */
export const MAX_CONNECTIONS_PER_SERVER = 1024;
/** Descriptors kept for everything that is not an HTTP connection (programs' pipes, logs, /proc). */
export const RESERVED_FDS = 128;

export interface HttpTimeouts {
  /** From connecting until the request's headers are in. */
  headersMs: number;
  /** An idle keep-alive connection between requests. */
  keepAliveMs: number;
  /** From the headers until the whole body is in. */
  bodyMs: number;
  /** How often Node checks for expired header times. */
  checkMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { headersMs: 30_000, keepAliveMs: 60_000, bodyMs: 30_000, checkMs: 5_000 };

/** The soft RLIMIT_NOFILE, from /proc (Node has no getrlimit); Infinity when unlimited, `unknown` when unreadable. */
export function softFdLimit(unknown = Infinity): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    if (!m) return unknown;
    return m[1] !== 'unlimited' ? Number(m[1]) : Infinity;
  } catch {
    return unknown;
  }
}

/** The cap of one of `servers` servers under the limit as it is now; NaN when it cannot be read (out of descriptors). */
export const currentCap = (servers: number) => () => connectionCap(servers, softFdLimit(NaN));

/** The cap for each of `servers` servers under a soft descriptor limit. */
export function connectionCap(servers: number, fdLimit = softFdLimit()): number {
  const share = Math.floor((fdLimit - RESERVED_FDS) / Math.max(1, servers));
  return Math.max(8, Math.min(MAX_CONNECTIONS_PER_SERVER, share));
}

/** Answers a broken or timed-out request if it can, then closes the socket (never half-open). */
export function closeClient(socket: net.Socket, status: 400 | 408): void {
  const line = status === 408 ? '408 Request Timeout' : '400 Bad Request';
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${line}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    // A client that does not read the answer does not keep the descriptor either.
    setTimeout(() => socket.destroy(), 1000).unref();
  } else socket.destroy();
}

/**
 * Applies the cap, the time-outs and the accept-error handling to a server that is listening.
 * Each condition is logged once when it starts and once when it ends.
 *
 * A cap given as a function is asked again at every new connection: the descriptor limit can be
 * lowered under a running svinit (`prlimit --pid`), and libuv hides EMFILE from accept (it accepts
 * and closes the connection itself), so a cap sized from a stale limit would let the descriptors
 * run out without a word. Reading the limit costs one small /proc read per connection.
 */
export function guardServer(server: http.Server, section: string, capOf: number | (() => number), timeouts: HttpTimeouts, logger: ActivityLogger): void {
  let cap = typeof capOf === 'number' ? capOf : capOf();
  if (!Number.isFinite(cap)) cap = MAX_CONNECTIONS_PER_SERVER;
  const refresh = () => {
    if (typeof capOf === 'number') return;
    const fresh = capOf();
    // Unreadable (out of descriptors itself): keep the last cap.
    if (Number.isFinite(fresh)) server.maxConnections = cap = fresh;
  };
  server.maxConnections = cap;
  server.headersTimeout = timeouts.headersMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  let open = 0;
  let capped = false;
  let starved = false;
  server.on('drop', () => {
    refresh();
    if (capped) return;
    capped = true;
    logger.warn(`HTTP server '${section}': ${cap} connections open, the most it takes; refusing new ones until some close`);
  });
  server.on('connection', (s: net.Socket) => {
    open++;
    refresh();
    if (starved) {
      starved = false;
      logger.info(`HTTP server '${section}': accepting connections again`);
    }
    s.on('close', () => {
      open--;
      if (capped && open < cap) {
        capped = false;
        logger.info(`HTTP server '${section}': below ${cap} connections, accepting new ones again`);
      }
    });
  });
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EMFILE' || e.code === 'ENFILE') {
      if (starved) return;
      starved = true;
      logger.error(`HTTP server '${section}': out of file descriptors (${e.code}) with ${open} connections open; new connections are refused until descriptors are free`);
      return;
    }
    logger.warn(`HTTP server '${section}': ${e.code ?? ''} ${e.message}`);
  });
  server.on('clientError', (e: NodeJS.ErrnoException, socket: net.Socket) => {
    closeClient(socket, e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400);
  });
}
