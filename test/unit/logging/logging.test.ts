// Rotation, channel capture (strip_ansi, capture mode, prefixing), the activity log format, log
// reading arithmetic, AUTO log names and the logtail follower.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../../src/config/types.js';
import { autoLogPath, cleanupAutoLogs, createActivityLogger, createChannelLog, followFile, readLogSlice, RotatingFile, tailLog } from '../../../src/logging/index.js';
import { waitFor } from '../../helpers/daemon.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svinit-log-'));
let n = 0;
const file = (name = 'f') => path.join(dir, `${name}${n++}.log`);
const channel = (over: Partial<ChannelConfig> = {}, logfile = file()): ChannelConfig => ({
  logfile: { kind: 'file', path: logfile },
  logfileMaxbytes: 0,
  logfileBackups: 0,
  captureMaxbytes: 0,
  eventsEnabled: false,
  syslog: false,
  ...over,
});

describe('RotatingFile', () => {
  it('rotates f → f.1 → f.2 after the write that reaches maxbytes, keeping `backups` files', () => {
    const f = file();
    const r = new RotatingFile(f, { maxbytes: 10, backups: 2 });
    for (const chunk of ['aaaaa', 'bbbbb', 'ccccc', 'ddddd', 'eeeee', 'fffff', 'g']) r.write(chunk);
    r.close();
    expect(fs.readFileSync(f, 'utf8')).toBe('g');
    expect(fs.readFileSync(`${f}.1`, 'utf8')).toBe('eeeeefffff');
    expect(fs.readFileSync(`${f}.2`, 'utf8')).toBe('cccccddddd');
    expect(fs.existsSync(`${f}.3`)).toBe(false);
  });

  it('backups=0 truncates; maxbytes=0 never rotates', () => {
    const a = file();
    const r = new RotatingFile(a, { maxbytes: 4, backups: 0 });
    r.write('12345');
    r.write('xy');
    r.close();
    expect(fs.readFileSync(a, 'utf8')).toBe('xy');
    expect(fs.existsSync(`${a}.1`)).toBe(false);
    const b = file();
    const s = new RotatingFile(b, { maxbytes: 0, backups: 5 });
    for (let i = 0; i < 100; i++) s.write('0123456789');
    s.close();
    expect(fs.statSync(b).size).toBe(1000);
  });

  it('a pipe with maxbytes > 0 just works (no Illegal seek)', () => {
    const fifo = path.join(dir, `fifo${n++}`);
    fs.rmSync(fifo, { force: true });
    execFileSync('mkfifo', [fifo]);
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const r = new RotatingFile(fifo, { maxbytes: 5, backups: 3 });
    r.write('hello world\n');
    r.close();
    const buf = Buffer.alloc(64);
    expect(buf.subarray(0, fs.readSync(reader, buf)).toString()).toBe('hello world\n');
    fs.closeSync(reader);
  });
});

describe('channel log', () => {
  it('writes bytes verbatim, strips ANSI when asked, and forwards complete lines with a prefix', () => {
    const out = path.join(dir, `prefix${n++}`);
    const fd = fs.openSync(out, 'w');
    const cfg = channel();
    const log = createChannelLog({ processName: 'web', groupName: 'web', channel: 'stdout', config: cfg, stripAnsi: true, prefix: { stream: fd, label: 'web' } });
    log.write(Buffer.from('\x1b[31mred\x1b[0m li'));
    log.write(Buffer.from('ne\nsecond'));
    log.flush();
    void log.close();
    fs.closeSync(fd);
    expect(fs.readFileSync((cfg.logfile as { path: string }).path, 'utf8')).toBe('red line\nsecond');
    expect(fs.readFileSync(out, 'utf8')).toBe('web | red line\nweb | second\n');
  });

  it('capture mode: tokens split across chunks, block to onCapture, bounded by capture_maxbytes', () => {
    const captured: string[] = [];
    const logged: string[] = [];
    const cfg = channel({ captureMaxbytes: 8, eventsEnabled: true });
    const log = createChannelLog({ processName: 'p', groupName: 'p', channel: 'stdout', config: cfg, stripAnsi: false, prefix: null, onCapture: (b) => captured.push(b.toString()), onLog: (b) => logged.push(b.toString()) });
    for (const part of ['before <!--XSUPER', 'VISOR:BEGIN-->0123456789<!--XSUPERVISOR', ':END--> and after the end token']) log.write(Buffer.from(part));
    log.flush();
    expect(captured).toEqual(['23456789']);
    expect(fs.readFileSync((cfg.logfile as { path: string }).path, 'utf8')).toBe('before  and after the end token');
    // supervisord also emits captured text as PROCESS_LOG events.
    expect(logged.join('')).toContain('0123456789');
  });
});

