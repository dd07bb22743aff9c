// Channel logs: verbatim bytes, strip_ansi, capture mode, PROCESS_LOG events, syslog lines,
// the DEBG copy in the activity log and svinit's `name | line` forwarding.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createChannelLog, stripEscapes } from '../../../src/logging/index.js';
import { logKit, pathOf } from './_shared.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-log-');
const { channelConfig, file } = logKit(tmp);

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('strip_ansi (supervisord stripEscapes)', () => {
  it('removes ESC [ … up to the first terminator letter, byte for byte', () => {
    expect(stripEscapes(bytes('\x1b[31mred\x1b[0m plain\x1b[2K\x1b[1;1H!')).toString('latin1')).toBe('red plain!');
    // Invalid UTF-8 passes through untouched.
    expect(stripEscapes(Buffer.from([0xff, 0x1b, 0x5b, 0x6d, 0xc3]))).toEqual(Buffer.from([0xff, 0xc3]));
    // An escape left open runs to the end of the chunk, as in supervisord.
    expect(stripEscapes(bytes('ok\x1b[38;5;1')).toString('latin1')).toBe('ok');
    // ESC not followed by [ is kept; a lone [ is kept.
    expect(stripEscapes(bytes('a\x1bb[c')).toString('latin1')).toBe('a\x1bb[c');
  });

  it('matches supervisord on random input', () => {
    const samples: Buffer[] = [];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const alphabet = bytes('\x1b[mHx;1 \nKé');
    for (let i = 0; i < 200; i++) samples.push(Buffer.from(Array.from({ length: rnd() % 30 }, () => alphabet[rnd() % alphabet.length])));
    const py = `import sys,json\nfrom supervisor.dispatchers import stripEscapes\nfor h in json.load(sys.stdin): print(stripEscapes(bytes.fromhex(h)).hex())`;
    const want = execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(samples.map((s) => s.toString('hex'))), encoding: 'utf8' }).split('\n').slice(0, -1);
    expect(samples.map((s) => stripEscapes(s).toString('hex'))).toEqual(want);
  });
});

describe('channel log', () => {
  it('writes bytes verbatim (invalid UTF-8 included), strips ANSI when asked', () => {
    const plain = channelConfig();
    const a = createChannelLog({ processName: 'p', groupName: 'p', channel: 'stdout', config: plain, stripAnsi: false, prefix: null });
    const raw = Buffer.from([0x61, 0xff, 0xfe, 0x1b, 0x5b, 0x6d, 0x0a]);
    a.write(raw);
    a.flush();
    expect(fs.readFileSync(pathOf(plain))).toEqual(raw);
    const stripped = channelConfig();
    const b = createChannelLog({ processName: 'p', groupName: 'p', channel: 'stdout', config: stripped, stripAnsi: true, prefix: null });
    b.write(raw);
    b.flush();
    expect(fs.readFileSync(pathOf(stripped))).toEqual(Buffer.from([0x61, 0xff, 0xfe, 0x0a]));
    expect(a.path).toBe(pathOf(plain));
  });

  it('NONE: no file, path null, events still emitted', () => {
    const events: string[] = [];
    const log = createChannelLog({
      processName: 'p', groupName: 'p', channel: 'stderr', config: channelConfig({ logfile: { kind: 'none' }, eventsEnabled: true }),
      stripAnsi: false, prefix: null, onLog: (b) => events.push(b.toString()),
    });
    log.write(Buffer.from('x\n'));
    log.flush();
    expect(log.path).toBeNull();
    expect(events).toEqual(['x\n']);
  });

  it('PROCESS_LOG events: one per chunk, not line-split, after strip_ansi; none when disabled', () => {
    const events: string[] = [];
    const on = createChannelLog({ processName: 'p', groupName: 'p', channel: 'stdout', config: channelConfig({ eventsEnabled: true }), stripAnsi: true, prefix: null, onLog: (b) => events.push(b.toString()) });
    on.write(Buffer.from('a\nb'));
    on.write(Buffer.from('\x1b[1mc\n'));
    expect(events).toEqual(['a\nb', 'c\n']);
    const none: string[] = [];
    const off = createChannelLog({ processName: 'p', groupName: 'p', channel: 'stdout', config: channelConfig(), stripAnsi: false, prefix: null, onLog: (b) => none.push(b.toString()) });
    off.write(Buffer.from('a\n'));
    expect(none).toEqual([]);
  });

  it('syslog: `<name> <line>` per line, trailing newlines dropped (SyslogHandler)', () => {
    const lines: string[] = [];
    const log = createChannelLog({ processName: 'web', groupName: 'web', channel: 'stdout', config: channelConfig({ logfile: { kind: 'none' }, syslog: true }), stripAnsi: false, prefix: null, syslog: (l) => lines.push(l) });
    log.write(Buffer.from('one\n\ntwo\n\n'));
    expect(lines).toEqual(['web one', 'web ', 'web two']);
  });

  it("debug level: each chunk also goes to the activity log as `'<name>' stdout output:\\n<data>`", () => {
    const debug: string[] = [];
    const mainLog = { isEnabled: (l: string) => l !== 'trace' && l !== 'blather', debug: (m: string) => debug.push(m) };
    const log = createChannelLog({ processName: 'web', groupName: 'web', channel: 'stderr', config: channelConfig({ logfile: { kind: 'none' } }), stripAnsi: false, prefix: null, mainLog });
    log.write(Buffer.from('hello\n'));
    log.write(Buffer.from([0x61, 0xff, 0x27]));
    expect(debug).toEqual(["'web' stderr output:\nhello\n", `'web' stderr output:\nUndecodable: b"a\\xff'"`]);
    const quiet: string[] = [];
    const info = createChannelLog({ processName: 'web', groupName: 'web', channel: 'stderr', config: channelConfig(), stripAnsi: false, prefix: null, mainLog: { isEnabled: (l) => l === 'info', debug: (m) => quiet.push(m) } });
    info.write(Buffer.from('x'));
    expect(quiet).toEqual([]);
  });

  it('clear() empties the file, reopen() follows a moved file', () => {
    const cfg = channelConfig();
    const log = createChannelLog({ processName: 'p', groupName: 'p', channel: 'stdout', config: cfg, stripAnsi: false, prefix: null });
    log.write(Buffer.from('old\n'));
    log.flush();
    log.clear();
    log.write(Buffer.from('new\n'));
    log.flush();
    expect(fs.readFileSync(pathOf(cfg), 'utf8')).toBe('new\n');
    fs.renameSync(pathOf(cfg), `${pathOf(cfg)}.moved`);
    log.reopen();
    log.write(Buffer.from('after\n'));
    void log.close();
    expect(fs.readFileSync(pathOf(cfg), 'utf8')).toBe('after\n');
  });
});

