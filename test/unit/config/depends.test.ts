// Parsing and validation of depends_on, the readiness keys and essential (one section at a time).

import { describe, expect, it } from 'vitest';
import { parseCheckTarget, parseDependsOn, readDependsKeys } from '../../../src/config/depends.js';

const read = (keys: Record<string, string>, kind: 'program' | 'eventlistener' = 'program') => readDependsKeys((k) => keys[k] ?? null, kind);

describe('depends_on', () => {
  it('takes name[:condition] items with running as the default and ready as its synonym', () => {
    expect(parseDependsOn('db, cache:ready, migrate:completed_successfully,job:completed , w:started')).toEqual([
      { name: 'db', condition: 'running', written: 'running' },
      { name: 'cache', condition: 'running', written: 'ready' },
      { name: 'migrate', condition: 'completed_successfully', written: 'completed_successfully' },
      { name: 'job', condition: 'completed', written: 'completed' },
      { name: 'w', condition: 'started', written: 'started' },
    ]);
  });

  it("accepts ochinchina's plain comma list and ignores empty items", () => {
    expect(parseDependsOn('a,b,').map((d) => d.name)).toEqual(['a', 'b']);
  });

  it('refuses unknown conditions, names with spaces and repeats', () => {
    expect(() => parseDependsOn('db:healthy')).toThrow(/unknown condition "healthy" for db in depends_on/);
    expect(() => parseDependsOn('my db')).toThrow(/invalid program or group name "my db"/);
    expect(() => parseDependsOn('db, db:started')).toThrow(/db is named twice/);
  });
});

describe('ready_check', () => {
  it('parses the four kinds', () => {
    expect(parseCheckTarget('tcp://db:5432')).toEqual({ kind: 'tcp', host: 'db', port: 5432 });
    expect(parseCheckTarget('tcp://[::1]:80')).toEqual({ kind: 'tcp', host: '::1', port: 80 });
    expect(parseCheckTarget('http://127.0.0.1:8080/healthz')).toEqual({ kind: 'http', url: 'http://127.0.0.1:8080/healthz' });
    expect(parseCheckTarget('unix:///run/app.sock')).toEqual({ kind: 'unix', path: '/run/app.sock' });
    expect(parseCheckTarget('exec: pg_isready -h localhost')).toEqual({ kind: 'exec', command: 'pg_isready -h localhost' });
  });

  it('refuses malformed targets with the reason', () => {
    expect(() => parseCheckTarget('tcp://db')).toThrow('malformed ready_check "tcp://db": expected tcp://HOST:PORT');
    expect(() => parseCheckTarget('tcp://db:70000')).toThrow(/port 70000 is not from 1 to 65535/);
    expect(() => parseCheckTarget('unix://run/x.sock')).toThrow(/must be absolute/);
    expect(() => parseCheckTarget('exec:')).toThrow(/needs a command/);
    expect(() => parseCheckTarget('http://')).toThrow(/malformed ready_check/);
    expect(() => parseCheckTarget('ftp://x:1')).toThrow(/expected tcp:\/\/HOST:PORT, http/);
  });
});

describe('a section', () => {
  it('has no dependencies, no readiness and is not essential by default', () => {
    expect(read({})).toEqual({ dependsOn: [], readiness: null, essential: false });
  });

  it('reads each readiness method with its defaults', () => {
    expect(read({ notification_fd: '3' }).readiness).toEqual({ method: { kind: 'fd', fd: 3 }, timeoutSecs: 60 });
    expect(read({ notify_socket: 'true' }).readiness).toEqual({ method: { kind: 'notify' }, timeoutSecs: 60 });
    expect(read({ notify_socket: 'false' }).readiness).toBeNull();
    expect(read({ ready_check: 'tcp://localhost:1', ready_check_interval: '0.5', ready_timeout: '5' }).readiness).toEqual({
      method: { kind: 'check', target: { kind: 'tcp', host: 'localhost', port: 1 }, intervalSecs: 0.5 },
      timeoutSecs: 5,
    });
    expect(read({ ready_log_regex: 'listening on \\d+' }).readiness?.method).toEqual({ kind: 'log', regex: 'listening on \\d+' });
    expect(read({ essential: 'yes' }).essential).toBe(true);
  });

  it('refuses bad values naming the key', () => {
    const key = (keys: Record<string, string>, kind?: 'eventlistener') => {
      try {
        read(keys, kind);
      } catch (e) {
        return [(e as { key: string }).key, (e as Error).message];
      }
      return null;
    };
    expect(key({ notification_fd: '2' })).toEqual(['notification_fd', expect.stringContaining('from 3 to 1023 (0-2 are stdin, stdout and stderr)')]);
    expect(key({ notification_fd: 'x' })?.[0]).toBe('notification_fd');
    expect(key({ ready_check: 'tcp://db' })?.[0]).toBe('ready_check');
    expect(key({ ready_log_regex: '(' })).toEqual(['ready_log_regex', expect.stringContaining('not a valid regular expression')]);
    expect(key({ ready_timeout: '0', ready_log_regex: 'x' })?.[0]).toBe('ready_timeout');
    expect(key({ ready_timeout: '5' })).toEqual(['ready_timeout', expect.stringContaining('no readiness method')]);
    expect(key({ ready_check_interval: '5' })?.[0]).toBe('ready_check_interval');
    expect(key({ essential: 'maybe' })?.[0]).toBe('essential');
    expect(key({ ready_log_regex: 'x', notification_fd: '3' })).toEqual(['ready_log_regex', expect.stringContaining('notification_fd and ready_log_regex')]);
    expect(key({ ready_log_regex: 'x' }, 'eventlistener')).toEqual(['ready_log_regex', expect.stringContaining('not allowed in an [eventlistener]')]);
  });

  it('lets an event listener depend on programs and be essential', () => {
    expect(read({ depends_on: 'db', essential: 'true' }, 'eventlistener')).toMatchObject({ essential: true, dependsOn: [{ name: 'db' }] });
  });
});
