// /logtail clients that never read, on a program that writes as fast as it can: svinit's memory
// stays flat (bounded per connection from the first byte: svinit does not even read the log for a
// client that does not take it), and a client that reads gets a marker for what it missed.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TAIL_BACKLOG } from '../../../src/http/logtail.js';
import { startDaemon, waitFor, type Daemon } from '../../helpers/daemon.js';
import { bytesRead, bytesWritten as written, fastWriterProgram, MiB, rssBytes as rss } from './fast-writer.js';

let d: Daemon;

beforeAll(async () => {
  d = await startDaemon(fastWriterProgram);
  await d.waitForLog(/success: fast entered RUNNING/, 60_000);
}, 90_000);
afterAll(async () => {
  await d?.stop('SIGKILL');
});

function nonReader(path: string): net.Socket {
  const s = net.connect(d.socket, () => s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
  s.pause();
  s.on('error', () => undefined);
  return s;
}

describe('log tails and slow readers', () => {
  it('5 clients that never read leave RSS within 50 MiB of idle while 300 MB go by', async () => {
    const writer = (await d.rpc<{ pid: number }>('supervisor.getProcessInfo', 'fast')).pid;
    // Idle: the writer running, no tail clients; let 50 MB pass so svinit's own buffers settle.
    let mark = written(writer);
    await waitFor(() => written(writer) - mark > 50 * MiB, 'the writer to write 50 MB', 60_000, 100);
    const idle = rss(d.proc.pid!);
    const clients = [1, 2, 3, 4, 5].map((i) => nonReader(i === 5 ? '/mainlogtail' : '/logtail/fast'));
    mark = written(writer);
    const readMark = bytesRead(d.proc.pid!);
    await waitFor(() => written(writer) - mark > 300 * MiB, 'the writer to write 300 MB with 5 tails open', 120_000, 100);
    const loaded = rss(d.proc.pid!);
    // What svinit read beyond the program's pipe: the tails' reads of the log files. A stalled
    // client gets its budget (and what the kernel's socket buffers take), not every byte read and
    // thrown away.
    const tailReads = bytesRead(d.proc.pid!) - readMark - (written(writer) - mark);
    for (const c of clients) c.destroy();
    expect(loaded - idle, `RSS idle ${Math.round(idle / MiB)} MiB, with 5 stalled tails ${Math.round(loaded / MiB)} MiB`).toBeLessThan(50 * MiB);
    expect(tailReads, `svinit read ${Math.round(tailReads / MiB)} MiB of log files for 5 stalled tails`).toBeLessThan(50 * MiB);
    expect(d.proc.exitCode).toBeNull();
  }, 200_000);

  it('a client that stalls and then reads gets a skipped-bytes marker, then the live log', async () => {
    const s = nonReader('/logtail/fast');
    const writer = (await d.rpc<{ pid: number }>('supervisor.getProcessInfo', 'fast')).pid;
    const mark = written(writer);
    await waitFor(() => written(writer) - mark > 10 * MAX_TAIL_BACKLOG, 'the writer to outrun the stalled client', 60_000, 50);
    let text = '';
    s.on('data', (c) => (text += c));
    s.resume();
    // (The raw socket shows the chunked encoding's size lines too.)
    await waitFor(() => /==> svinit: \d+ bytes skipped, the client read too slowly <==\n[\s\S]*over and over\n/.test(text), `the marker and live lines; got ${text.length} bytes`, 60_000, 50);
    s.destroy();
  }, 120_000);
});
