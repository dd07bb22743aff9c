// Process control commands: status, pid, start, stop, restart, signal, clear.

import { splitNamespec } from '../config/namespec.js';
import { Faults } from '../engine/errors.js';
import { STOPPED_STATES, type ProcessState } from '../engine/states.js';
import { LSBInitExitStatuses, LSBStatusExitStatuses, namespec, words, type Command, type Controller, type ProcessInfo, type Result } from './controller.js';
import { RpcFault } from './transport.js';
import { CtlError, SUPERVISORCTL_PY } from './uncaught.js';

// Only on a terminal: scripts and pipes get supervisorctl's exact bytes.
const COLOURS: Record<string, string> = {
  RUNNING: '\x1b[32m',
  STARTING: '\x1b[33m',
  STOPPING: '\x1b[33m',
  BACKOFF: '\x1b[31m',
  FATAL: '\x1b[31m',
  EXITED: '\x1b[33m',
  UNKNOWN: '\x1b[31m',
};

/** One `status` line per process: namespec column max(30, longest)+3 wide, state 10 wide. */
export function formatStatuses(infos: ProcessInfo[], colour: boolean): string[] {
  const specs = infos.map((i) => namespec(i.group, i.name));
  const width = Math.max(30, ...specs.map((s) => s.length)) + 3;
  return infos.map((info, i) => {
    const state = info.statename.padEnd(10);
    const shown = colour && COLOURS[info.statename] ? `${COLOURS[info.statename]}${info.statename}\x1b[0m${state.slice(info.statename.length)}` : state;
    return `${specs[i].padEnd(width)}${shown}${info.description}`;
  });
}

const isStopped = (state: number) => STOPPED_STATES.has(state as ProcessState);

export const status: Command = async (ctl, arg) => {
  // supervisorctl turns any upcheck failure of `status` into LSB status 4.
  if (!(await ctl.upcheck())) {
    ctl.exitstatus = LSBStatusExitStatuses.UNKNOWN;
    return;
  }
  const all = await ctl.call<ProcessInfo[]>('getAllProcessInfo');
  const names = words(arg);
  let matching: ProcessInfo[] = [];
  if (!names.length || names.includes('all')) matching = all;
  else
    for (const name of names) {
      const [group, proc] = splitNamespec(name);
      const found = all.filter((info) => info.group === group && (proc === null || info.name === proc));
      matching.push(...found);
      if (!found.length) {
        ctl.output(proc === null ? `${group}: ERROR (no such group)` : `${name}: ERROR (no such process)`);
        ctl.exitstatus = LSBStatusExitStatuses.UNKNOWN;
      }
    }
  for (const line of formatStatuses(matching, ctl.io.isTTY)) ctl.output(line);
  for (const info of matching) if (isStopped(info.state)) ctl.exitstatus = LSBStatusExitStatuses.NOT_RUNNING;
};

export const pid: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (!names.length) {
    ctl.output(String(await ctl.call<number>('getPID')));
  } else if (names.includes('all')) {
    for (const info of await ctl.call<ProcessInfo[]>('getAllProcessInfo')) ctl.output(String(info.pid));
  } else {
    for (const name of names) {
      let info: ProcessInfo;
      try {
        info = await ctl.call<ProcessInfo>('getProcessInfo', name);
      } catch (e) {
        if (!(e instanceof RpcFault)) throw e;
        ctl.exitstatus = LSBInitExitStatuses.GENERIC;
        if (e.faultCode !== Faults.BAD_NAME) throw e;
        ctl.output(`No such process ${name}`);
        continue;
      }
      ctl.output(String(info.pid));
      if (info.pid === 0) ctl.exitstatus = LSBInitExitStatuses.NOT_RUNNING;
    }
  }
};

function unknownResult(r: Result, line: number): never {
  throw new CtlError('ValueError', `Unknown result code ${r.status} for ${namespec(r.group, r.name)}`, `${SUPERVISORCTL_PY} line: ${line}`);
}

const START_ERRORS: Record<number, string> = {
  [Faults.BAD_NAME]: 'no such process',
  [Faults.NO_FILE]: 'no such file',
  [Faults.NOT_EXECUTABLE]: 'file is not executable',
  [Faults.ALREADY_STARTED]: 'already started',
  [Faults.SPAWN_ERROR]: 'spawn error',
  [Faults.ABNORMAL_TERMINATION]: 'abnormal termination',
};

export function startResult(r: Result): string {
  const name = namespec(r.group, r.name);
  if (r.status === Faults.SUCCESS) return `${name}: started`;
  if (START_ERRORS[r.status]) return `${name}: ERROR (${START_ERRORS[r.status]})`;
  return unknownResult(r, 761);
}

