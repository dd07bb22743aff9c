// The comparisons themselves, for any daemon: svctl must print what supervisorctl prints (stdout)
// and exit with the same status, command by command.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/daemon.js';
import {
  mask,
  normalise,
  PROGRAMS,
  PROGRAMS_EDITED,
  runSupervisorctl,
  runSvctl,
  settled,
  streamBoth,
  type ClientOptions,
  type DaemonFactory,
  type DaemonUnderTest,
} from './harness.js';

/** Commands whose result lines come in the order processes finish: compared as sorted lines. */
const UNORDERED = new Set(['start', 'stop', 'restart', 'update']);

/** In order on two identical daemons; each leaves both in the same state. */
export const SEQUENCE: string[][] = [
  ['status'],
  ['status', 'hello'],
  ['status', 'nosuch', 'w:*'],
  ['status', 'x:'],
  ['status', 'grp:*'],
  ['status', 'all', 'nosuch'],
  ['status', 'grp:a', 'grp:zz', 'hello:hello'],
  ['pid', 'hello'],
  ['pid', 'off'],
  ['pid', 'nosuch'],
  ['pid', 'grp:*'],
  ['pid', 'all'],
  ['pid'],
  ['tail', 'hello'],
  ['tail', '-3', 'hello', 'stderr'],
  ['tail', '-0', 'hello'],
  ['tail', 'hello', 'foo'],
  ['tail', 'hello', 'STDERR'],
  ['tail', '+5', 'hello'],
  ['tail', 'off'],
  ['tail', 'nosuch'],
  ['tail', 'grp:*'],
  ['tail'],
  ['tail', 'a', 'b', 'c', 'd'],
  ['tail', '-x', 'hello'],
  ['tail', '-f'],
  ['maintail', 'x'],
  ['maintail', '-x'],
  ['maintail', 'a', 'b'],
  ['avail'],
  ['avail', 'x'],
  ['stop', 'hello'],
  ['stop', 'hello'],
  ['start', 'hello'],
  ['start', 'hello'],
  ['start', 'hello:hello'],
  ['start', 'nosuch', 'nogroup:*'],
  ['start', 'grp:nosuch'],
  ['start', 'w'],
  ['start', 'bad'],
  ['stop', 'x:*'],
  ['stop', 'grp:*'],
  ['start', 'grp:*'],
  ['restart', 'w:*'],
  ['restart', 'hello', 'grp:a'],
  ['signal', 'HUP', 'off'],
  ['signal', 'FOO', 'hello'],
  ['signal', '999', 'hello'],
  ['signal', 'USR1'],
  ['signal', 'USR1', 'w:*'],
  ['signal', 'HUP', 'grp:'],
  ['signal', 'HUP', 'x:'],
  ['signal', 'WINCH', 'all'],
  ['clear', 'hello'],
  ['clear', 'nosuch'],
  ['clear', 'grp:*'],
  ['clear', 'all'],
  ['version'],
  ['version', 'x'],
  ['reread'],
  ['reread', 'x'],
  ['update'],
  ['update', 'nosuch'],
  ['add'],
  ['add', 'nosuch'],
  ['add', 'grp'],
  ['remove', 'hello'],
  ['remove', 'nosuch'],
  ['start'],
  ['stop'],
  ['restart'],
  ['clear'],
  ['signal', 'HUP'],
  ['shutdown', 'x'],
  ['reload', 'x'],
  ['help'],
  ['help', 'tail'],
  ['help', 'maintail'],
  ['help', 'help'],
  ['help', 'EOF'],
  ['help', 'nothing'],
  ['?', 'stop'],
  ['bogus', 'command'],
  ['!ls'],
  ['foo-bar'],
  ['quit'],
  ['exit'],
  ['EOF'],
  ['fg'],
  ['fg', 'off'],
  ['fg', 'a', 'b'],
  ['fg', 'grp:*'],
  ['fg', 'nosuch'],
  ['open', 'foo'],
  ['open', 'unix:///nonexistent/svctl.sock'],
  ['stop', 'all'],
  ['start', 'all'],
];

/** Config edits seen through reread, then applied with update, add and remove. */
const EDIT_SEQUENCE: string[][] = [
  ['reread'],
  ['avail'],
  ['remove', 'fresh'],
  ['add', 'fresh'],
  ['add', 'fresh'],
  ['update', 'off', 'nosuch'],
  ['update'],
  ['update', 'all'],
  ['status'],
  ['reread'],
];

