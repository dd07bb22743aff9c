// depends_on, readiness and essential with svinit as PID 1 in real containers: a web + db +
// migrate stack, and a one-shot essential job whose exit code becomes the container's.

import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/daemon.js';
import { svinitPerTest } from './helpers.js';

const start = svinitPerTest();

/** A database stand-in: accepts TCP connections on 5432 only after two seconds. */
const DB = `/bin/sh -c "exec node -e \\"setTimeout(() => require('net').createServer((c) => c.end()).listen(5432, '127.0.0.1'), 2000)\\""`;
const WEB = `/bin/sh -c "exec node -e \\"require('http').createServer((q, r) => r.end('ok')).listen(8080, '127.0.0.1')\\""`;

/** The database's section: RUNNING once the port accepts. */
const db = `[program:db]
command=${DB}
ready_check=tcp://127.0.0.1:5432
ready_check_interval=0.2
`;

const stack = `[supervisord]
${db}[program:migrate]
command=/bin/sh -c "echo migrating; sleep 0.5; echo migrated"
depends_on=db
startsecs=0
autorestart=false
[program:web]
command=${WEB}
depends_on=db, migrate:completed_successfully
ready_check=http://127.0.0.1:8080/
ready_check_interval=0.2
`;

const order = (log: string, re: RegExp) => log.split('\n').filter((l) => re.test(l));

describe('a web + db + migrate stack as PID 1', () => {
  it('starts in dependency order when each is ready, and stops dependents first on docker stop', async () => {
    const c = await start({ config: stack });
    await c.waitForLog(/success: web entered RUNNING state, ready_check http:\/\/127\.0\.0\.1:8080\/ succeeded/, 30_000);
    const log = await c.logs();
    const steps = order(log, /spawned: '(db|migrate|web)'|success: db entered RUNNING|exited: migrate/).map(
      (l) => /(spawned: '\w+'|success: db|exited: migrate)/.exec(l)![1],
    );
    expect(steps).toEqual(["spawned: 'db'", 'success: db', "spawned: 'migrate'", 'exited: migrate', "spawned: 'web'"]);
    const status = await c.exec(['svctl', 'status']);
    expect(status.output).toMatch(/^db\s+RUNNING/m);
    expect(status.output).toMatch(/^migrate\s+EXITED/m);
    expect(status.output).toMatch(/^web\s+RUNNING/m);
    const { exitCode } = await c.dockerStop(10);
    expect(exitCode).toBe(0);
    const stopped = order(await c.logs(), /stopped: /).map((l) => /stopped: (\w+)/.exec(l)![1]);
    expect(stopped).toEqual(['web', 'db']);
  });

  it('a status line says what a program waits for', async () => {
    // A database that never opens its port: the stack stays waiting while the test looks.
    const c = await start({ config: stack.replace(DB, '/bin/sleep 1000') });
    await c.waitForLog(/held: 'web' waiting for db \(running\), migrate \(completed_successfully\)/);
    const status = await c.exec(['svctl', 'status']);
    expect(status.output).toMatch(/^db\s+STARTING\s*$/m);
    expect(status.output).toMatch(/^migrate\s+STOPPED\s+waiting for db \(running\)$/m);
    expect(status.output).toMatch(/^web\s+STOPPED\s+waiting for db \(running\), migrate \(completed_successfully\)$/m);
  });
});

describe('a one-shot essential job', () => {
  it("docker run exits with the job's code after stopping the database beside it", async () => {
    const c = await start({
      waitFor: null,
      config: `[supervisord]
${db}[program:job]
command=/bin/sh -c "echo reporting; exit 7"
depends_on=db
startsecs=0
autorestart=false
essential=true
`,
    });
    expect(await c.waitForExit(30_000)).toBe(7);
    const log = await c.logs();
    expect(log).toMatch(/essential program 'job' exited with status 7: shutting down with exit code 7/);
    expect(log).toMatch(/stopped: db \(terminated by SIGTERM\)/);
    await waitFor(async () => (await c.exitCode()) === 7, 'container exited with 7');
  });
});
