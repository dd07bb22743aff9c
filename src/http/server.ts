// supervisord's HTTP servers: one per [unix_http_server] / [inet_http_server] section, Basic auth
// on every endpoint, XML-RPC at /RPC2, log tails, and the web UI. Malformed or hostile requests
// get a 4xx and never take the server (or svinit) down.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { HttpServerConfig } from '../config/types.js';
import type { Channel, SupervisorApi } from '../engine/types.js';
import type { ActivityLogger } from '../logging/types.js';
import { createRpcDispatcher } from '../rpc/methods.js';
import { XmlRpcParseError } from '../rpc/xmlrpc.js';
import { handleProbe, PROBE_PATHS, type ProbeSource } from './probes.js';
import { handleWeb } from './web.js';

export const MAX_BODY = 2 * 1024 * 1024;

export interface HttpDeps {
  api: SupervisorApi;
  logger: ActivityLogger;
  mainLogPath: () => string | null;
  followFile: (path: string, onData: (b: Buffer) => void, opts?: { initialBytes?: number }) => { close(): void };
  /** /healthz, /readyz and /metrics (behind this server's auth like every other path). */
  probes?: ProbeSource;
  /** Told of every XML-RPC request: method name, and fault name or null (for /metrics). */
  onRpcRequest?: (method: string, fault: string | null) => void;
}

