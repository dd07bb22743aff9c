// svctl's side of the wire: XML-RPC over HTTP/1.1 to a unix socket or TCP port on one keep-alive
// connection (supervisor's SupervisorTransport), and the raw streaming GET that `tail -f` and `fg`
// read (supervisor's http_client.HTTPHandler).

import http from 'node:http';
import { decodeResponse, encodeRequest, type XmlRpcValue } from '../rpc/xmlrpc.js';

/** An XML-RPC fault returned by the server (xmlrpclib.Fault). */
export class RpcFault extends Error {
  constructor(
    public readonly faultCode: number,
    public readonly faultString: string,
  ) {
    super(`<Fault ${faultCode}: ${pyRepr(faultString)}>`);
  }
}

/** A non-200 HTTP answer to an XML-RPC POST (xmlrpclib.ProtocolError). */
export class ProtocolError extends Error {
  constructor(
    /** supervisorctl's ServerProxy always targets the fake `http://127.0.0.1`, so this is fixed. */
    public readonly url: string,
    public readonly errcode: number,
    public readonly errmsg: string,
  ) {
    super(`<ProtocolError for ${url}: ${errcode} ${errmsg}>`);
  }
}

export interface ServerTarget {
  serverurl: string;
  username: string | null;
  password: string | null;
}

/** Python's repr() of a str, as supervisorctl prints it in `Error: bad channel %r`. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** Where to connect for a serverurl: a unix socket path, or host and port (80 by default). */
export function connectOptions(serverurl: string): { socketPath: string; host: string } | { host: string; port: number } {
  // unix sockets get `Host: localhost`, as supervisor's UnixStreamHTTPConnection('localhost').
  if (serverurl.startsWith('unix://')) return { socketPath: serverurl.slice('unix://'.length), host: 'localhost' };
  const u = new URL(serverurl);
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost', port: Number(u.port || 80) };
}

function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/**
 * How a connection-level failure reads in supervisorctl's upcheck: ECONNREFUSED and ENOENT have
 * their own words, anything else is not classified (and ends as an uncaught error line).
 */
export function connectionFailure(e: unknown): 'refused connection' | 'no such file' | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ECONNREFUSED') return 'refused connection';
  if (code === 'ENOENT') return 'no such file';
  return null;
}

/** A server that accepted the connection and did not answer in time (svinit's own, not supervisorctl's). */
export class NoAnswer extends Error {
  constructor(
    public readonly serverurl: string,
    public readonly seconds: number,
  ) {
    super(`${serverurl} did not answer within ${seconds} seconds (svctl --timeout=SECONDS waits longer, 0 for ever)`);
  }
}

/** How long svctl waits for an answer by default (supervisorctl waits for ever). */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** Calls that answer only when programs have started or stopped: they wait as long as that takes. */
const WAITING_CALLS = /^supervisor\.(start|stop)(Process|ProcessGroup|AllProcesses)$/;

/**
 * XML-RPC client on one persistent connection. A call that gets no answer within `timeoutSeconds`
 * (0: no limit) fails with NoAnswer, except start/stop calls, which wait for the programs (the
 * version check before every command has already shown that the server answers).
 */
export class RpcClient {
  private agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    public target: ServerTarget,
    public timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
  ) {}

  /** Points the client at another server (the shell's `open`); the old connection is dropped. */
  retarget(target: ServerTarget): void {
    this.target = target;
    this.agent.destroy();
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  async call<T = XmlRpcValue>(method: string, ...params: XmlRpcValue[]): Promise<T> {
    const body = encodeRequest(method, params);
    const { serverurl, username, password } = this.target;
    const headers: Record<string, string | number> = {
      'User-Agent': 'svctl (supervisorctl compatible)',
      'Content-Type': 'text/xml',
      Accept: 'text/xml',
      'Content-Length': Buffer.byteLength(body),
    };
    // supervisorctl sends credentials only when both are set.
    if (username !== null && password !== null) headers.Authorization = basic(username, password);
    const res = await new Promise<{ status: number; reason: string; body: Buffer }>((resolve, reject) => {
      const req = http.request({ ...connectOptions(serverurl), agent: this.agent, method: 'POST', path: '/RPC2', headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, reason: r.statusMessage ?? '', body: Buffer.concat(chunks) }));
        r.on('error', reject);
      });
      req.on('error', reject);
      if (this.timeoutSeconds > 0 && !WAITING_CALLS.test(method)) {
        const timer = setTimeout(() => {
          reject(new NoAnswer(serverurl, this.timeoutSeconds));
          req.destroy();
          // The kept-alive connection is the one that hangs: the next call gets a new one.
          this.retarget(this.target);
        }, this.timeoutSeconds * 1000);
        req.on('close', () => clearTimeout(timer));
      }
      req.end(body);
    });
    if (res.status !== 200) throw new ProtocolError('127.0.0.1/RPC2', res.status, res.reason);
    const decoded = decodeResponse(res.body);
    if ('fault' in decoded) throw new RpcFault(decoded.fault.faultCode, decoded.fault.faultString);
    return decoded.value as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LogStream {
  /** Resolves when the stream ends: server closed it, an error, or close(). */
  done: Promise<void>;
  /** Stops reading from the server (svctl's stdout is full), until resume(). */
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * GET `<path>` and hand each body piece to onData as it arrives (chunked or not), like supervisor's
 * HTTPHandler: a non-200 status or a connection failure is reported through onError with the
 * same words (`<url> Cannot read, status code N`).
 */
export function streamLog(target: ServerTarget, path: string, onData: (data: Buffer) => void, onError: (line: string) => void): LogStream {
  const url = target.serverurl + path;
  // HTTP/1.1's default keep-alive stated outright: Node would otherwise send `Connection: close`
  // without an agent, and supervisord's medusa then holds the whole (endless) body back.
  const headers: Record<string, string> = { 'Accept-Encoding': 'chunked', Accept: '*/*', 'User-agent': 'Supervisor HTTP Client', Connection: 'keep-alive' };
  // Quirk kept: HTTPHandler sends credentials whenever a password is set, even without a username.
  if (target.password) headers.Authorization = basic(target.username ?? 'None', target.password);
  let req: http.ClientRequest | null = null;
  let response: http.IncomingMessage | null = null;
  let paused = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  try {
    req = http.request({ ...connectOptions(target.serverurl), agent: false, method: 'GET', path, headers }, (res) => {
      if (res.statusCode !== 200) {
        onError(`${url} Cannot read, status code ${res.statusCode}`);
        res.destroy();
        finish();
        return;
      }
      response = res;
      if (paused) res.pause();
      res.on('data', onData);
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!closed) onError(`${url} Cannot connect, error: ${e.code ?? e.name} (${e.message})`);
      finish();
    });
    req.end();
  } catch (e) {
    onError(`${url} Cannot connect, error: ${(e as Error).message}`);
    finish();
  }
  let closed = false;
  return {
    done,
    pause() {
      paused = true;
      response?.pause();
    },
    resume() {
      paused = false;
      response?.resume();
    },
    close() {
      closed = true;
      req?.destroy();
      finish();
    },
  };
}
