// supervisorctl prints any exception a command did not handle as
// `error: <class>, <message>: file: <file> line: <n>` (asyncore.compact_traceback's innermost
// frame). Scripts grep these lines, so svctl writes the same text Debian's supervisorctl 4.2.5 on
// Python 3.11 writes for the errors that can reach it.

import { ProtocolError, RpcFault } from './transport.js';

const SUPERVISOR = '/usr/lib/python3/dist-packages/supervisor';
const PYTHON = '/usr/lib/python3.11';

/** An error raised by svctl itself where supervisorctl raises (e.g. ValueError for an unknown result code). */
export class CtlError extends Error {
  constructor(
    public readonly pyClass: string,
    message: string,
    public readonly where: string,
  ) {
    super(message);
  }
}

export function uncaughtLine(e: unknown): string {
  if (e instanceof ProtocolError) return `error: <class 'xmlrpc.client.ProtocolError'>, ${e.message}: file: ${SUPERVISOR}/xmlrpc.py line: 539`;
  if (e instanceof RpcFault) return `error: <class 'xmlrpc.client.Fault'>, ${e.message}: file: ${PYTHON}/xmlrpc/client.py line: 668`;
  if (e instanceof CtlError) return `error: <class '${e.pyClass}'>, ${e.message}: file: ${e.where}`;
  const err = e as NodeJS.ErrnoException;
  const tcp = (err as { address?: string }).address !== undefined && (err as { port?: number }).port !== undefined;
  // A unix socket fails in supervisor's UnixStreamHTTPConnection.connect; TCP inside Python's socket module.
  const where = tcp ? `${PYTHON}/socket.py line: 836` : `${SUPERVISOR}/xmlrpc.py line: 557`;
  switch (err?.code) {
    case 'ECONNREFUSED':
      return `error: <class 'ConnectionRefusedError'>, [Errno 111] Connection refused: file: ${where}`;
    case 'ENOENT':
      return `error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory: file: ${where}`;
    case 'EACCES':
      return `error: <class 'PermissionError'>, [Errno 13] Permission denied: file: ${where}`;
    case 'ECONNRESET':
      return `error: <class 'ConnectionResetError'>, [Errno 104] Connection reset by peer: file: ${PYTHON}/http/client.py line: 279`;
    case 'ENOTSOCK':
      return `error: <class 'OSError'>, [Errno 88] Socket operation on non-socket: file: ${where}`;
    default:
      return `error: <class '${err?.name ?? 'Error'}'>, ${err?.code ? `[${err.code}] ` : ''}${err?.message ?? String(e)}: file: svctl line: 0`;
  }
}

export const SUPERVISORCTL_PY = `${SUPERVISOR}/supervisorctl.py`;
