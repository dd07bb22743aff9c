// RotatingFile: supervisord's rollover, backups=0, maxbytes=0, non-seekable targets.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingFile } from '../../../src/logging/index.js';
import { logKit, srcPath } from './_shared.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-log-');
const { bundle, file } = logKit(tmp);

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

  it('a write may take the file past maxbytes by itself; rotation follows it', () => {
    const f = file();
    const r = new RotatingFile(f, { maxbytes: 4, backups: 3 });
    r.write('0123456789');
    expect(fs.readFileSync(`${f}.1`, 'utf8')).toBe('0123456789');
    expect(fs.statSync(f).size).toBe(0);
    r.write('ab');
    r.close();
    expect(fs.readFileSync(f, 'utf8')).toBe('ab');
  });

  it('counts the bytes already in the file it appends to', () => {
    const f = file();
    fs.writeFileSync(f, '12345678');
    const r = new RotatingFile(f, { maxbytes: 10, backups: 1 });
    r.write('90');
    r.close();
    expect(fs.readFileSync(`${f}.1`, 'utf8')).toBe('1234567890');
    expect(fs.readFileSync(f, 'utf8')).toBe('');
  });

  it('backups=0 truncates in place; maxbytes=0 never rotates', () => {
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
    expect(fs.existsSync(`${b}.1`)).toBe(false);
  });

  it('tolerates the active file being removed behind its back (rotation and later writes)', () => {
    const f = file();
    const r = new RotatingFile(f, { maxbytes: 6, backups: 2 });
    r.write('abc');
    fs.rmSync(f);
    r.write('defg'); // reaches maxbytes: the rename finds no source
    r.write('hi');
    r.close();
    expect(fs.readFileSync(f, 'utf8')).toBe('hi');
  });

  it('a write error (directory gone) is reported, not thrown, and writing resumes when it is back', () => {
    const d = fs.mkdtempSync(path.join(tmp.path, 'gone-'));
    const f = path.join(d, 'x.log');
    const r = new RotatingFile(f, { maxbytes: 3, backups: 1 });
    fs.rmSync(d, { recursive: true });
    expect(() => r.write('12345')).not.toThrow(); // rotation fails to reopen
    expect(() => r.write('678')).not.toThrow();
    fs.mkdirSync(d);
    r.write('9');
    r.close();
    expect(fs.readFileSync(f, 'utf8')).toBe('9');
  });

  it('reopen() follows an external logrotate; clear() removes and restarts the file', () => {
    const f = file();
    const r = new RotatingFile(f, { maxbytes: 0, backups: 0 });
    r.write('one\n');
    fs.renameSync(f, `${f}.old`);
    r.write('two\n'); // still the old inode
    r.reopen();
    r.write('three\n');
    expect(fs.readFileSync(`${f}.old`, 'utf8')).toBe('one\ntwo\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('three\n');
    r.clear();
    expect(fs.readFileSync(f, 'utf8')).toBe('');
    r.write('four\n');
    r.close();
    expect(fs.readFileSync(f, 'utf8')).toBe('four\n');
  });

  it('batched: chunks of one event-loop turn land together, flush() writes them at once', async () => {
    const f = file();
    const r = new RotatingFile(f, { maxbytes: 0, backups: 0, batched: true });
    r.write('a');
    r.write('b');
    expect(fs.readFileSync(f, 'utf8')).toBe('');
    await new Promise((res) => setImmediate(res));
    expect(fs.readFileSync(f, 'utf8')).toBe('ab');
    r.write('c');
    r.flush();
    expect(fs.readFileSync(f, 'utf8')).toBe('abc');
    r.close();
  });

  it('a fifo with maxbytes > 0 just works (no Illegal seek, never rotated)', () => {
    const fifo = path.join(tmp.path, `fifo-${process.pid}`);
    fs.rmSync(fifo, { force: true });
    execFileSync('mkfifo', [fifo]);
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const r = new RotatingFile(fifo, { maxbytes: 5, backups: 3 });
    expect(r.rotating).toBe(false);
    r.write('hello world\n');
    r.write('again\n');
    r.close();
    const buf = Buffer.alloc(64);
    expect(buf.subarray(0, fs.readSync(reader, buf)).toString()).toBe('hello world\nagain\n');
    expect(fs.existsSync(`${fifo}.1`)).toBe(false);
    fs.closeSync(reader);
  });

  it('/dev/stdout as target on a pipe or a socket: written, never rotated, never closed', async () => {
    const script = await bundle(
      `import { RotatingFile } from ${JSON.stringify(srcPath('logging/rotating.ts'))};
       const r = new RotatingFile('/dev/stdout', { maxbytes: 4, backups: 2 });
       // close() must leave svinit's own stdout open: the second line still gets out.
       r.write('first line\\n'); r.close(); r.write('second line\\n'); r.close();`,
    );
    // A real pipe (as docker gives its containers)…
    const piped = execFileSync('sh', ['-c', `"${process.execPath}" "${script}" | cat`], { encoding: 'utf8' });
    expect(piped).toBe('first line\nsecond line\n');
    // …and a unix socket (Node's child stdio, systemd's journal), which cannot even be opened.
    const socket = execFileSync(process.execPath, [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(socket).toBe('first line\nsecond line\n');
  });

  it('a character device (/dev/null) with maxbytes > 0 is not rotated', () => {
    const r = new RotatingFile('/dev/null', { maxbytes: 1, backups: 1 });
    expect(r.rotating).toBe(false);
    r.write('xxxx');
    r.close();
    expect(fs.existsSync('/dev/null.1')).toBe(false);
  });
});
