// Log commands: tail, maintail (read through XML-RPC, or followed through /logtail and
// /mainlogtail with -f) and fg (follow both channels and forward typed lines to stdin).

import { Faults } from '../engine/errors.js';
import { ProcessState } from '../engine/states.js';
import { ANSWERED, LSBInitExitStatuses, words, type Command, type Controller, type FaultAnswers, type ProcessInfo } from './controller.js';
import { pyRepr, RpcFault, streamLog, type LogStream } from './transport.js';

/** Python int() of a `-N` modifier's N (an optional sign, digits, single underscores between). */
function pyInt(s: string): number | null {
  return /^[-+]?\d+(_\d+)*$/.test(s) ? Number(s.replace(/_/g, '')) : null;
}

/** What tail and maintail print when the log of `who` cannot be read. */
function logFaultAnswers(who: string): FaultAnswers {
  return { [Faults.NO_FILE]: `${who}: ERROR (no log file)`, [Faults.FAILED]: `${who}: ERROR (unknown error reading log)` };
}

/**
 * Streams logtail URLs to stdout until the user presses Ctrl-C, `stop` resolves, or (when
 * endWithStreams) the server ends every stream.
 */
async function follow(ctl: Controller, paths: string[], opts: { endWithStreams: boolean; stop?: Promise<void> }): Promise<'interrupted' | 'ended'> {
  // svctl's stdout into a pipe nobody reads must not fill svctl's memory: stop reading the server
  // (which then holds back or skips, see docs/limits.md) until stdout drains.
  const streams: LogStream[] = [];
  let blocked = false;
  const onData = (data: Buffer) => {
    if (ctl.io.stdout.write(data) || blocked) return;
    blocked = true;
    for (const s of streams) s.pause();
    ctl.io.stdout.once('drain', () => {
      blocked = false;
      for (const s of streams) s.resume();
    });
  };
  for (const p of paths) streams.push(streamLog(ctl.options, p, onData, (line) => ctl.io.stderr.write(`${line}\n`)));
  let interrupted = false;
  let stopWaiting: () => void = () => undefined;
  const onInterrupt = new Promise<void>((resolve) => (stopWaiting = resolve));
  const cancel = ctl.onInterrupt(() => {
    interrupted = true;
    stopWaiting();
  });
  try {
    const waits: Promise<unknown>[] = [onInterrupt];
    if (opts.stop) waits.push(opts.stop);
    if (opts.endWithStreams) waits.push(Promise.all(streams.map((s) => s.done)));
    await Promise.race(waits);
  } finally {
    cancel();
    for (const s of streams) s.close();
  }
  return interrupted ? 'interrupted' : 'ended';
}

async function tailf(ctl: Controller, path: string): Promise<void> {
  ctl.output('==> Press Ctrl-C to exit <==');
  if ((await follow(ctl, [path], { endWithStreams: true })) === 'interrupted') ctl.output('');
}

export const tail: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  if (args.length < 1 || args.length > 3) {
    ctl.output(args.length < 1 ? 'Error: too few arguments' : 'Error: too many arguments');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    ctl.help('tail');
    return;
  }
  const modifier = args[0].startsWith('-') ? args.shift()! : null;
  let name: string;
  let channel = 'stdout';
  if (args.length === 1) name = args[0];
  else if (args.length) {
    name = args[0];
    channel = args[args.length - 1].toLowerCase();
    if (channel !== 'stderr' && channel !== 'stdout') {
      ctl.output(`Error: bad channel ${pyRepr(channel)}`);
      ctl.exitstatus = LSBInitExitStatuses.GENERIC;
      return;
    }
  } else {
    ctl.output('Error: tail requires process name');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    return;
  }
  let bytes = 1600;
  if (modifier !== null) {
    const what = modifier.slice(1);
    if (what === 'f') return tailf(ctl, `/logtail/${name}/${channel}`);
    const n = pyInt(what);
    if (n === null) {
      ctl.output(`Error: bad argument ${modifier}`);
      ctl.exitstatus = LSBInitExitStatuses.GENERIC;
      return;
    }
    bytes = n;
  }
  const output = await ctl.callAnswering<string>(
    { ...logFaultAnswers(name), [Faults.BAD_NAME]: `${name}: ERROR (no such process name)` },
    channel === 'stdout' ? 'readProcessStdoutLog' : 'readProcessStderrLog',
    name,
    0 - bytes,
    0,
  );
  if (output !== ANSWERED) ctl.output(output);
};

export const maintail: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  let bytes = 1600;
  if (args.length > 1) {
    ctl.output('Error: too many arguments');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    ctl.help('maintail');
    return;
  }
  if (args.length === 1) {
    const n = args[0].startsWith('-') ? pyInt(args[0].slice(1)) : null;
    if (args[0] === '-f') return tailf(ctl, '/mainlogtail');
    if (n === null) {
      ctl.output(`Error: bad argument ${args[0]}`);
      ctl.exitstatus = LSBInitExitStatuses.GENERIC;
      return;
    }
    bytes = n;
  }
  const output = await ctl.callAnswering<string>(logFaultAnswers('supervisord'), 'readLog', 0 - bytes, 0);
  if (output !== ANSWERED) ctl.output(output);
};

export const fg: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (!names.length) {
    ctl.output('ERROR: no process name supplied');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    ctl.help('fg');
    return;
  }
  if (names.length > 1) {
    ctl.output('ERROR: too many process names supplied');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    return;
  }
  const [name] = names;
  let info: ProcessInfo;
  try {
    info = await ctl.call<ProcessInfo>('getProcessInfo', name);
  } catch (e) {
    if (!(e instanceof RpcFault)) throw e;
    if (e.faultCode === Faults.BAD_NAME) {
      ctl.output('ERROR: bad process name supplied');
      ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    } else ctl.output(`ERROR: ${e.message}`);
    return;
  }
  if (info.state !== ProcessState.RUNNING) {
    ctl.output('ERROR: process not running');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    return;
  }
  ctl.output('==> Press Ctrl-C to exit <==');
  // Output streams while we wait for the user's lines; Ctrl-C or end of input leaves.
  const abort = new AbortController();
  let stopFollowing: () => void = () => undefined;
  const stop = new Promise<void>((resolve) => (stopFollowing = resolve));
  const following = follow(ctl, [`/logtail/${name}/stdout`, `/logtail/${name}/stderr`], { endWithStreams: false, stop });
  const cancel = ctl.onInterrupt(() => abort.abort());
  try {
    for (;;) {
      const line = await ctl.io.readLine('', { signal: abort.signal });
      if (line === null) {
        ctl.output('Exiting foreground');
        return;
      }
      try {
        await ctl.call('sendProcessStdin', name, `${line}\n`);
      } catch (e) {
        if (!(e instanceof RpcFault)) throw e;
        ctl.output(e.faultCode === Faults.NOT_RUNNING ? 'Process got killed' : `ERROR: ${e.message}`);
        ctl.output('Exiting foreground');
        return;
      }
      const now = await ctl.call<ProcessInfo>('getProcessInfo', name);
      if (now.state !== ProcessState.RUNNING) {
        ctl.output('Process got killed');
        ctl.output('Exiting foreground');
        return;
      }
    }
  } finally {
    cancel();
    stopFollowing();
    await following;
  }
};
