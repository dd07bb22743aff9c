// Every supervisorctl command, by the name typed at the prompt.

import type { Command } from './controller.js';
import { add, avail, remove, reread, update } from './commands-config.js';
import { fg, maintail, tail } from './commands-logs.js';
import { clear, pid, restart, signal, start, status, stop } from './commands-process.js';
import { help, open, quit, reload, shutdown, version } from './commands-server.js';

export const COMMANDS: Record<string, Command> = {
  add,
  avail,
  clear,
  exit: quit,
  fg,
  help,
  maintail,
  open,
  pid,
  quit,
  reload,
  remove,
  reread,
  restart,
  shutdown,
  signal,
  start,
  status,
  stop,
  tail,
  update,
  version,
  EOF: quit,
};
