// The web status page (supervisord's web.py): a table of processes with actions, a tail page, a
// banner for the last action's message, and a gentle auto-refresh. It drives the same RPC methods
// as every other client.
//
// Unlike supervisord, an action runs only on a POST from the page's own origin (a link or an
// <img> on another site cannot stop a program), and the redirect after it is relative, so the
// Host header a client sends is never echoed back.

import type http from 'node:http';
import type { HttpServerConfig } from '../config/types.js';
import { Faults } from '../engine/errors.js';
import type { RpcDispatcher } from '../rpc/methods.js';
import type { XmlRpcValue } from '../rpc/xmlrpc.js';
import { readBody } from './body.js';
import { errorPage } from './error-page.js';

/** A form post is two short fields; anything bigger is not from the page. */
const MAX_FORM_BYTES = 8 * 1024;

const NO_CACHE = { Pragma: 'no-cache', 'Cache-Control': 'no-cache', Expires: 'Thu, 01 Jan 1970 00:00:00 GMT', 'Content-Type': 'text/html;charset=utf-8' };

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.3em}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #ddd}
.statusrunning{color:#1a7f37;font-weight:600}.statuserror{color:#c62828;font-weight:600}.statusnominal{color:#666}
.message{background:#fff8c5;border:1px solid #d4a72c;padding:.5em 1em;margin:1em 0}
ul.actions{list-style:none;margin:0;padding:0;display:flex;gap:.8em}
.buttons{display:flex;gap:.6em}form{display:inline;margin:0}
button{font:inherit;padding:.2em .7em;border:1px solid #888;border-radius:4px;background:#fff;color:#222;cursor:pointer}
pre{background:#f6f8fa;padding:1em;overflow:auto}footer{margin-top:2em;color:#888;font-size:.85em}`;

interface Info {
  name: string;
  group: string;
  statename: string;
  description: string;
}

const namespec = (i: Info) => (i.group === i.name ? i.name : `${i.group}:${i.name}`);

function statusClass(state: string): string {
  if (state === 'RUNNING') return 'statusrunning';
  if (state === 'BACKOFF' || state === 'FATAL') return 'statuserror';
  return 'statusnominal';
}

function faultText(e: unknown): { code: number; text: string } {
  const f = e as { code?: number; message?: string };
  return { code: f.code ?? Faults.FAILED, text: f.message ?? String(e) };
}

const ERR_WORDS: Record<number, string> = {
  [Faults.NO_FILE]: 'no such file',
  [Faults.NOT_EXECUTABLE]: 'file not executable',
  [Faults.ALREADY_STARTED]: 'already started',
  [Faults.SPAWN_ERROR]: 'spawn error',
  [Faults.ABNORMAL_TERMINATION]: 'abnormal termination',
};

/** Runs a page action like supervisord's StatusView.make_callback and returns the banner message. */
async function runAction(rpc: RpcDispatcher, action: string, ns: string): Promise<string> {
  const now = new Date().toString();
  try {
    switch (action) {
      case 'refresh':
        return `Page refreshed at ${now}`;
      case 'stopall':
        await rpc.call('supervisor.stopAllProcesses', []);
        return `All stopped at ${now}`;
      case 'restartall':
        await rpc.call('supervisor.stopAllProcesses', []);
        await rpc.call('supervisor.startAllProcesses', []);
        return `All restarted at ${now}`;
      case 'start':
        await rpc.call('supervisor.startProcess', [ns]);
        return `Process ${ns} started`;
      case 'stop':
        await rpc.call('supervisor.stopProcess', [ns]);
        return `Process ${ns} stopped`;
      case 'restart':
        await rpc.call('system.multicall', [[{ methodName: 'supervisor.stopProcess', params: [ns] } as XmlRpcValue]]);
        await rpc.call('supervisor.startProcess', [ns]);
        return `Process ${ns} restarted`;
      case 'clearlog':
        await rpc.call('supervisor.clearProcessLogs', [ns]);
        return `Log for ${ns} cleared`;
      default:
        return `Unknown action ${action}`;
    }
  } catch (e) {
    const f = faultText(e);
    if (f.code === Faults.BAD_NAME) return `No such process named ${ns}`;
    if (ERR_WORDS[f.code]) return `ERROR: Process ${ns}: ${ERR_WORDS[f.code]}`;
    return `unexpected rpc fault [${f.code}] ${f.text}`;
  }
}

/** A button that POSTs one action to the status page. */
function actionButton(action: string, label: string, ns?: string): string {
  const target = ns === undefined ? '' : `<input type="hidden" name="processname" value="${esc(ns)}">`;
  return `<form method="post" action="index.html">${target}<button type="submit" name="action" value="${action}" id="${ns === undefined ? action : `${action}-${esc(ns)}`}">${label}</button></form>`;
}

function actionsFor(i: Info): string {
  const ns = encodeURIComponent(namespec(i));
  const link = (action: string, label: string) => `<li>${actionButton(action, label, namespec(i))}</li>`;
  const tails = `<li><a href="logtail/${ns}" name="tail" target="_blank">Tail -f Stdout</a></li><li><a href="logtail/${ns}/stderr" name="tailstderr" target="_blank">Tail -f Stderr</a></li>`;
  if (i.statename === 'RUNNING') return link('restart', 'Restart') + link('stop', 'Stop') + link('clearlog', 'Clear Log') + tails;
  if (['STOPPED', 'EXITED', 'FATAL'].includes(i.statename)) return link('start', 'Start') + link('clearlog', 'Clear Log') + tails;
  return link('clearlog', 'Clear Log') + tails;
}

function page(title: string, body: string, refresh: boolean): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>${refresh ? '<meta http-equiv="refresh" content="5;url=index.html">' : ''}
<link rel="stylesheet" href="stylesheets/supervisor.css"></head>
<body>${body}<footer>svinit, supervisord 4.2.5 compatible</footer></body></html>`;
}

export async function handleWeb(req: http.IncomingMessage, res: http.ServerResponse, url: URL, rpc: RpcDispatcher, _cfg: HttpServerConfig): Promise<void> {
  const p = url.pathname;
  if (p === '/stylesheets/supervisor.css') {
    res.writeHead(200, { 'Content-Type': 'text/css', 'Content-Length': Buffer.byteLength(CSS) });
    res.end(CSS);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') return errorPage(res, 405, { Allow: 'GET, HEAD, POST' });
  if (p === '/' || p === '/index.html') {
    if (req.method === 'POST') return postAction(req, res, url, rpc);
    const infos = (await rpc.call('supervisor.getAllProcessInfo', [])) as unknown as Info[];
    const message = url.searchParams.get('message');
    const rows = infos
      .map(
        (i) => `<tr id="proc-${esc(namespec(i))}"><td class="status"><span class="${statusClass(i.statename)}">${esc(i.statename.toLowerCase())}</span></td>
<td class="description">${esc(i.description)}</td>
<td class="name"><a href="tail.html?processname=${esc(encodeURIComponent(namespec(i)))}" target="_blank">${esc(namespec(i))}</a></td>
<td class="action"><ul class="actions">${actionsFor(i)}</ul></td></tr>`,
      )
      .join('\n');
    const body = `<h1>Supervisor Status</h1>
${message ? `<div class="message" id="message">${esc(message)}</div>` : ''}
<div class="buttons">${actionButton('refresh', 'Refresh')}${actionButton('restartall', 'Restart All')}${actionButton('stopall', 'Stop All')}</div>
${infos.length ? `<table><thead><tr><th>State</th><th>Description</th><th>Name</th><th>Action</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No programs to manage</p>'}`;
    const html = page('Supervisor Status', body, !message);
    res.writeHead(200, { ...NO_CACHE, 'Content-Length': Buffer.byteLength(html) });
    res.end(req.method === 'HEAD' ? undefined : html);
    return;
  }
  if (p === '/tail.html') {
    if (req.method === 'POST') return errorPage(res, 405, { Allow: 'GET, HEAD' });
    const ns = url.searchParams.get('processname') ?? '';
    const limit = Math.max(1024, Number(url.searchParams.get('limit') ?? 1024) || 1024);
    let text: string;
    try {
      text = (await rpc.call('supervisor.readProcessStdoutLog', [ns, -limit, 0])) as string;
    } catch {
      text = `No file for ${ns}`;
    }
    const html = page(`${ns} tail`, `<h1>${esc(ns)}</h1><pre id="tail">${esc(text)}</pre><a href="tail.html?processname=${esc(encodeURIComponent(ns))}&amp;limit=${limit}">Refresh</a>`, false);
    res.writeHead(200, { ...NO_CACHE, 'Content-Length': Buffer.byteLength(html) });
    res.end(html);
    return;
  }
  errorPage(res, 404);
}

/**
 * Is this POST from a page of this server? Browsers send Origin with every POST (and
 * Sec-Fetch-Site); a client that sends neither is not a browser another site could drive.
 */
function sameOrigin(req: http.IncomingMessage): boolean {
  const host = req.headers.host;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    try {
      return origin !== 'null' && new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  return true;
}

/** Runs the posted action, then sends the browser back to the page with the banner (303: GET it). */
async function postAction(req: http.IncomingMessage, res: http.ServerResponse, url: URL, rpc: RpcDispatcher): Promise<void> {
  if (!sameOrigin(req)) return errorPage(res, 403, { Connection: 'close' });
  const body = await readBody(req, MAX_FORM_BYTES);
  if (!Buffer.isBuffer(body)) return errorPage(res, body.status, { Connection: 'close' });
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('action') ?? url.searchParams.get('action');
  if (!action) return errorPage(res, 400);
  const message = await runAction(rpc, action, form.get('processname') ?? url.searchParams.get('processname') ?? '');
  res.writeHead(303, { Location: `index.html?message=${encodeURIComponent(message)}`, 'Content-Type': 'text/plain', 'Content-Length': 0 });
  res.end();
}
