// Configuration commands: avail, reread, add, remove, update.

import { Faults } from '../engine/errors.js';
import { ANSWERED, type Command, LSBInitExitStatuses, namespec, noArguments, type ProcessInfo, type Result, words } from './controller.js';
import { RpcFault } from './transport.js';

interface ConfigInfo {
  name: string;
  group: string;
  inuse: boolean;
  autostart: boolean;
  group_prio: number;
  process_prio: number;
}

/** `'%(name)-32s %(inuse)-9s %(autostart)-9s %(priority)s'` */
export function formatConfigInfo(c: ConfigInfo): string {
  return `${namespec(c.group, c.name).padEnd(32)} ${(c.inuse ? 'in use' : 'avail').padEnd(9)} ${(c.autostart ? 'auto' : 'manual').padEnd(9)} ${c.group_prio}:${c.process_prio}`;
}

/** reread's report: every changed group with its word, by name; or that nothing changed. */
export function formatChanges([added, changed, dropped]: string[][]): string[] {
  const changes = new Map<string, string>();
  for (const [names, word] of [
    [added, 'available'],
    [changed, 'changed'],
    [dropped, 'disappeared'],
  ] as const)
    for (const n of names) changes.set(n, word);
  if (!changes.size) return ['No config updates to processes'];
  return [...changes.keys()].sort(pySort).map((n) => `${n}: ${changes.get(n)}`);
}

/** Python's default string order (code points), not localeCompare. */
function pySort(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const avail: Command = async (ctl, arg) => {
  if (noArguments(ctl, 'avail', arg)) return;
  const infos = await ctl.callAnswering<ConfigInfo[]>({ [Faults.SHUTDOWN_STATE]: 'ERROR: supervisor shutting down' }, 'getAllConfigInfo');
  if (infos === ANSWERED) return;
  for (const c of infos) ctl.output(formatConfigInfo(c));
};

export const reread: Command = async (ctl, arg) => {
  if (noArguments(ctl, 'reread', arg)) return;
  const result = await ctl.callAnswering<string[][][]>(
    { [Faults.SHUTDOWN_STATE]: 'ERROR: supervisor shutting down', [Faults.CANT_REREAD]: (e) => `ERROR: ${e.faultString}` },
    'reloadConfig',
  );
  if (result === ANSWERED) return;
  for (const line of formatChanges(result[0])) ctl.output(line);
};

export const add: Command = async (ctl, arg) => {
  for (const name of words(arg)) {
    try {
      await ctl.call('addProcessGroup', name);
    } catch (e) {
      if (!(e instanceof RpcFault)) throw e;
      if (e.faultCode === Faults.SHUTDOWN_STATE) {
        ctl.output('ERROR: shutting down');
        ctl.exitstatus = LSBInitExitStatuses.GENERIC;
      } else if (e.faultCode === Faults.ALREADY_ADDED) {
        ctl.output('ERROR: process group already active');
      } else if (e.faultCode === Faults.BAD_NAME) {
        ctl.output(`ERROR: no such process/group: ${name}`);
        ctl.exitstatus = LSBInitExitStatuses.GENERIC;
      } else {
        ctl.exitstatus = LSBInitExitStatuses.GENERIC;
        throw e;
      }
      continue;
    }
    ctl.output(`${name}: added process group`);
  }
};

export const remove: Command = async (ctl, arg) => {
  for (const name of words(arg)) {
    const answers = { [Faults.STILL_RUNNING]: `ERROR: process/group still running: ${name}`, [Faults.BAD_NAME]: `ERROR: no such process/group: ${name}` };
    if ((await ctl.callAnswering(answers, 'removeProcessGroup', name)) === ANSWERED) continue;
    ctl.output(`${name}: removed process group`);
  }
};

export const update: Command = async (ctl, arg) => {
  const result = await ctl.callAnswering<string[][][]>({ [Faults.SHUTDOWN_STATE]: 'ERROR: already shutting down' }, 'reloadConfig');
  if (result === ANSWERED) return;
  const [added, changed, removed] = result[0];
  let valid = new Set(words(arg));
  // `all` means the same as no names.
  if (valid.has('all')) valid = new Set();
  if (valid.size) {
    const groups = new Set((await ctl.call<ProcessInfo[]>('getAllProcessInfo')).map((i) => i.group));
    for (const g of added) groups.add(g);
    for (const g of valid)
      if (!groups.has(g)) {
        ctl.output(`ERROR: no such group: ${g}`);
        ctl.exitstatus = LSBInitExitStatuses.GENERIC;
      }
  }
  const wanted = (g: string) => !valid.size || valid.has(g);
  for (const g of removed.filter(wanted)) {
    const results = await ctl.call<Result[]>('stopProcessGroup', g);
    ctl.output(`${g}: stopped`);
    if (results.some((r) => r.status === Faults.FAILED)) {
      ctl.output(`${g}: has problems; not removing`);
      ctl.exitstatus = LSBInitExitStatuses.GENERIC;
      continue;
    }
    await ctl.call('removeProcessGroup', g);
    ctl.output(`${g}: removed process group`);
  }
  for (const g of changed.filter(wanted)) {
    await ctl.call('stopProcessGroup', g);
    ctl.output(`${g}: stopped`);
    await ctl.call('removeProcessGroup', g);
    await ctl.call('addProcessGroup', g);
    ctl.output(`${g}: updated process group`);
  }
  for (const g of added.filter(wanted)) {
    await ctl.call('addProcessGroup', g);
    ctl.output(`${g}: added process group`);
  }
};
