// Syslog datagrams (RFC 3164, as glibc's syslog() sends them for supervisord) to a unix socket.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActivityLogger, createChannelLog, createSyslogSink, rfc3164Time, syslogMessage } from '../../../src/logging/index.js';
import { waitFor } from '../../helpers/daemon.js';
import { logKit } from './_shared.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-log-');
const { channelConfig } = logKit(tmp);

/** A unix datagram receiver (Node has none): python prints each datagram as a JSON line. */
async function receiver(sock: string) {
  const py = `import socket, sys, json
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); print('ready', flush=True)
while True: print(json.dumps(s.recv(65536).decode()), flush=True)`;
  const child = spawn('/usr/bin/python3', ['-c', py, sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buf = '';
  child.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  await waitFor(() => lines[0] === 'ready', 'the syslog receiver');
  return { messages: () => lines.slice(1).map((l) => JSON.parse(l) as string), stop: () => child.kill() };
}

const HEADER = /^<14>\w{3} [ \d]\d \d\d:\d\d:\d\d supervisord: /;

describe('syslog', () => {
  it('RFC 3164 header: <14>Mmm dd hh:mm:ss with a space-padded day', () => {
    expect(rfc3164Time(new Date(2024, 2, 5, 7, 8, 9))).toBe('Mar  5 07:08:09');
    expect(syslogMessage('supervisord: ', 'hello', new Date(2024, 10, 24, 13, 0, 1))).toBe('<14>Nov 24 13:00:01 supervisord: hello');
  });

  it('no socket → no sink', () => {
    expect(createSyslogSink('x: ', path.join(tmp.path, 'no-such-socket'))).toBeNull();
  });

  it('child output: one datagram per line, `<name> <line>`', async () => {
    const sock = path.join(tmp.path, `child-${process.pid}.sock`);
    const rx = await receiver(sock);
    try {
      const sink = createSyslogSink('supervisord: ', sock);
      expect(sink).not.toBeNull();
      const log = createChannelLog({ processName: 'web', groupName: 'web', channel: 'stdout', config: channelConfig({ logfile: { kind: 'none' }, syslog: true }), stripAnsi: false, prefix: null, syslog: sink! });
      log.write(Buffer.from('first\nsecond\n'));
      await waitFor(() => rx.messages().length === 2, 'two datagrams');
      expect(rx.messages()).toEqual([expect.stringMatching(new RegExp(`${HEADER.source}web first$`)), expect.stringMatching(new RegExp(`${HEADER.source}web second$`))]);
      void log.close();
    } finally {
      rx.stop();
    }
  });

  it('logfile=syslog: each message line with the activity log format', async () => {
    const sock = path.join(tmp.path, `main-${process.pid}.sock`);
    fs.rmSync(sock, { force: true });
    const rx = await receiver(sock);
    try {
      const logger = createActivityLogger({ file: 'syslog', maxbytes: 0, backups: 0, level: 'info', toStdout: false, format: 'text', syslogSocket: sock });
      expect(logger.path).toBeNull();
      logger.info('spawned: two\nlines');
      logger.debug('filtered out');
      await waitFor(() => rx.messages().length === 2, 'two datagrams');
      const head = `${HEADER.source}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO `;
      expect(rx.messages()[0]).toMatch(new RegExp(`${head}spawned: two$`));
      expect(rx.messages()[1]).toMatch(new RegExp(`${head}lines$`));
      await logger.close();
    } finally {
      rx.stop();
    }
  });
});