export interface HttpServers {
  close(): Promise<void>;
  urls: string[];
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed', 411: 'Length Required', 413: 'Request Entity Too Large', 500: 'Internal Server Error' };

export function errorPage(res: http.ServerResponse, code: number, extraHeaders: Record<string, string> = {}): void {
  const body = `<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code ${code}.\r\n<p>Message: ${REASONS[code] ?? 'Error'}.\r\n</body>\r\n`;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(code, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}

/** Plain text, or `{SHA}` + hex SHA-1 of the password; compared in constant time. */
export function passwordMatches(stored: string, given: string): boolean {
  const expected = stored.startsWith('{SHA}') ? stored.slice(5).toLowerCase() : stored;
  const actual = stored.startsWith('{SHA}') ? crypto.createHash('sha1').update(given).digest('hex') : given;
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function authorized(cfg: HttpServerConfig, header: string | undefined): boolean {
  if (!cfg.username) return true;
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return false;
  return decoded.slice(0, i) === cfg.username && passwordMatches(cfg.password ?? '', decoded.slice(i + 1));
}

function makeHandler(cfg: HttpServerConfig, deps: HttpDeps) {
  const rpc = createRpcDispatcher(deps.api, deps.onRpcRequest);
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('Server', 'svinit');
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    if (!authorized(cfg, req.headers.authorization)) {
      errorPage(res, 401, { 'WWW-Authenticate': 'Basic realm="default"', Connection: 'close' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    try {
      if (p.startsWith('/RPC2')) return await handleRpc(req, res, rpc, deps);
      if (deps.probes && PROBE_PATHS.has(p)) return handleProbe(req, res, p, deps.probes);
      if (p.startsWith('/logtail')) return handleLogtail(req, res, p, deps);
      if (p.startsWith('/mainlogtail')) return handleTail(req, res, deps.mainLogPath(), deps, false);
      if (p === '/ok.html') {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
        res.end('OK');
        return;
      }
      return await handleWeb(req, res, url, rpc, cfg);
    } catch (e) {
      deps.logger.error(`HTTP ${req.method} ${p}: ${(e as Error).stack ?? e}`);
      errorPage(res, 500);
    }
  };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | number> {
  const len = req.headers['content-length'];
  if (len === undefined && req.headers['transfer-encoding'] === undefined) return 411;
  if (len !== undefined && (!/^\d+$/.test(len) || Number(len) > MAX_BODY)) return Number(len) > MAX_BODY ? 413 : 400;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return 413;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function handleRpc(req: http.IncomingMessage, res: http.ServerResponse, rpc: ReturnType<typeof createRpcDispatcher>, deps: HttpDeps): Promise<void> {
  if (req.method !== 'POST') return errorPage(res, 400);
  const body = await readBody(req);
  if (typeof body === 'number') {
    errorPage(res, body, { Connection: 'close' });
    req.socket.destroySoon?.();
    return;
  }
  let xml: string;
  try {
    xml = await rpc.handle(body);
  } catch (e) {
    if (e instanceof XmlRpcParseError) {
      deps.logger.trace(`XML-RPC request rejected: ${e.message}`);
      return errorPage(res, 400);
    }
    throw e;
  }
  if (res.destroyed) return;
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

function handleLogtail(req: http.IncomingMessage, res: http.ServerResponse, p: string, deps: HttpDeps): void {
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
    file = deps.api.processLogPath(name, channel as Channel);
  } catch {
    return errorPage(res, 404);
  }
  handleTail(req, res, file, deps, true);
}

function handleTail(req: http.IncomingMessage, res: http.ServerResponse, file: string | null, deps: HttpDeps, accelHeader: boolean): void {
  if (req.method !== 'GET') return errorPage(res, 400);
  if (!file || !fs.existsSync(file)) return errorPage(res, 404);
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain;charset=utf-8',
    'Last-Modified': fs.statSync(file).mtime.toUTCString(),
  };
  if (accelHeader) headers['X-Accel-Buffering'] = 'no';
  res.writeHead(200, headers);
  const follower = deps.followFile(file, (b) => res.write(b), { initialBytes: 1024 });
  const stop = () => follower.close();
  res.on('close', stop);
  req.on('close', stop);
}

function listenUnix(server: http.Server, cfg: HttpServerConfig): Promise<void> {
  const file = cfg.file!;
  return new Promise((resolve, reject) => {
    const attempt = (retried: boolean) => {
      const onError = (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EADDRINUSE' || retried) return reject(e);
        // Probe the existing socket: alive → refuse to start, stale → unlink and retry.
        const probe = net.connect(file);
        probe.once('connect', () => {
          probe.destroy();
          reject(new Error('Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.'));
        });
        probe.once('error', () => {
          process.stderr.write(`Unlinking stale socket ${file}\n`);
          fs.rmSync(file, { force: true });
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
          return reject(e);
        }
        resolve();
      });
    };
    attempt(false);
  });
}

export async function startHttpServers(configs: HttpServerConfig[], deps: HttpDeps): Promise<HttpServers> {
  const servers: Array<{ server: http.Server; cfg: HttpServerConfig }> = [];
  const urls: string[] = [];
  const sockets = new Set<net.Socket>();
  try {
    for (const cfg of configs) {
      const server = http.createServer({ requestTimeout: 60_000, headersTimeout: 30_000, keepAliveTimeout: 60_000 }, makeHandler(cfg, deps));
      // Deferred calls (start/stop with wait) can take as long as they take.
      server.requestTimeout = 0;
      server.on('clientError', (_e, socket) => {
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        else socket.destroy();
      });
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      if (cfg.kind === 'unix') {
        await listenUnix(server, cfg);
        urls.push(`unix://${cfg.file}`);
      } else {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host: cfg.host || undefined, port: cfg.port, backlog: 1024 }, () => {
            server.off('error', reject);
            resolve();
          });
        });
        urls.push(`http://${cfg.host || 'localhost'}:${cfg.port}`);
      }
      // svinit's own root-only container socket is not a configured server worth a CRIT line.
      if (!cfg.username && !cfg.implicit) deps.logger.critical(`Server '${cfg.section}' running without any HTTP authentication checking`);
      servers.push({ server, cfg });
    }
  } catch (e) {
    for (const { server } of servers) server.close();
    throw e;
  }
  return {
    urls,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map(({ server }) => new Promise<void>((r) => server.close(() => r()))));
      for (const { cfg } of servers) if (cfg.kind === 'unix') fs.rmSync(cfg.file!, { force: true });
    },
  };
}
