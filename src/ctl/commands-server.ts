// Commands about the server and the session: version, reload, shutdown, open, help, quit/exit.

import { Faults } from '../engine/errors.js';
import { HELP, TOPICS } from './help.js';
import { ANSWERED, type Command, type Controller, LSBInitExitStatuses, noArguments } from './controller.js';
import { status } from './commands-process.js';
import { connectionFailure, RpcFault } from './transport.js';

/** The shell asks before reload/shutdown; a one-shot command just does it. */
async function really(ctl: Controller, question: string): Promise<boolean> {
  if (!ctl.options.interactive) return true;
  return ((await ctl.io.readLine(question)) ?? '').toLowerCase().startsWith('y');
}

export const version: Command = async (ctl, arg) => {
  if (noArguments(ctl, 'version', arg)) return;
  if (!(await ctl.upcheck())) return;
  ctl.output(await ctl.call<string>('getSupervisorVersion'));
};

export const shutdown: Command = async (ctl, arg) => {
  if (noArguments(ctl, 'shutdown', arg)) return;
  if (!(await really(ctl, 'Really shut the remote supervisord process down y/N? '))) return;
  try {
    await ctl.call('shutdown');
  } catch (e) {
    if (e instanceof RpcFault) {
      if (e.faultCode !== Faults.SHUTDOWN_STATE) {
        ctl.exitstatus = LSBInitExitStatuses.GENERIC;
        throw e;
      }
      ctl.output('ERROR: already shutting down');
      return;
    }
    const why = connectionFailure(e);
    if (!why) throw e;
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    ctl.output(`ERROR: ${ctl.options.serverurl} ${why} (already shut down?)`);
    return;
  }
  ctl.output('Shut down');
};

export const reload: Command = async (ctl, arg) => {
  if (noArguments(ctl, 'reload', arg)) return;
  if (!(await really(ctl, 'Really restart the remote supervisord process y/N? '))) return;
  if ((await ctl.callAnswering({ [Faults.SHUTDOWN_STATE]: 'ERROR: already shutting down' }, 'restart')) === ANSWERED) return;
  ctl.output('Restarted supervisord');
};

export const open: Command = async (ctl, arg) => {
  const url = arg.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1].toLowerCase();
  if (scheme !== 'unix' && scheme !== 'http') {
    ctl.output('ERROR: url must be http:// or unix://');
    ctl.exitstatus = LSBInitExitStatuses.GENERIC;
    return;
  }
  ctl.setServerUrl(url);
  // Shows the new server's processes without letting their state become the exit status.
  const old = ctl.exitstatus;
  await status(ctl, '');
  ctl.exitstatus = old;
};

export const help: Command = async (ctl, arg) => {
  const topic = arg.trim();
  if (!topic) {
    for (const l of TOPICS) ctl.output(l);
  } else if (Object.hasOwn(HELP, topic)) {
    ctl.help(topic);
  } else {
    ctl.output(`*** No help on ${topic}`);
  }
};

/** quit, exit and end of input: a newline, then leave the shell. */
export const quit: Command = async (ctl) => {
  ctl.output('');
  return true;
};