describe('prefix forwarding (container mode)', () => {
  it('copies complete lines as `<label> | <line>` to an fd, holding partial lines until newline or flush', () => {
    const out = file('prefix');
    const fd = fs.openSync(out, 'w');
    const cfg = channelConfig();
    const log = createChannelLog({ processName: 'web', groupName: 'web', channel: 'stdout', config: cfg, stripAnsi: true, prefix: { stream: fd, label: 'web' } });
    log.write(Buffer.from('\x1b[31mred\x1b[0m li'));
    expect(fs.readFileSync(out, 'utf8')).toBe('');
    log.write(Buffer.from('ne\nsecond\nthi'));
    expect(fs.readFileSync(out, 'utf8')).toBe('web | red line\nweb | second\n');
    log.write(Buffer.from('rd'));
    log.flush();
    void log.close();
    fs.closeSync(fd);
    expect(fs.readFileSync(pathOf(cfg), 'utf8')).toBe('red line\nsecond\nthird');
    expect(fs.readFileSync(out, 'utf8')).toBe('web | red line\nweb | second\nweb | third\n');
  });

  it('keeps a multibyte character split across chunks intact, and empty lines', () => {
    const stream = new PassThrough();
    let got = '';
    stream.on('data', (b: Buffer) => (got += b.toString('utf8')));
    const log = createChannelLog({ processName: 'w', groupName: 'w', channel: 'stderr', config: channelConfig({ logfile: { kind: 'none' } }), stripAnsi: false, prefix: { stream, label: 'w:w_00' } });
    const euro = Buffer.from('€\n\nend\n');
    log.write(euro.subarray(0, 1));
    log.write(euro.subarray(1));
    log.flush();
    expect(got).toBe('w:w_00 | €\nw:w_00 | \nw:w_00 | end\n');
  });

  it('json format: one object per line', () => {
    const stream = new PassThrough();
    let got = '';
    stream.on('data', (b: Buffer) => (got += b.toString('utf8')));
    const log = createChannelLog({ processName: 'w', groupName: 'w', channel: 'stderr', config: channelConfig({ logfile: { kind: 'none' } }), stripAnsi: false, prefix: { stream, label: 'w', format: 'json' } });
    log.write(Buffer.from('a "q"\nb\n'));
    const lines = got.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toMatchObject([{ process: 'w', stream: 'stderr', line: 'a "q"' }, { line: 'b' }]);
  });

  it('a line that never ends is emitted once it reaches 64 KiB', () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (b: Buffer) => chunks.push(b.toString()));
    const log = createChannelLog({ processName: 'w', groupName: 'w', channel: 'stdout', config: channelConfig({ logfile: { kind: 'none' } }), stripAnsi: false, prefix: { stream, label: 'w' } });
    for (let i = 0; i < 70; i++) log.write(Buffer.alloc(1024, 'x'));
    expect(chunks.join('')).toBe(`w | ${'x'.repeat(64 * 1024)}\n`);
    log.flush();
    expect(chunks.join('')).toBe(`w | ${'x'.repeat(64 * 1024)}\nw | ${'x'.repeat(6 * 1024)}\n`);
  });
});

