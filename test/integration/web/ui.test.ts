// The web status page in a real browser (Debian's Chromium driven by playwright-core): load it
// behind Basic auth, stop a program by clicking its form button, see it STOPPED, start it again, read its tail.

import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDaemon, type Daemon } from '../../helpers/daemon.js';

const CHROMIUM = '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) throw new Error('Debian chromium is required for the web UI test (apt-get install -y chromium)');

let d: Daemon;
let browser: Browser;
let port = 0;

beforeAll(async () => {
  port = await freePort();
  d = await startDaemon(
    () => `
[inet_http_server]
port=127.0.0.1:${port}
username=admin
password=secret
[program:web]
command=/bin/sh -c "echo web says hello; exec sleep 1000"
startsecs=0
[program:worker]
command=/bin/sleep 1000
startsecs=0
`,
  );
  await d.waitForLog(/success: worker entered RUNNING/);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await d?.stop('SIGKILL');
});

describe('web UI', () => {
  it('refuses a browser without credentials', async () => {
    const ctx = await browser.newContext();
    // A page load without credentials is turned into a browser error; the request API shows the 401.
    await expect((await ctx.newPage()).goto(`http://127.0.0.1:${port}/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    const res = await ctx.request.get(`http://127.0.0.1:${port}/`);
    expect(res.status()).toBe(401);
    expect(res.headers()['www-authenticate']).toBe('Basic realm="default"');
    await ctx.close();
  });

  it('stops and starts a program by clicking, and shows its tail', async () => {
    const ctx = await browser.newContext({ httpCredentials: { username: 'admin', password: 'secret' } });
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    expect(await page.title()).toBe('Supervisor Status');
    const row = page.locator('tr#proc-web');
    expect(await row.locator('td.status span').textContent()).toBe('running');
    expect(await row.locator('td.status span').getAttribute('class')).toBe('statusrunning');
    await row.locator('button[value="stop"]').click();
    await page.waitForSelector('#message');
    expect(await page.locator('#message').textContent()).toBe('Process web stopped');
    expect(await page.locator('tr#proc-web td.status span').textContent()).toBe('stopped');
    expect((await d.rpc<{ statename: string }>('supervisor.getProcessInfo', 'web')).statename).toBe('STOPPED');
    await page.locator('tr#proc-web button[value="start"]').click();
    await page.waitForSelector('#message');
    expect(await page.locator('#message').textContent()).toBe('Process web started');
    expect(await page.locator('tr#proc-web td.status span').textContent()).toBe('running');
    await page.screenshot({ path: `${d.dir}/status.png` });
    const tail = await ctx.newPage();
    await tail.goto(`http://127.0.0.1:${port}/tail.html?processname=web`);
    expect(await tail.locator('#tail').textContent()).toContain('web says hello');
    await ctx.close();
  });
});