describe('activity log', () => {
  it('writes supervisord\'s line format through pino, filtered by level', async () => {
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'info', toStdout: false, format: 'text' });
    logger.info("spawned: 'x' with pid 42");
    logger.debug('hidden');
    logger.critical('bad');
    logger.warn('careful');
    await logger.close();
    const lines = fs.readFileSync(f, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO spawned: 'x' with pid 42$/);
    expect(lines[1]).toMatch(/ CRIT bad$/);
    expect(lines[2]).toMatch(/ WARN careful$/);
    expect(logger.path).toBe(f);
  });

  it('--log-format json gives JSON lines', async () => {
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'debug', toStdout: false, format: 'json' });
    logger.debug('hello');
    await logger.close();
    expect(JSON.parse(fs.readFileSync(f, 'utf8'))).toMatchObject({ level: 'debug', msg: 'hello', time: expect.any(String) });
  });
});

describe('log reading (spec §3.7)', () => {
  const f = file();
  fs.writeFileSync(f, 'line 0\nline 1\ner 0\n');
  it('readLog offsets', () => {
    expect(readLogSlice(f, 0, 0)).toBe('line 0\nline 1\ner 0\n');
    expect(readLogSlice(f, 5, 3)).toBe('0\nl');
    expect(readLogSlice(f, -5, 0)).toBe('er 0\n');
    expect(readLogSlice(f, -100, 0)).toBe('line 0\nline 1\ner 0\n');
    expect(readLogSlice(f, 100, 0)).toBe('');
    expect(() => readLogSlice(f, -1, 5)).toThrow('BAD_ARGUMENTS');
    expect(() => readLogSlice(f, 0, -1)).toThrow('BAD_ARGUMENTS');
    expect(() => readLogSlice(path.join(dir, 'none'), 0, 0)).toThrow('NO_FILE');
  });
  it('tailProcessLog arithmetic, as supervisord answers it live', () => {
    expect(tailLog(f, 0, 5)).toEqual(['er 0\n', 19, true]);
    expect(tailLog(f, 100, 5)).toEqual(['', 19, false]);
    expect(tailLog(f, 15, 10)).toEqual(['r 0\n', 19, false]);
    expect(tailLog(path.join(dir, 'none'), 0, 5)).toEqual(['', 0, false]);
  });
  it('a multibyte character cut by the range does not fail the read', () => {
    const g = file();
    fs.writeFileSync(g, 'añb');
    expect(readLogSlice(g, 0, 2)).toBe('a\ufffd');
  });
});

describe('AUTO logs', () => {
  it('names them <process>-<channel>---<identifier>-<8 chars>.log and cleans them up', () => {
    const d = fs.mkdtempSync(path.join(dir, 'auto-'));
    const p = autoLogPath(d, 'web', 'stdout', 'supervisor');
    expect(path.basename(p)).toMatch(/^web-stdout---supervisor-[a-z0-9_]{8}\.log$/);
    fs.writeFileSync(`${p}.1`, 'old');
    fs.writeFileSync(path.join(d, 'keep.log'), 'x');
    cleanupAutoLogs(d, 'supervisor');
    expect(fs.readdirSync(d)).toEqual(['keep.log']);
  });
});

describe('follower', () => {
  it('streams the last bytes, then appends, rotations and truncations', async () => {
    const f = file();
    fs.writeFileSync(f, 'x'.repeat(2000) + 'END\n');
    let got = '';
    const follower = followFile(f, (b) => (got += b.toString()), { initialBytes: 10, pollMs: 20 });
    expect(got).toBe('xxxxxxEND\n');
    fs.appendFileSync(f, 'more\n');
    await waitFor(() => got.endsWith('more\n'), 'appended data');
    fs.writeFileSync(f, 'y\n');
    await waitFor(() => got.includes('==> File truncated <==\ny\n'), 'truncation notice');
    fs.renameSync(f, `${f}.1`);
    fs.writeFileSync(f, 'rotated\n');
    await waitFor(() => got.endsWith('rotated\n'), 'the new file after rotation');
    follower.close();
  });
});

describe('tail buffer (channels without a log file)', () => {
  it('keeps the last bytes and answers read/tail like a file would', async () => {
    const { TailBuffer } = await import('../../../src/logging/tail-buffer.js');
    const t = new TailBuffer(10);
    t.write(Buffer.from('0123456789'));
    t.write(Buffer.from('abcdef'));
    expect(t.total).toBe(16);
    expect(t.read(-4, 0)).toBe('cdef');
    expect(t.read(0, 0)).toBe('0123456789abcdef');
    expect(t.tail(0, 3)).toEqual(['def', 16, true]);
    expect(t.tail(14, 10)).toEqual(['ef', 16, false]);
    expect(t.tail(20, 5)).toEqual(['', 16, false]);
    expect(() => t.read(-1, 2)).toThrow('BAD_ARGUMENTS');
    // Older bytes are dropped once the newer ones fill the bound.
    t.write(Buffer.from('ghijkl'));
    expect(t.total).toBe(22);
    expect(t.read(0, 0)).toBe('abcdefghijkl');
    expect(t.read(12, 2)).toBe('cd');
  });
});