/** Lines typed into the interactive shell (stdin is a pipe, as in `svctl < script`). */
const SHELL_SCRIPT = 'status hello\nversion\nbogus\n\nstop nosuch\nreload\nn\nshutdown\nno\nopen foo\nhelp quit\nexit\nversion\n';

/** Runs one command in both clients; returns supervisorctl's stdout for extra checks. */
async function compare(a: DaemonUnderTest | null, b: DaemonUnderTest | null, command: string[], o: ClientOptions = {}): Promise<string> {
  const [real, ours] = await Promise.all([runSupervisorctl(a, command, o), runSvctl(b, command, o)]);
  const unordered = UNORDERED.has(command[0]);
  expect(normalise(ours, unordered), `svctl ${command.join(' ')}`).toBe(normalise(real, unordered));
  return real.stdout;
}

export function defineCompatSuite(label: string, factory: DaemonFactory): void {
  describe(`svctl vs supervisorctl on ${label} (unix socket)`, () => {
    let a: DaemonUnderTest;
    let b: DaemonUnderTest;
    beforeAll(async () => {
      [a, b] = await Promise.all([factory({ programs: PROGRAMS, auth: false }), factory({ programs: PROGRAMS, auth: false })]);
      await Promise.all([settled(a), settled(b)]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([a?.kill(), b?.kill()]);
    });

    it('every command: same output and exit status', async () => {
      const seen: string[] = [];
      for (const command of SEQUENCE) seen.push(await compare(a, b, command));
      // Guards against agreeing on nothing (both failing the same way).
      expect(seen[0]).toMatch(/^bad +FATAL +Exited too quickly[^]*grp:a +RUNNING +pid \d+, uptime[^]*off +STOPPED +Not started\n/);
      expect(seen[SEQUENCE.findIndex((c) => c.join(' ') === 'tail hello')]).toBe('hello-out\n\n');
    }, 180_000);

    it('tail -f and maintail -f stream until Ctrl-C', async () => {
      await settled(a);
      await settled(b);
      for (const [args, until, exact, interrupt] of [
        [['tail', '-f', 'hello'], /hello-out\n/, true, true],
        [['tail', '-f', 'hello', 'stderr'], /hello-err\n/, true, true],
        // A 404 ends the stream by itself.
        [['tail', '-f', 'nosuch'], /Press Ctrl-C/, true, false],
        // The two daemons' activity logs differ (pids, times): only the frame is compared.
        [['maintail', '-f'], /INFO/, false, true],
      ] as const) {
        const [real, ours] = await streamBoth(a, b, [...args], { until, interrupt });
        const label = args.join(' ');
        if (exact) expect(mask(ours.stdout), label).toBe(mask(real.stdout));
        else {
          expect(ours.stdout.startsWith('==> Press Ctrl-C to exit <==\n'), label).toBe(real.stdout.startsWith('==> Press Ctrl-C to exit <==\n'));
          // Both end with the empty line printed at Ctrl-C (supervisorctl's output('')); how much
          // of the log arrived just before the interrupt is a race in each, so only svinit's side
          // is held to the exact ending.
          expect(ours.stdout.endsWith('\n\n'), label).toBe(true);
          expect(real.stdout.endsWith('\n'), label).toBe(true);
        }
        expect(ours.code, label).toBe(real.code);
        expect(mask(ours.stderr), label).toBe(mask(real.stderr));
      }
    }, 60_000);

    it('fg forwards typed lines and leaves at end of input', async () => {
      const [real, ours] = await streamBoth(a, b, ['fg', 'hello'], { until: /Exiting foreground\n/, interrupt: false, stdin: 'some input\n', killReal: true });
      // How much log output shows before the end of input is a race in both: compare the frame.
      const frame = (s: string) => s.split('\n').filter((l) => /==>|Exiting|Process got killed/.test(l));
      expect(frame(ours.stdout)).toEqual(frame(real.stdout));
      expect(ours.code).toBe(0);
    }, 30_000);

    it('the interactive shell reads commands from a pipe', async () => {
      await compare(a, b, [], { stdin: SHELL_SCRIPT });
      await compare(a, b, ['-i', 'status', 'hello'], { stdin: '' });
    }, 30_000);

    it('reread, update, add and remove after a config edit', async () => {
      a.setPrograms(PROGRAMS_EDITED);
      b.setPrograms(PROGRAMS_EDITED);
      const seen: string[] = [];
      for (const command of EDIT_SEQUENCE) seen.push(await compare(a, b, command));
      expect(seen[0]).toBe('fresh: available\nhello: disappeared\noff: changed\n');
      expect(seen[EDIT_SEQUENCE.length - 1]).toBe('No config updates to processes\n');
      a.setPrograms(PROGRAMS);
      b.setPrograms(PROGRAMS);
    }, 60_000);

    it('reload and shutdown, then a daemon that is gone', async () => {
      await compare(a, b, ['reload']);
      await waitFor(async () => (await runSvctl(a, ['version'])).code === 0 && (await runSvctl(b, ['version'])).code === 0, 'restart', 20_000, 50);
      await compare(a, b, ['shutdown']);
      await Promise.all([a.exited(), b.exited()]);
      for (const command of [['status'], ['status', 'hello'], ['start', 'x'], ['tail', '-f', 'x'], ['pid'], ['avail'], ['reread'], ['shutdown'], ['help']]) await compare(a, b, command);
    }, 60_000);
  });

  describe(`svctl vs supervisorctl on ${label} (TCP with authentication)`, () => {
    let a: DaemonUnderTest;
    let b: DaemonUnderTest;
    beforeAll(async () => {
      [a, b] = await Promise.all([factory({ programs: PROGRAMS, auth: true }), factory({ programs: PROGRAMS, auth: true })]);
      await Promise.all([settled(a), settled(b)]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([a?.kill(), b?.kill()]);
    });

    it('with credentials, without them, with a wrong password', async () => {
      for (const command of [['status'], ['status', 'hello'], ['pid', 'all'], ['tail', 'hello'], ['avail'], ['stop', 'hello'], ['start', 'hello'], ['version'], ['help']]) {
        const withCredentials = await compare(a, b, command);
        if (command[0] === 'version') expect(withCredentials).toBe('4.2.5\n');
        await compare(a, b, command, { noAuth: true });
        await compare(a, b, command, { password: 'wrong' });
      }
      await compare(a, b, ['add', 'x'], { noAuth: true });
    }, 120_000);

    it('tail -f authenticates too', async () => {
      const [real, ours] = await streamBoth(a, b, ['tail', '-f', 'hello'], { until: /hello-out\n/, interrupt: true });
      expect(mask(ours.stdout)).toBe(mask(real.stdout));
      expect(ours.code).toBe(real.code);
    }, 30_000);

    it('asks for credentials in interactive mode after a 401', async () => {
      await compare(a, b, ['-i', 'version'], { noAuth: true, stdin: 'admin\nsecret\n' });
    }, 30_000);
  });

  describe(`svctl vs supervisorctl with no daemon (${label} suite)`, () => {
    it('unix socket missing, TCP port closed, bad options', async () => {
      const gone = [{ serverurl: 'unix:///nonexistent/svctl.sock' }, { serverurl: 'http://127.0.0.1:1' }];
      const commands = [['status'], ['start', 'x'], ['stop', 'all'], ['tail', 'x'], ['tail', '-f', 'x'], ['maintail'], ['pid'], ['version'], ['fg', 'x'], ['clear', 'x'], ['signal', 'HUP', 'x'], ['avail'], ['reread'], ['update'], ['add', 'x'], ['remove', 'x'], ['reload'], ['shutdown'], ['help']];
      for (const o of gone) for (const command of commands) await compare(null, null, command, o);
      for (const args of [['-s', 'foo', 'status'], ['-s', 'http://', 'status'], ['-x', 'status'], ['-s'], ['-c', '/nonexistent.conf', 'status']]) {
        const [real, ours] = await Promise.all([runSupervisorctl(null, args, gone[0]), runSvctl(null, args, gone[0])]);
        expect(ours.code, args.join(' ')).toBe(real.code);
        expect(ours.stderr.split('\n')[0], args.join(' ')).toBe(real.stderr.split('\n')[0]);
      }
    }, 120_000);
  });
}
