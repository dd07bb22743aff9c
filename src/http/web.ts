// The web status page (supervisord's web.py, spec §9): a table of processes with actions, a tail
// page, a banner for the last action's message, and a gentle auto-refresh. It drives the same RPC
// methods as every other client.

import type http from 'node:http';
import type { HttpServerConfig } from '../config/types.js';
import type { RpcDispatcher } from '../rpc/methods.js';
import type { XmlRpcValue } from '../rpc/xmlrpc.js';
import { errorPage } from './server.js';

const NO_CACHE = { Pragma: 'no-cache', 'Cache-Control': 'no-cache', Expires: 'Thu, 01 Jan 1970 00:00:00 GMT', 'Content-Type': 'text/html;charset=utf-8' };

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.3em}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #ddd}
.statusrunning{color:#1a7f37;font-weight:600}.statuserror{color:#c62828;font-weight:600}.statusnominal{color:#666}
.message{background:#fff8c5;border:1px solid #d4a72c;padding:.5em 1em;margin:1em 0}
ul.actions{list-style:none;margin:0;padding:0;display:flex;gap:.8em}
.buttons a{display:inline-block;margin-right:.6em;padding:.3em .8em;border:1px solid #888;border-radius:4px;text-decoration:none;color:#222}
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
  return { code: f.code ?? 30, text: f.message ?? String(e) };
}

const ERR_WORDS: Record<number, string> = { 20: 'no such file', 21: 'file not executable', 60: 'already started', 50: 'spawn error', 40: 'abnormal termination' };

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
    if (f.code === 10) return `No such process named ${ns}`;
    if (ERR_WORDS[f.code]) return `ERROR: Process ${ns}: ${ERR_WORDS[f.code]}`;
    return `unexpected rpc fault [${f.code}] ${f.text}`;
  }
}

function actionsFor(i: Info): string {
  const ns = encodeURIComponent(namespec(i));
  const link = (action: string, label: string) => `<li><a href="index.html?processname=${ns}&amp;action=${action}" name="${action}">${label}</a></li>`;
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
  if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') return errorPage(res, 405);
  if (p === '/' || p === '/index.html') {
    const action = url.searchParams.get('action');
    if (action) {
      const message = await runAction(rpc, action, url.searchParams.get('processname') ?? '');
      const host = req.headers.host ?? 'localhost';
      res.writeHead(301, { Location: `http://${host}/?message=${encodeURIComponent(message)}`, 'Content-Type': 'text/plain', 'Content-Length': 0 });
      res.end();
      return;
    }
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
<div class="buttons"><a href="index.html?action=refresh" id="refresh">Refresh</a><a href="index.html?action=restartall" id="restartall">Restart All</a><a href="index.html?action=stopall" id="stopall">Stop All</a></div>
${infos.length ? `<table><thead><tr><th>State</th><th>Description</th><th>Name</th><th>Action</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No programs to manage</p>'}`;
    const html = page('Supervisor Status', body, !message);
    res.writeHead(200, { ...NO_CACHE, 'Content-Length': Buffer.byteLength(html) });
    res.end(req.method === 'HEAD' ? undefined : html);
    return;
  }
  if (p === '/tail.html') {
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
