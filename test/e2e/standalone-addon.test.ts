// The standalone executable (dist/svinit-exe, Node SEA) in an image without Node finds its native
// addon: as the SEA asset written to /tmp and dlopen'ed, or as svinit.node beside the executable
// when every writable place is noexec (read-only root, Docker's default tmpfs). The probe is
// pidproxy: only with the addon is it a subreaper and can it report a forked daemon's exit code
// (7); without it the code is unknowable and it exits 0.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runToExit } from './helpers.js';

const EXE = path.join(ROOT, 'dist/svinit-exe');
const ADDON = path.join(ROOT, 'dist/svinit.node');
const probe = ['/opt/sv/svinit', 'pidproxy', '/tmp/d.pid', '/bin/sh', '-c', `(sh -c 'echo $$ > /tmp/d.pid; sleep 0.2; exit 7' &)`];

describe('standalone executable and its addon', () => {
  it('loads the addon from its SEA asset on a normal root', async () => {
    const r = await runToExit({ image: 'svinit-base:nonode', mounts: [[EXE, '/opt/sv/svinit']], cmd: probe });
    expect(r.exitCode, r.stderr).toBe(7);
  });

  it('read-only root with a noexec /tmp: the asset cannot be mapped, svinit.node beside the executable is used', async () => {
    const bare = await runToExit({ image: 'svinit-base:nonode', readOnly: true, tmpfs: ['/tmp'], mounts: [[EXE, '/opt/sv/svinit']], cmd: probe });
    expect(bare.exitCode, bare.stderr).toBe(0);
    const beside = await runToExit({
      image: 'svinit-base:nonode',
      readOnly: true,
      tmpfs: ['/tmp'],
      mounts: [
        [EXE, '/opt/sv/svinit'],
        [ADDON, '/opt/sv/svinit.node'],
      ],
      cmd: probe,
    });
    expect(beside.exitCode, beside.stderr).toBe(7);
  });
});