export function signalResult(r: Result, success = 'signalled'): string {
  const name = namespec(r.group, r.name);
  if (r.status === Faults.BAD_NAME) return `${name}: ERROR (no such process)`;
  if (r.status === Faults.BAD_SIGNAL) return `${name}: ERROR (bad signal name)`;
  if (r.status === Faults.NOT_RUNNING) return `${name}: ERROR (not running)`;
  if (r.status === Faults.SUCCESS) return `${name}: ${success}`;
  if (r.status === Faults.FAILED) return r.description;
  return unknownResult(r, 835);
}

export function clearResult(r: Result): string {
  const name = namespec(r.group, r.name);
  if (r.status === Faults.BAD_NAME) return `${name}: ERROR (no such process)`;
  if (r.status === Faults.FAILED) return `${name}: ERROR (failed)`;
  if (r.status === Faults.SUCCESS) return `${name}: cleared`;
  return unknownResult(r, 1260);
}

interface Action {
  all: () => Promise<Result[]>;
  group: (g: string) => Promise<Result[]>;
  one: (name: string) => Promise<unknown>;
  format: (r: Result) => string;
  success: string;
  /** The fault that does not change the exit status (already started / not running). */
  ignored?: number;
  /** Exit status for an unknown group (start says 2, the others 1). */
  badGroup: number;
}

/** The shape start, stop and signal share: `all`, `group:*` / `group:`, single processes. */
async function forNames(ctl: Controller, names: string[], a: Action): Promise<void> {
  const show = (r: Result) => {
    ctl.output(a.format(r));
    ctl.setExitstatusFromFault(r.status, a.ignored);
  };
  if (names.includes('all')) {
    for (const r of await a.all()) show(r);
    return;
  }
  for (const name of names) {
    const [group, proc] = splitNamespec(name);
    if (proc === null) {
      let results: Result[];
      try {
        results = await a.group(group);
      } catch (e) {
        if (e instanceof RpcFault && e.faultCode === Faults.BAD_NAME) {
          ctl.output(`${group}: ERROR (no such group)`);
          ctl.exitstatus = a.badGroup;
          continue;
        }
        throw e;
      }
      for (const r of results) show(r);
    } else {
      try {
        await a.one(name);
      } catch (e) {
        if (!(e instanceof RpcFault)) throw e;
        show({ status: e.faultCode, name: proc, group, description: e.faultString });
        continue;
      }
      ctl.output(`${namespec(group, proc)}: ${a.success}`);
    }
  }
}

export const start: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (!names.length) {
    ctl.output('Error: start requires a process name');
    ctl.exitstatus = LSBInitExitStatuses.INVALID_ARGS;
    ctl.help('start');
    return;
  }
  await forNames(ctl, names, {
    all: () => ctl.call('startAllProcesses'),
    group: (g) => ctl.call('startProcessGroup', g),
    one: (n) => ctl.call('startProcess', n),
    format: startResult,
    success: 'started',
    ignored: Faults.ALREADY_STARTED,
    badGroup: LSBInitExitStatuses.INVALID_ARGS,
  });
};

export const stop: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (!names.length) {
    ctl.output('Error: stop requires a process name');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    ctl.help('stop');
    return;
  }
  await forNames(ctl, names, {
    all: () => ctl.call('stopAllProcesses'),
    group: (g) => ctl.call('stopProcessGroup', g),
    one: (n) => ctl.call('stopProcess', n),
    format: (r) => signalResult(r, 'stopped'),
    success: 'stopped',
    ignored: Faults.NOT_RUNNING,
    badGroup: LSBInitExitStatuses.GENERIC,
  });
};

export const signal: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  if (args.length < 2) {
    ctl.output('Error: signal requires a signal name and a process name');
    ctl.help('signal');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    return;
  }
  const [sig, ...names] = args;
  await forNames(ctl, names, {
    all: () => ctl.call('signalAllProcesses', sig),
    group: (g) => ctl.call('signalProcessGroup', g, sig),
    one: (n) => ctl.call('signalProcess', n, sig),
    format: (r) => signalResult(r),
    success: 'signalled',
    badGroup: LSBInitExitStatuses.GENERIC,
  });
};

export const restart: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  if (!words(arg).length) {
    ctl.output('Error: restart requires a process name');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    ctl.help('restart');
    return;
  }
  await stop(ctl, arg);
  await start(ctl, arg);
};

export const clear: Command = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (!names.length) {
    ctl.output('Error: clear requires a process name');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    ctl.help('clear');
    return;
  }
  if (names.includes('all')) {
    for (const r of await ctl.call<Result[]>('clearAllProcessLogs')) {
      ctl.output(clearResult(r));
      ctl.setExitstatusFromFault(r.status);
    }
    return;
  }
  for (const name of names) {
    const [group, proc] = splitNamespec(name);
    try {
      await ctl.call('clearProcessLogs', name);
    } catch (e) {
      if (!(e instanceof RpcFault)) throw e;
      ctl.output(clearResult({ status: e.faultCode, name: proc, group, description: e.faultString }));
      ctl.setExitstatusFromFault(e.faultCode);
      continue;
    }
    ctl.output(`${namespec(group, proc)}: cleared`);
  }
};
