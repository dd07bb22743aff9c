// Readiness rules and the [probe_http_server] listener: three paths, no /RPC2, 404 elsewhere.

import { afterEach, describe, expect, it } from 'vitest';
import { readiness, startProbeServer, type ProbeServer, type ProbeSource, type ReadinessView } from '../../../src/http/probes.js';
import { ProcessState as S, SupervisorState } from '../../../src/engine/states.js';

const view = (name: string, state: S, over: Partial<ReadinessView> = {}): ReadinessView => ({
  name,
  group: name,
  state,
  laststart: 1,
  administrativeStop: false,
  exitstatus: null,
  spawnerr: null,
  config: { autostart: true, autorestart: 'unexpected', exitcodes: [0] },
  ...over,
});

const source = (procs: ReadinessView[], mood = SupervisorState.RUNNING): ProbeSource => ({
  mood: () => mood,
  processes: () => procs,
  metrics: () => '# HELP svinit_state x\n# TYPE svinit_state gauge\nsvinit_state 1\n',
});

describe('readiness', () => {
  it('is ready when every program that should run is RUNNING', () => {
    expect(readiness(source([view('a', S.RUNNING), view('b', S.RUNNING)]))).toEqual({ ready: true, reasons: [] });
  });

  it('lists what is not ready', () => {
    const r = readiness(
      source([
        view('web', S.STARTING),
        view('db', S.RUNNING),
        view('w', S.BACKOFF, { group: 'workers', spawnerr: 'Exited too quickly (process log may have details)' }),
        view('new', S.STOPPED, { laststart: 0 }),
        view('crashed', S.EXITED, { exitstatus: 3 }),
      ]),
    );
    expect(r.ready).toBe(false);
    expect(r.reasons).toEqual([
      'web: STARTING',
      'workers:w: BACKOFF (Exited too quickly (process log may have details))',
      'new: STOPPED (not started yet)',
      'crashed: EXITED (exit status 3)',
    ]);
  });

  it('says what a program held back by depends_on waits for', () => {
    const r = readiness(source([view('db', S.STARTING), view('app', S.STOPPED, { laststart: 0, waitingFor: 'waiting for db (running)' })]));
    expect(r.reasons).toEqual(['db: STARTING', 'app: STOPPED (waiting for db (running))']);
  });

  it('does not wait for one-shots that finished, programs stopped by an operator, or autostart=false programs', () => {
    const r = readiness(
      source([
        view('migrate', S.EXITED, { exitstatus: 0 }),
        view('paused', S.STOPPED, { administrativeStop: true }),
        view('manual', S.STOPPED, { laststart: 0, config: { autostart: false, autorestart: 'unexpected', exitcodes: [0] } }),
      ]),
    );
    expect(r).toEqual({ ready: true, reasons: [] });
  });

  it('is not ready from the moment shutdown begins, and when an essential program failed', () => {
    expect(readiness(source([view('a', S.RUNNING)], SupervisorState.SHUTDOWN))).toEqual({ ready: false, reasons: ['svinit: shutting down'] });
    const s = { ...source([view('a', S.RUNNING)]), essentialFailure: () => 'essential program db failed' };
    expect(readiness(s).reasons).toEqual(['svinit: essential program db failed']);
  });
});

describe('probe server', () => {
  let server: ProbeServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('answers /healthz, /readyz and /metrics, 404 for everything else including /RPC2', async () => {
    const procs = [view('web', S.STARTING)];
    let mood = SupervisorState.RUNNING;
    server = await startProbeServer({ host: '127.0.0.1', port: 0 }, { ...source(procs), mood: () => mood });
    const get = async (p: string, init?: RequestInit) => {
      const r = await fetch(server!.url + p, init);
      return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
    };
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get('/readyz')).toMatchObject({ status: 503, body: 'not ready:\nweb: STARTING\n' });
    procs[0] = view('web', S.RUNNING);
    expect(await get('/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
    expect(await get('/metrics')).toMatchObject({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8' });
    expect((await get('/RPC2', { method: 'POST', body: '<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName></methodCall>' })).status).toBe(404);
    expect((await get('/RPC2')).status).toBe(404);
    expect((await get('/')).status).toBe(404);
    expect((await get('/healthz/extra')).status).toBe(404);
    expect((await get('/healthz', { method: 'POST', body: 'x' })).status).toBe(405);
    mood = SupervisorState.SHUTDOWN;
    expect(await get('/healthz')).toMatchObject({ status: 503, body: 'shutting down\n' });
    expect(await get('/readyz')).toMatchObject({ status: 503, body: 'not ready:\nsvinit: shutting down\n' });
  });
});