describe('capture mode (PROCESS_COMMUNICATION)', () => {
  const make = (captureMaxbytes: number, eventsEnabled = false) => {
    const captured: string[] = [];
    const logged: string[] = [];
    const cfg = channelConfig({ captureMaxbytes, eventsEnabled });
    const log = createChannelLog({ processName: 'p', groupName: 'p', channel: 'stderr', config: cfg, stripAnsi: false, prefix: null, onCapture: (b) => captured.push(b.toString()), onLog: (b) => logged.push(b.toString()) });
    return { log, captured, logged, text: () => fs.readFileSync(pathOf(cfg), 'utf8') };
  };
  /** supervisord's own dispatcher fed the same chunks. */
  const oracle = (chunks: string[], maxbytes: number) =>
    JSON.parse(execFileSync('/usr/bin/python3', [path.join(import.meta.dirname, 'capture-oracle.py'), String(maxbytes)], { input: JSON.stringify(chunks), encoding: 'utf8' })) as { captured: string[]; log: string };

  it('tokens split across chunks: the block goes to onCapture, the rest to the log', () => {
    const { log, captured, logged, text } = make(1000, true);
    for (const part of ['before <!--XSUPER', 'VISOR:BEGIN-->hello', ' world<!--XSUPERVISOR', ':END--> and after the end token']) log.write(Buffer.from(part));
    log.flush();
    expect(captured).toEqual(['hello world']);
    expect(text()).toBe('before  and after the end token');
    // supervisord also emits captured text as PROCESS_LOG events.
    expect(logged.join('')).toBe('before hello world and after the end token');
  });

  it('tokens fed one byte at a time', () => {
    const { log, captured, text } = make(1000);
    for (const ch of 'a<!--XSUPERVISOR:BEGIN-->x<!--XSUPERVISOR:END-->b<!--XSUPERVISOR:BEGIN-->yy<!--XSUPERVISOR:END-->c') log.write(Buffer.from(ch));
    log.flush();
    expect(captured).toEqual(['x', 'yy']);
    expect(text()).toBe('abc');
  });

  it('bounded as supervisord BoundIO: a write that would overflow first drops its own length from the front', () => {
    const chunks = ['x<!--XSUPERVISOR:BEGIN-->0123456789abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '<!--XSUPERVISOR:END-->tail text that is long enough'];
    const { log, captured, text } = make(8);
    for (const c of chunks) log.write(Buffer.from(c));
    log.flush();
    expect(captured).toEqual(['qrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ']);
    expect({ captured, log: text() }).toEqual(oracle(chunks, 8));
  });

  it('matches supervisord for tokens split at every kind of place', () => {
    const chunks = ['x<!--XSUPERVISOR:BEG', 'IN-->0123456789abcdef', 'ghij<!--XSUPERVISOR:END--', '>tail text that is long enough', '<!--XSUPERVISOR:BEGIN-->', 'A'.repeat(30), '<!--XSUPERVISOR:END-->', 'B'.repeat(40), 'zz'];
    const want = oracle(chunks, 16);
    const { log, captured, text } = make(16);
    for (const c of chunks) log.write(Buffer.from(c));
    log.flush();
    expect(captured).toEqual(want.captured);
    // supervisord keeps a short tail after END buffered (and loses it at exit); svinit writes it at flush.
    expect(want.log.endsWith('zz')).toBe(false);
    expect(text()).toBe(`${want.log}zz`);
  });

  it('flush writes an unfinished block (with its BEGIN token) and a held-back partial token', () => {
    const a = make(100);
    a.log.write(Buffer.from('x<!--XSUPERVISOR:BEGIN-->never ended'));
    a.log.flush();
    expect(a.captured).toEqual([]);
    expect(a.text()).toBe('x<!--XSUPERVISOR:BEGIN-->never ended');
    const b = make(100);
    b.log.write(Buffer.from('some output <!--XSUP'));
    b.log.flush();
    expect(b.text()).toBe('some output <!--XSUP');
  });
});
