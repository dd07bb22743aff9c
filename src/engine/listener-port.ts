// An event listener's process as the event bus sees it: its name, whether it can take an event,
// and its stdin to write one to.

import type { ListenerPort } from './facts.js';
import type { Process } from './process.js';
import { ProcessState } from './states.js';

/** What the event bus sees of an event listener's process. */
export function makeListenerPort(proc: Process): ListenerPort {
  return {
    name: proc.name,
    group: proc.group,
    get pid() {
      return proc.pid;
    },
    isRunning: () => proc.state === ProcessState.RUNNING,
    writeStdin: (data: Buffer) => {
      const stdin = proc.stdin;
      if (!stdin || !proc.pid) return false;
      try {
        stdin.write(data);
        return true;
      } catch {
        return false;
      }
    },
  };
}
