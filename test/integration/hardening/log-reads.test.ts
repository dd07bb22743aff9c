// The log-reading calls read only the window they are asked for. Against Debian's supervisord, the
// same battery of readProcessStdoutLog / tailProcessStdoutLog windows (and a channel whose log file
// is /dev/null) gets the same answers from both daemons; on svinit alone, a 1 GiB log read whole
// gets the response cap's Fault without svinit's memory growing, and a small window of it is served.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults } from '../../../src/engine/errors.js';
import { MAX_LOG_WINDOW } from '../../../src/engine/log-access.js';
import { MAX_RESPONSE_BYTES } from '../../../src/rpc/methods.js';
import { startDaemon, waitFor, type Daemon } from '../../helpers/daemon.js';
import { KINDS, onDaemon, type Kind } from '../fidelity/oracle.js';

const execFileP = promisify(execFile);

/** Runs every call in one Python process with supervisor's own transport; a Fault is {fault: …}. */
const BATCH_PY = `
import json, sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
url, calls = sys.argv[1], json.loads(sys.argv[2])
proxy = xmlrpc.client.ServerProxy('http://127.0.0.1', SupervisorTransport(None, None, url))
out = []
for method, *args in calls:
    fn = proxy
    for part in method.split('.'):
        fn = getattr(fn, part)
    try:
        out.append(fn(*args))
    except xmlrpc.client.Fault as f:
        out.append({'fault': [f.faultCode, f.faultString]})
print(json.dumps(out))
`;

async function batch(url: string, calls: unknown[][]): Promise<unknown[]> {
  const { stdout } = await execFileP('/usr/bin/python3', ['-c', BATCH_PY, url, JSON.stringify(calls)], { maxBuffer: 64 << 20, timeout: 30_000 });
  return JSON.parse(stdout) as unknown[];
}

/** The status line of GET path on a unix socket (a tail never ends: the rest is not awaited). */
function statusLine(socket: string, p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socket, () => s.write(`GET ${p} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
    const timer = setTimeout(() => {
      s.destroy();
      resolve('no status line within 10 s');
    }, 10_000);
    let text = '';
    s.on('data', (c) => {
      text += c;
      const i = text.indexOf('\r\n');
      if (i >= 0) {
        clearTimeout(timer);
        s.destroy();
        resolve(text.slice(0, i));
      }
    });
    s.on('error', reject);
  });
}

const CONTENT = Array.from({ length: 10 }, (_, i) => `line ${i} ${'-'.repeat(i)}\n`).join('');

const WINDOWS: Array<[number, number]> = [
  [0, 0],
  [10, 20],
  [CONTENT.length - 5, 100],
  [CONTENT.length + 50, 10],
  [CONTENT.length + 50, 0],
  [-30, 0],
  [-5000, 0],
  [-1, 5],
  [0, -1],
  [5, 2 ** 31 - 1],
];
const TAILS: Array<[number, number]> = [
  [0, 10],
  [0, 0],
  [CONTENT.length - 3, 10],
  [50, 1000],
  [CONTENT.length + 50, 10],
  [0, 2 ** 31 - 1],
];

async function observe(kind: Kind): Promise<Record<string, unknown>> {
  const seen: Record<string, unknown> = {};
  await onDaemon(
    kind,
    (dir) => `
[unix_http_server]
file=${dir}/sv.sock
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://${dir}/sv.sock
[program:filed]
command=/bin/sh -c "printf '${CONTENT.replace(/\n/g, '\\\\n')}'; exec sleep 1000"
stdout_logfile=${dir}/filed.log
startsecs=0
[program:nulled]
command=/bin/sh -c "echo to-the-void; echo err-too >&2; exec sleep 1000"
stdout_logfile=/dev/null
stderr_logfile=/dev/null
startsecs=0
`,
    async (d) => {
      await d.waitLine(/success: filed entered RUNNING/);
      await d.waitLine(/success: nulled entered RUNNING/);
      const url = `unix://${d.dir}/sv.sock`;
      const calls: unknown[][] = [];
      for (const [o, l] of WINDOWS) calls.push(['supervisor.readProcessStdoutLog', 'filed', o, l]);
      for (const [o, l] of TAILS) calls.push(['supervisor.tailProcessStdoutLog', 'filed', o, l]);
      for (const ch of ['Stdout', 'Stderr']) {
        calls.push([`supervisor.readProcess${ch}Log`, 'nulled', 0, 0], [`supervisor.readProcess${ch}Log`, 'nulled', -100, 0], [`supervisor.readProcess${ch}Log`, 'nulled', 0, 100]);
        calls.push([`supervisor.tailProcess${ch}Log`, 'nulled', 0, 100]);
      }
      const results = await batch(url, calls);
      calls.forEach((c, i) => (seen[JSON.stringify(c)] = results[i]));
      for (const [client, cmd] of [
        ['supervisorctl', ['/usr/bin/supervisorctl', '-c', d.conf]],
        ['svctl', [process.execPath, path.join(__dirname, '../../../dist/svctl.cjs'), '-c', d.conf]],
      ] as const) {
        const r = await execFileP(cmd[0], [...cmd.slice(1), 'tail', 'nulled'], { timeout: 30_000 }).catch((e: { stdout: string; code: number }) => ({ stdout: `${e.code}: ${e.stdout}` }));
        seen[`${client} tail nulled`] = r.stdout;
      }
      seen['GET /logtail/nulled'] = await statusLine(`${d.dir}/sv.sock`, '/logtail/nulled');
    },
  );
  return seen;
}

