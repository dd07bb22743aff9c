// supervisord's HTTP servers: one per [unix_http_server] / [inet_http_server] section, Basic auth
// on every endpoint, XML-RPC at /RPC2, log tails, and the web UI. Malformed or hostile requests
// get a 4xx and never take the server (or svinit) down.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { HttpServerConfig } from '../config/types.js';
import type { SupervisorApi } from '../engine/types.js';
import type { ActivityLogger } from '../logging/types.js';
import { createRpcDispatcher } from '../rpc/methods.js';
import { XmlRpcParseError } from '../rpc/xmlrpc.js';
import { readBody } from './body.js';
import { currentCap, DEFAULT_TIMEOUTS, guardServer, type HttpTimeouts } from './connections.js';
import { errorPage } from './error-page.js';
import { listenUnix } from './unix-socket.js';
import { handleLogtail, handleTail } from './logtail.js';
import { handleProbe, PROBE_PATHS, type ProbeSource } from './probes.js';
import { handleWeb } from './web.js';

export const MAX_BODY = 2 * 1024 * 1024;

export interface HttpDeps {
  api: SupervisorApi;
  logger: ActivityLogger;
  mainLogPath: () => string | null;
  /** Tests shorten these; the daemon uses DEFAULT_TIMEOUTS. */
  timeouts?: HttpTimeouts;
  /** Connections per server; by default derived from the descriptor limit (connectionCap). */
  maxConnections?: number;
  /** /healthz, /readyz and /metrics (behind this server's auth like every other path). */
  probes?: ProbeSource;
  /** Told of every XML-RPC request: method name, and fault name or null (for /metrics). */
  onRpcRequest?: (method: string, fault: string | null) => void;
}

export interface HttpServers {
  close(): Promise<void>;
  urls: string[];
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
      if (p.startsWith('/logtail')) return handleLogtail(req, res, p, deps.api);
      if (p.startsWith('/mainlogtail')) return handleTail(req, res, deps.mainLogPath(), false);
      if (p === '/ok.html') {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
        res.end('OK');
        return;
      }
      return await handleWeb(req, res, url, rpc, cfg);
    } catch (e) {
      // One line at ERROR; the stack only for whoever debugs svinit itself.
      deps.logger.error(`HTTP ${req.method} ${p}: ${(e as Error).message ?? e}`);
      deps.logger.debug(`HTTP ${req.method} ${p}: ${(e as Error).stack ?? e}`);
      errorPage(res, 500);
    }
  };
}

async function handleRpc(req: http.IncomingMessage, res: http.ServerResponse, rpc: ReturnType<typeof createRpcDispatcher>, deps: HttpDeps): Promise<void> {
  if (req.method !== 'POST') return errorPage(res, 400);
  const body = await readBody(req, MAX_BODY, (deps.timeouts ?? DEFAULT_TIMEOUTS).bodyMs);
  if (!Buffer.isBuffer(body)) {
    deps.logger.warn(`HTTP ${req.method} ${req.url}: request refused (${body.status}): ${body.reason}`);
    errorPage(res, body.status, { Connection: 'close' });
    req.socket?.destroySoon?.();
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

/**
 * Node checks every server's open connections for expired header times on an interval that runs
 * from listen() to close(), connected or not: the one timer that woke an idle svinit several times
 * a minute. Run it only while a connection is open. Node keeps that interval behind its own
 * 'listening' listener and a symbol; when either is missing (another Node version) nothing changes.
 */
function checkOnlyWhileConnected(server: http.Server): void {
  const start = server.listeners('listening').find((f) => f.name === 'setupConnectionsTracking') as (() => void) | undefined;
  const key = Object.getOwnPropertySymbols(server).find((k) => k.description === 'http.server.connectionsCheckingInterval');
  if (!start || !key) return;
  const slot = server as unknown as Record<symbol, NodeJS.Timeout | undefined>;
  const pause = (): void => {
    clearInterval(slot[key]);
    slot[key] = undefined;
  };
  let open = 0;
  server.on('connection', (s: net.Socket) => {
    if (open++ === 0) start.call(server);
    s.on('close', () => {
      if (--open === 0 && server.listening) pause();
    });
  });
  pause();
}

export async function startHttpServers(configs: HttpServerConfig[], deps: HttpDeps): Promise<HttpServers> {
  const servers: Array<{ server: http.Server; cfg: HttpServerConfig }> = [];
  const urls: string[] = [];
  const sockets = new Set<net.Socket>();
  const timeouts = deps.timeouts ?? DEFAULT_TIMEOUTS;
  try {
    for (const cfg of configs) {
      const server = http.createServer({ requestTimeout: 0, headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkMs }, makeHandler(cfg, deps));
      // Deferred calls (start/stop with wait) can take as long as they take: no request time-out;
      // the body has its own (readBody), the headers theirs (guardServer).
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      if (cfg.kind === 'unix') {
        await listenUnix(server, cfg, deps.logger);
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
      checkOnlyWhileConnected(server);
      guardServer(server, cfg.section, deps.maxConnections ?? currentCap(configs.length), timeouts, deps.logger);
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
