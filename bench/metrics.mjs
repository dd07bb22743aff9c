// The cost of one /metrics scrape at 100 and 1,000 programs, beside getAllProcessInfo on the same
// daemon (svinit only: supervisord has no /metrics). Each figure is the median of many calls on
// one keep-alive connection, after a few warm-up calls.
//
//   npm run build && node bench/metrics.mjs [--calls N] [--json out.json]

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { launch, programs, rpcClient, stop, summary, tmpDir, waitLog, waitSocket, writeConfig } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const CALLS = Number(opt('calls', 200));
const JSON_OUT = opt('json', null);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function scraper(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get() {
      return new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/metrics', agent }, (res) => {
            let n = 0;
            res.on('data', (c) => (n += c.length));
            res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`HTTP ${res.statusCode}`))));
          })
          .on('error', reject);
      });
    },
    close: () => agent.destroy(),
  };
}

async function timeCalls(fn) {
  for (let i = 0; i < 5; i++) await fn();
  const ms = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return summary(ms);
}

const results = [];
for (const n of [100, 1000]) {
  const dir = tmpDir();
  const port = await freePort();
  const conf = writeConfig(dir, `[probe_http_server]\nport=${port}\nhost=127.0.0.1\n\n${programs(n, 'command=/bin/sleep 1000\nstartsecs=0\nstdout_logfile=NONE')}`);
  const d = launch('svinit', conf);
  await waitLog(path.join(dir, 'main.log'), /entered RUNNING state/, n, 120_000);
  await waitSocket(path.join(dir, 'sv.sock'));
  const s = scraper(port);
  const bytes = await s.get();
  const metrics = await timeCalls(() => s.get());
  const rpc = rpcClient(path.join(dir, 'sv.sock'));
  const info = await timeCalls(() => rpc.call('supervisor.getAllProcessInfo'));
  s.close();
  rpc.close();
  await stop(d);
  fs.rmSync(dir, { recursive: true, force: true });
  results.push({ programs: n, metricsMs: metrics, metricsBytes: bytes, getAllProcessInfoMs: info });
}

const f = (x) => x.toFixed(2);
console.log(`| programs | one /metrics scrape, ms (min–max) | body | one getAllProcessInfo, ms (min–max) | scrape / getAllProcessInfo |`);
console.log(`|---|---|---|---|---|`);
for (const r of results)
  console.log(
    `| ${r.programs} | ${f(r.metricsMs.median)} (${f(r.metricsMs.min)}–${f(r.metricsMs.max)}) | ${(r.metricsBytes / 1024).toFixed(0)} KiB | ${f(r.getAllProcessInfoMs.median)} (${f(r.getAllProcessInfoMs.min)}–${f(r.getAllProcessInfoMs.max)}) | ${(r.metricsMs.median / r.getAllProcessInfoMs.median).toFixed(2)}× |`,
  );
if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify({ date: new Date().toISOString(), calls: CALLS, results }, null, 2));
