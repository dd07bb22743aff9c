// supervisord's (medusa's) HTTP error page, shared by the server's endpoints and the web UI.

import type http from 'node:http';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  411: 'Length Required',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function errorPage(res: http.ServerResponse, code: number, extraHeaders: Record<string, string> = {}): void {
  const body = `<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code ${code}.\r\n<p>Message: ${REASONS[code] ?? 'Error'}.\r\n</body>\r\n`;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(code, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}
