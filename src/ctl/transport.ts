// svctl's XML-RPC client: HTTP/1.1 over a unix socket or TCP, one keep-alive connection, Basic
// auth when both username and password are set (as supervisorctl does), no timeout (deferred
// calls such as start with wait take as long as they take).

import http from 'node:http';
import { decodeResponse, encodeRequest, type XmlRpcValue } from '../rpc/xmlrpc.js';

export class RpcFault extends Error {
  constructor(
    public readonly faultCode: number,
    public readonly faultString: string,
  ) {
    super(`<Fault ${faultCode}: '${faultString}'>`);
  }
}

export class ProtocolError extends Error {
  constructor(
    public readonly url: string,
    public readonly status: number,
    public readonly reason: string,
  ) {
    super(`<ProtocolError for ${url}: ${status} ${reason}>`);
  }
}

export interface ServerTarget {
  serverurl: string;
  username: string | null;
  password: string | null;
}

/** Where to connect for a serverurl: a unix socket path, or host and port. */
export function connectOptions(serverurl: string): { socketPath: string } | { host: string; port: number } {
  if (serverurl.startsWith('unix://')) return { socketPath: serverurl.slice('unix://'.length) };
  const u = new URL(serverurl);
  return { host: u.hostname || 'localhost', port: Number(u.port || 80) };
}

export function authHeader(t: ServerTarget): Record<string, string> {
  if (t.username === null || t.password === null || t.username === undefined || t.password === undefined) return {};
  return { Authorization: `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}` };
}

export class RpcClient {
  private agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(public target: ServerTarget) {}

  async call<T = XmlRpcValue>(method: string, ...params: XmlRpcValue[]): Promise<T> {
    const body = encodeRequest(method, params);
    const url = this.target.serverurl;
    const res = await new Promise<{ status: number; reason: string; body: Buffer }>((resolve, reject) => {
      const req = http.request(
        {
          ...connectOptions(url),
          agent: this.agent,
          method: 'POST',
          path: '/RPC2',
          headers: {
            'Content-Type': 'text/xml',
            'Content-Length': Buffer.byteLength(body),
            Accept: 'text/xml',
            ...(url.startsWith('unix://') ? { Host: 'localhost' } : {}),
            ...authHeader(this.target),
          },
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, reason: r.statusMessage ?? '', body: Buffer.concat(chunks) }));
          r.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    if (res.status !== 200) throw new ProtocolError(`${url}/RPC2`, res.status, res.reason);
    const decoded = decodeResponse(res.body);
    if ('fault' in decoded) throw new RpcFault(decoded.fault.faultCode, decoded.fault.faultString);
    return decoded.value as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
