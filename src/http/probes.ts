// Kubernetes-style probes and metrics: GET /healthz, /readyz and /metrics, answered on svinit's
// own event loop. They are routed from the supervisord HTTP servers (behind their Basic auth like
// every other path) and served alone, without auth, by the `[probe_http_server]` listener, which
// answers nothing else: no /RPC2, no web UI, 404 for any other path. See docs/kubernetes.md.

import http from 'node:http';
import type { EventEmitter } from 'node:events';
import type { AutoRestart } from '../config/types.js';
import type { EngineFacts } from '../engine/facts.js';
import { ProcessState, SupervisorState, processStateName } from '../engine/states.js';
import type { ActivityLogger } from '../logging/types.js';
import { CONTENT_TYPE } from '../metrics/exposition.js';

export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** What readiness reads of one process (a structural subset of the engine's Process). */
export interface ReadinessView {
  readonly name: string;
  readonly group: string;
  readonly state: ProcessState;
  readonly laststart: number;
  readonly administrativeStop: boolean;
  readonly exitstatus: number | null;
  readonly spawnerr: string | null;
  readonly config: { autostart: boolean; autorestart: AutoRestart; exitcodes: number[] };
  /** depends_on: what a held-back process waits for, or null. */
  readonly waitingFor?: string | null;
}

export interface ProbeSource {
  mood(): SupervisorState;
  processes(): Iterable<ReadinessView>;
  /** Extra readiness of a RUNNING process (readiness checks); null when ready. */
  notReadyWhileRunning?(proc: ReadinessView): string | null;
  /** Why svinit is failing as a whole (an essential program failed), or null. */
  essentialFailure?(): string | null;
  metrics(): string;
}

/** Why one process keeps svinit from being ready, or null when it does not. */
export function notReadyReason(p: ReadinessView, src: Pick<ProbeSource, 'notReadyWhileRunning'>): string | null {
  switch (p.state) {
    case ProcessState.RUNNING:
      return src.notReadyWhileRunning?.(p) ?? null;
    case ProcessState.STOPPED:
      // Stopped by an operator, or never meant to start: not svinit's business to report.
      if (p.administrativeStop || (!p.laststart && !p.config.autostart)) return null;
      if (p.waitingFor) return `STOPPED (${p.waitingFor})`;
      return p.laststart ? 'STOPPED' : 'STOPPED (not started yet)';
    case ProcessState.EXITED: {
      const expected = p.config.exitcodes.includes(p.exitstatus ?? -1);
      // A one-shot that finished as expected is done, not failing.
      if (expected && p.config.autorestart !== true) return null;
      return `EXITED (exit status ${p.exitstatus ?? -1})`;
    }
    default:
      return p.spawnerr && p.state !== ProcessState.STARTING ? `${processStateName(p.state)} (${p.spawnerr})` : processStateName(p.state);
  }
}

export interface Readiness {
  ready: boolean;
  /** One line per reason, e.g. `web: STARTING`. */
  reasons: string[];
}

export function readiness(src: ProbeSource): Readiness {
  const mood = src.mood();
  if (mood === SupervisorState.SHUTDOWN) return { ready: false, reasons: ['svinit: shutting down'] };
  if (mood !== SupervisorState.RUNNING) return { ready: false, reasons: ['svinit: restarting'] };
  const reasons: string[] = [];
  const essential = src.essentialFailure?.();
  if (essential) reasons.push(`svinit: ${essential}`);
  for (const p of src.processes()) {
    const why = notReadyReason(p, src);
    if (why) reasons.push(`${p.group === p.name ? p.name : `${p.group}:${p.name}`}: ${why}`);
  }
  return { ready: reasons.length === 0, reasons };
}

function send(req: http.IncomingMessage, res: http.ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Answers one of PROBE_PATHS. */
export function handleProbe(req: http.IncomingMessage, res: http.ServerResponse, path: string, src: ProbeSource): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(req, res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  if (path === '/healthz') {
    // Answered by the loop itself: if this handler runs, svinit's loop is responsive.
    const down = src.mood() === SupervisorState.SHUTDOWN;
    return send(req, res, down ? 503 : 200, 'text/plain; charset=utf-8', down ? 'shutting down\n' : 'ok\n');
  }
  if (path === '/readyz') {
    const r = readiness(src);
    return send(req, res, r.ready ? 200 : 503, 'text/plain; charset=utf-8', r.ready ? 'ready\n' : `not ready:\n${r.reasons.join('\n')}\n`);
  }
  return send(req, res, 200, CONTENT_TYPE, src.metrics());
}

/**
 * Logs when svinit first becomes ready after (re)starting, and when shutdown makes it not ready:
 * the latter is logged before the first program is signalled, as /readyz answers 503 from then on.
 */
export function logReadiness(facts: EventEmitter<EngineFacts>, src: ProbeSource, logger: ActivityLogger): void {
  let announced = false;
  let pending = false;
  const check = () => {
    pending = false;
    if (announced || src.mood() !== SupervisorState.RUNNING) return;
    if (!readiness(src).ready) return;
    announced = true;
    logger.info('readiness: ready (/readyz answers 200)');
  };
  const schedule = () => {
    if (announced || pending) return;
    pending = true;
    setImmediate(check);
  };
  facts.on('processState', schedule);
  facts.on('supervisorState', (s) => {
    if (s === 'STOPPING') {
      announced = false;
      logger.info(`readiness: not ready, ${src.mood() === SupervisorState.SHUTDOWN ? 'shutting down' : 'restarting'} (/readyz answers 503)`);
    } else schedule();
  });
}

export interface ProbeServerConfig {
  host: string;
  port: number;
}

export interface ProbeServer {
  url: string;
  close(): Promise<void>;
}

/** The `[probe_http_server]` listener: the three probe paths, no auth, nothing else. */
export function startProbeServer(cfg: ProbeServerConfig, src: ProbeSource): Promise<ProbeServer> {
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 10_000 }, (req, res) => {
    res.setHeader('Server', 'svinit');
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.resume();
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      path = '';
    }
    if (PROBE_PATHS.has(path)) return handleProbe(req, res, path, src);
    send(req, res, 404, 'text/plain; charset=utf-8', 'not found: this port answers /healthz, /readyz and /metrics only\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: cfg.host || undefined, port: cfg.port, backlog: 511 }, () => {
      server.off('error', reject);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
      resolve({
        url: `http://${cfg.host || 'localhost'}:${port}`,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            // Node's default clientError handling answers 400 to malformed requests; keep-alive
            // connections of probes are simply dropped at close.
            server.closeAllConnections();
          }),
      });
    });
  });
}
