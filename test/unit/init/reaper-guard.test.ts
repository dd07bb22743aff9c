// The reaper's /proc scan may fail (EMFILE when svinit is out of descriptors): PID 1 must not die
// of it; it reports the failure once, and reaps again once the scan works.

import { afterEach, describe, expect, it } from 'vitest';
import { startReaper, type Reaper } from '../../../src/init/reaper.js';
import { waitFor } from '../../helpers/daemon.js';

let reaper: Reaper | null = null;
afterEach(() => reaper?.stop());

function emfile(): Error {
  return Object.assign(new Error("EMFILE: too many open files, open '/proc/self/task/1/children'"), { code: 'EMFILE' });
}

describe('reaper scan failures', () => {
  it('does not throw on EMFILE, reports it once, and reaps when descriptors come back', async () => {
    let failing = true;
    let orphans = [4242];
    const errors: string[] = [];
    const reaped: number[] = [];
    reaper = startReaper({
      retryMs: 10,
      readChildren: () => {
        if (failing) throw emfile();
        return orphans;
      },
      native: {
        waitpidNoHang: (pid) => {
          orphans = orphans.filter((p) => p !== pid);
          return { pid, code: 0, signal: null, core: false };
        },
      },
      onScanError: (e) => errors.push(e.message),
      onReap: (pid) => reaped.push(pid),
    });
    expect(() => reaper!.reap()).not.toThrow();
    expect(reaper.reap()).toBe(0);
    expect(reaper.adoptedPids()).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/EMFILE/);
    failing = false;
    // The retry timer reaps on its own, without a new SIGCHLD.
    await waitFor(() => reaped.length > 0, 'the retried scan');
    expect(reaped).toEqual([4242]);
    expect(errors).toHaveLength(1);
  });
});
