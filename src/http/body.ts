// Reads a request body with a size bound. What goes wrong is an HTTP status, never an exception:
// a client that aborts mid-body or sends a chunked body over the limit is the client's problem.

import type http from 'node:http';

/** An HTTP status for a body that cannot be read, and a one-line reason for the log. */
export interface BodyRefusal {
  status: number;
  reason: string;
}

/**
 * The body, or why not. A body still unfinished after timeoutMs is a 408 and its connection is
 * destroyed (closed on both sides: the client that stalls does not keep a descriptor).
 */
export async function readBody(req: http.IncomingMessage, maxBytes: number, timeoutMs = Infinity): Promise<Buffer | BodyRefusal> {
  const len = req.headers['content-length'];
  if (len === undefined && req.headers['transfer-encoding'] === undefined) return { status: 411, reason: 'no Content-Length' };
  if (len !== undefined && !/^\d+$/.test(len)) return { status: 400, reason: `bad Content-Length ${JSON.stringify(len.slice(0, 40))}` };
  if (len !== undefined && Number(len) > maxBytes) return { status: 413, reason: `body of ${len} bytes is over the ${maxBytes}-byte limit` };
  const chunks: Buffer[] = [];
  let size = 0;
  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        req.socket.destroy();
      }, timeoutMs)
    : null;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) return { status: 413, reason: `body is over the ${maxBytes}-byte limit` };
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    if (timedOut) return { status: 408, reason: `body not received within ${timeoutMs} ms (${size} bytes)` };
    return { status: 400, reason: `body not received: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (timedOut) return { status: 408, reason: `body not received within ${timeoutMs} ms (${size} bytes)` };
  if (!req.complete) return { status: 400, reason: `body not received: the client closed after ${size} bytes` };
  return Buffer.concat(chunks);
}
