// The activity log: supervisord's line format through pino, levels, stdout copy, json, reopen/clear.

import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createActivityLogger, formatTime } from '../../../src/logging/index.js';
import { logKit } from './_shared.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tmp = useTempDir('svinit-log-');
const { file } = logKit(tmp);

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) /;

describe('activity log', () => {
  it("writes supervisord's line format, synchronously, filtered by level", async () => {
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'info', toStdout: false, format: 'text' });
    logger.info("spawned: 'x' with pid 42");
    // On disk at once: a line logged just before a crash is not lost.
    expect(fs.readFileSync(f, 'utf8')).toMatch(/ INFO spawned: 'x' with pid 42\n$/);
    logger.debug('hidden');
    logger.critical('bad');
    logger.warn('careful');
    logger.error('oops');
    await logger.close();
    const lines = fs.readFileSync(f, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).toMatch(LINE);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO spawned: 'x' with pid 42$/);
    expect(lines.slice(1).map((l) => l.slice(24))).toEqual(['CRIT bad', 'WARN careful', 'ERRO oops']);
    expect(logger.path).toBe(f);
  });

  it('every level name, and isEnabled as supervisord orders them', async () => {
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'blather', toStdout: false, format: 'text' });
    for (const m of ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'] as const) logger[m](m);
    await logger.close();
    expect(fs.readFileSync(f, 'utf8').trimEnd().split('\n').map((l) => l.slice(24))).toEqual([
      'CRIT critical', 'ERRO error', 'WARN warn', 'INFO info', 'DEBG debug', 'TRAC trace', 'BLAT blather',
    ]);
    const warn = createActivityLogger({ file: null, maxbytes: 0, backups: 0, level: 'warn', toStdout: false, format: 'text' });
    expect((['critical', 'error', 'warn', 'info', 'debug'] as const).map((l) => warn.isEnabled(l))).toEqual([true, true, true, false, false]);
    expect(warn.path).toBeNull();
  });

  it('local time with milliseconds', () => {
    const d = new Date(2024, 0, 2, 3, 4, 5, 67);
    expect(formatTime(d.getTime())).toBe('2024-01-02 03:04:05,067');
  });

  it('multi-line messages stay one record (the child output DEBG copy)', async () => {
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'debug', toStdout: false, format: 'text' });
    logger.debug("'web' stdout output:\nhello\n");
    await logger.close();
    expect(fs.readFileSync(f, 'utf8')).toMatch(/ DEBG 'web' stdout output:\nhello\n\n$/);
  });

  it('copies every line to a stdout stream (nodaemon, not silent)', async () => {
    const stdout = new PassThrough();
    let got = '';
    stdout.on('data', (b: Buffer) => (got += b.toString()));
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'info', toStdout: true, format: 'text', stdout });
    logger.info('supervisord started with pid 1');
    await logger.close();
    expect(got).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO supervisord started with pid 1\n$/);
    expect(fs.readFileSync(f, 'utf8')).toBe(got);
  });

  it('copies to an fd', async () => {
    const out = file('stdout');
    const fd = fs.openSync(out, 'w');
    const logger = createActivityLogger({ file: null, maxbytes: 0, backups: 0, level: 'info', toStdout: true, format: 'text', stdout: fd });
    logger.warn('received SIGTERM indicating exit request');
    await logger.close();
    fs.closeSync(fd);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/ WARN received SIGTERM indicating exit request\n$/);
  });

  it('json format: pino lines with the level word', async () => {
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'debug', toStdout: false, format: 'json' });
    logger.debug('hello');
    logger.critical('bye');
    await logger.close();
    const lines = fs.readFileSync(f, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toMatchObject([{ level: 'debug', msg: 'hello', time: expect.any(String) }, { level: 'critical', msg: 'bye' }]);
    expect(Number.isNaN(Date.parse(lines[0].time))).toBe(false);
  });

  it('rotates by logfile_maxbytes/backups, no message cut or lost among the kept files', async () => {
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 200, backups: 2, level: 'info', toStdout: false, format: 'text' });
    for (let i = 0; i < 30; i++) logger.info(`message number ${i}`);
    await logger.close();
    expect(fs.existsSync(`${f}.2`)).toBe(true);
    expect(fs.existsSync(`${f}.3`)).toBe(false);
    const all = [`${f}.2`, `${f}.1`, f].map((p) => fs.readFileSync(p, 'utf8')).join('');
    const nums = all.trimEnd().split('\n').map((l) => Number(/ INFO message number (\d+)$/.exec(l)![1]));
    expect(nums).toEqual(Array.from({ length: nums.length }, (_, i) => 30 - nums.length + i));
  });

  it('reopen() follows a moved file; clear() empties it', async () => {
    const f = file();
    const logger = createActivityLogger({ file: f, maxbytes: 0, backups: 0, level: 'info', toStdout: false, format: 'text' });
    logger.info('one');
    fs.renameSync(f, `${f}.old`);
    logger.reopen();
    logger.info('two');
    expect(fs.readFileSync(f, 'utf8')).toMatch(/ INFO two\n$/);
    logger.clear();
    expect(fs.readFileSync(f, 'utf8')).toBe('');
    logger.info('three');
    await logger.close();
    expect(fs.readFileSync(f, 'utf8')).toMatch(/^\S+ \S+ INFO three\n$/);
  });
});
