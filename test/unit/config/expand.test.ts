// %-expansion (supervisord's expand()) against supervisord's own expand(), format by format.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expand } from '../../../src/config/expand.js';

const EXPANSIONS = { here: '/etc/sv', program_name: 'web', process_num: 7, numprocs: 2, ENV_X: 'a b' };

const FORMATS = [
  'plain',
  '%(here)s/%(program_name)s',
  '%(process_num)d',
  '%(process_num)02d',
  '%(process_num)03d-%(numprocs)x',
  '%(process_num)-4d|',
  '%(process_num)+d',
  '%(process_num).3d',
  '%(program_name)10s|',
  '%(program_name)-6s|',
  '%(program_name).2s',
  '%(program_name)r',
  '%(process_num)o %(process_num)X %(process_num)#x',
  '%(process_num)f',
  '%(process_num)c',
  '%(ENV_X)s',
  '100%%',
  '%%(here)s',
  '%(process_num)ld',
  // errors
  '100%',
  'a%b',
  '%(here)',
  '%(here',
  '%(nope)s',
  '%(program_name)d',
  '%(program_name)02d',
  '%(program_name)c',
  '%(here)q',
  '%s %s',
  '%d',
  '%(here)s %(nope)s',
  '%-',
  '%*d',
];

function python(): Array<{ ok?: string; error?: string }> {
  const script = `
import json, sys
from supervisor.options import expand
exp, fmts = json.load(sys.stdin)
out = []
for f in fmts:
    try:
        out.append({'ok': expand(f, exp, 'program:x.command')})
    except ValueError as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify([EXPANSIONS, FORMATS]), encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('expand() matches supervisord', () => {
  const want = python();
  FORMATS.forEach((f, i) => {
    it(f, () => {
      let got: { ok?: string; error?: string };
      try {
        got = { ok: expand(f, EXPANSIONS, 'program:x.command') };
      } catch (e) {
        got = { error: (e as Error).message };
      }
      expect(got).toEqual(want[i]);
    });
  });
});
