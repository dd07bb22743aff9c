// Fidelity with supervisord 4.2.5, scenario by scenario on both daemons: what SIGHUP does, and how
// soon a program that died while RUNNING is back.

import { describe, expect, it } from 'vitest';
import { alive } from '../../helpers/daemon.js';
import { KINDS, lineTime, onDaemon } from './oracle.js';

const pidOf = (line: string) => Number(/with pid (\d+)/.exec(line)![1]);

describe.each(KINDS)('%s', (kind) => {
  it('SIGHUP stops every program, re-reads the config and starts them again', async () => {
    await onDaemon(
      kind,
      () => `
[program:keep]
command=/bin/sleep 1000
startsecs=0
`,
      async (run) => {
        const first = pidOf(await run.waitLine(/spawned: 'keep' with pid/));
        await run.waitLine(/success: keep entered RUNNING/);
        run.proc.kill('SIGHUP');
        await run.waitLine(/received SIGHUP indicating restart request/);
        await run.waitLine(/stopped: keep \(terminated by SIGTERM\)/);
        const second = pidOf(await run.waitLine(/spawned: 'keep' with pid/, 2));
        expect(second).not.toBe(first);
        expect(alive(first)).toBe(false);
        expect(alive(second)).toBe(true);
      },
    );
  });

  it('a RUNNING program that dies is restarted at once, not a second later', async () => {
    await onDaemon(
      kind,
      () => `
[program:crash]
command=/bin/sh -c 'sleep 0.3; exit 1'
startsecs=0
autorestart=true
`,
      async (run) => {
        await run.waitLine(/success: crash entered RUNNING/);
        const exited = await run.waitLine(/exited: crash \(exit status 1; not expected\)/);
        const respawned = await run.waitLine(/spawned: 'crash' with pid/, 2);
        const events = run.lines().filter((l) => / (spawned|success|exited): /.test(l)).slice(0, 4);
        expect(events.map((l) => l.replace(/^.*? (INFO|WARN) /, '').replace(/pid \d+/, 'pid N'))).toEqual([
          "spawned: 'crash' with pid N",
          'success: crash entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
          'exited: crash (exit status 1; not expected)',
          "spawned: 'crash' with pid N",
        ]);
        // supervisord restarts at its next poll (usually ~0.03 s, up to its 1 s poll on a loaded
        // machine); svinit restarts at once, where it used to wait out a second since the start.
        if (kind === 'svinit') expect(lineTime(respawned) - lineTime(exited)).toBeLessThan(900);
      },
    );
  });
});
