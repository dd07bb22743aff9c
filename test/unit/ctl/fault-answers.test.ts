// The faults svctl's commands answer themselves (Controller.callAnswering), with supervisorctl
// 4.2.5's words and exit statuses; a fault a command does not answer is uncaught, as in Python.

import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/ctl/commands.js';
import { ANSWERED, Controller } from '../../../src/ctl/controller.js';
import { RpcFault } from '../../../src/ctl/transport.js';
import { Faults } from '../../../src/engine/errors.js';
import type { XmlRpcValue } from '../../../src/rpc/xmlrpc.js';

/** A controller whose server answers getVersion with 3.0 and every other method with `fault`. */
function faulting(fault: RpcFault): { ctl: Controller; out: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const ctl = new Controller(
    { serverurl: 'unix:///nonexistent.sock', username: null, password: null, interactive: false, prompt: 'supervisor', historyFile: null },
    { stdout, stderr: new PassThrough(), isTTY: false, interrupts: new EventEmitter(), readLine: async () => null },
    COMMANDS,
  );
  ctl.call = (async (method: string) => {
    if (method === 'getVersion') return '3.0';
    throw fault;
  }) as Controller['call'];
  controllers.push(ctl);
  return { ctl, out: () => text };
}

const controllers: Controller[] = [];
afterEach(() => {
  for (const c of controllers.splice(0)) c.close();
});

describe('callAnswering', () => {
  it('gives the value when there is no fault', async () => {
    const { ctl } = faulting(new RpcFault(Faults.FAILED, 'FAILED'));
    ctl.call = (async () => 42) as Controller['call'];
    expect(await ctl.callAnswering({}, 'anything')).toBe(42);
    expect(ctl.exitstatus).toBe(0);
  });

  it('prints the answer to a fault it names, as a line or made from the fault', async () => {
    const { ctl, out } = faulting(new RpcFault(Faults.CANT_REREAD, 'bad file'));
    expect(await ctl.callAnswering({ [Faults.CANT_REREAD]: (e: RpcFault) => `why: ${e.faultString}` }, 'reloadConfig')).toBe(ANSWERED);
    expect(out()).toBe('why: bad file\n');
    expect(ctl.exitstatus).toBe(1);
  });

  it('throws a fault it does not name, with the exit status already GENERIC', async () => {
    const fault = new RpcFault(Faults.BAD_NAME, 'BAD_NAME: x');
    const { ctl, out } = faulting(fault);
    await expect(ctl.callAnswering({ [Faults.NO_FILE]: 'no' }, 'readLog', 0, 0)).rejects.toBe(fault);
    expect(out()).toBe('');
    expect(ctl.exitstatus).toBe(1);
  });
});

describe("commands' answers to faults (supervisorctl's words)", () => {
  const cases: [string, number, string][] = [
    ['avail', Faults.SHUTDOWN_STATE, 'ERROR: supervisor shutting down\n'],
    ['reread', Faults.SHUTDOWN_STATE, 'ERROR: supervisor shutting down\n'],
    ['reread', Faults.CANT_REREAD, 'ERROR: the reason\n'],
    ['update', Faults.SHUTDOWN_STATE, 'ERROR: already shutting down\n'],
    ['reload', Faults.SHUTDOWN_STATE, 'ERROR: already shutting down\n'],
    ['remove a b', Faults.STILL_RUNNING, 'ERROR: process/group still running: a\nERROR: process/group still running: b\n'],
    ['remove a', Faults.BAD_NAME, 'ERROR: no such process/group: a\n'],
    ['tail web', Faults.NO_FILE, 'web: ERROR (no log file)\n'],
    ['tail web stderr', Faults.FAILED, 'web: ERROR (unknown error reading log)\n'],
    ['tail web', Faults.BAD_NAME, 'web: ERROR (no such process name)\n'],
    ['maintail', Faults.NO_FILE, 'supervisord: ERROR (no log file)\n'],
    ['maintail -5', Faults.FAILED, 'supervisord: ERROR (unknown error reading log)\n'],
  ];
  it.each(cases)('%s, fault %d', async (line, code, expected) => {
    const { ctl, out } = faulting(new RpcFault(code, 'the reason'));
    await ctl.onecmd(line);
    expect(out()).toBe(expected);
    expect(ctl.exitstatus).toBe(1);
  });

  it('an unanswered fault is an uncaught error line with exit status 1', async () => {
    const { ctl, out } = faulting(new RpcFault(Faults.NO_FILE, 'NO_FILE'));
    await ctl.onecmd('avail');
    expect(out()).toMatch(/^error: <class 'xmlrpc.client.Fault'>, <Fault 20: 'NO_FILE'>: file: .*\n$/);
    expect(ctl.exitstatus).toBe(1);
  });

  it('a value makes no answer', async () => {
    const { ctl, out } = faulting(new RpcFault(Faults.FAILED, ''));
    ctl.call = (async (method: string, ...params: XmlRpcValue[]) => (method === 'getVersion' ? '3.0' : `log of ${method} ${params.join(' ')}`)) as Controller['call'];
    await ctl.onecmd('maintail -5');
    expect(out()).toBe('log of readLog -5 0\n');
    expect(ctl.exitstatus).toBe(0);
  });
});