describe('log reads answer what supervisord answers', () => {
  it('the same windows of a log file, and a /dev/null log, on both daemons', async () => {
    const results: Record<string, Record<string, unknown>> = {};
    for (const kind of KINDS) results[kind] = await observe(kind);
    const oracle = results.supervisord;
    // The oracle is what these tests say it is: /dev/null reads as empty, not NO_FILE.
    expect(oracle[JSON.stringify(['supervisor.readProcessStdoutLog', 'nulled', 0, 0])]).toBe('');
    expect(oracle['GET /logtail/nulled']).toBe('HTTP/1.1 200 OK');
    expect(results.svinit).toEqual(oracle);
  }, 120_000);
});

describe('a 1 GiB log', () => {
  let d: Daemon;
  let log: string;
  beforeAll(async () => {
    d = await startDaemon((dir) => `[program:big]\ncommand=/bin/sh -c "echo first; exec sleep 1000"\nstdout_logfile=${dir}/big.log\nstdout_logfile_maxbytes=0\nstartsecs=0\n`);
    await d.waitForLog(/success: big entered RUNNING/);
    log = path.join(path.dirname(d.socket), 'big.log');
    // RUNNING (startsecs=0) can come before the echo reaches the log.
    await waitFor(() => fs.existsSync(log) && fs.readFileSync(log, 'utf8') === 'first\n', 'the first line in big.log');
    // Sparse: a gigabyte on paper, nothing on disk; svinit appends after it.
    fs.truncateSync(log, 2 ** 30);
  }, 60_000);
  afterAll(async () => {
    await d?.stop('SIGKILL');
  });

  const rss = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${d.proc.pid}/status`, 'utf8'))![1]) * 1024;
  const peak = () => Number(/^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${d.proc.pid}/status`, 'utf8'))![1]) * 1024;

  it('read whole or tailed with a huge length: the response cap Fault, without reading it', async () => {
    const before = rss();
    const tooLarge = { fault: [Faults.FAILED, `FAILED: response larger than ${MAX_RESPONSE_BYTES} bytes`] };
    const url = `unix://${d.socket}`;
    const [whole, huge, head, last, tailHuge, tailEnd] = await batch(url, [
      ['supervisor.readProcessStdoutLog', 'big', 0, 0],
      ['supervisor.readProcessStdoutLog', 'big', 0, 2 ** 31 - 1],
      ['supervisor.readProcessStdoutLog', 'big', 0, 6],
      ['supervisor.readProcessStdoutLog', 'big', 2 ** 30 - 4, 2 ** 31 - 1],
      ['supervisor.tailProcessStdoutLog', 'big', 0, 2 ** 31 - 1],
      ['supervisor.tailProcessStdoutLog', 'big', 2 ** 30, 6],
    ]);
    expect(whole).toEqual(tooLarge);
    expect(huge).toEqual(tooLarge);
    expect(head).toBe('first\n');
    // (NUL is not allowed in XML: svinit sends U+FFFD, see docs/differences.md.)
    expect(last).toBe('\ufffd'.repeat(4));
    expect(tailHuge).toEqual(tooLarge);
    expect(tailEnd).toEqual(['', 2 ** 30, false]);
    expect(peak() - before, 'peak RSS growth while answering').toBeLessThan(50 * 2 ** 20);
    expect(d.proc.exitCode).toBeNull();
  }, 60_000);

  it('MAX_LOG_WINDOW is the XML-RPC response cap', () => {
    expect(MAX_LOG_WINDOW).toBe(MAX_RESPONSE_BYTES);
  });
});
