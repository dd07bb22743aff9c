// Value parsers against supervisord's own (supervisor.datatypes and shlex.split), input by input:
// same result or same error message.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  colonSeparatedUserGroup,
  inetAddress,
  parseAutorestart,
  parseBoolean,
  parseByteSize,
  parseEnvironment,
  parseExitCodes,
  parseInteger,
  parseLogLevel,
  parseOctal,
  parseSignal,
  processOrGroupName,
  signalName,
  splitCommand,
} from '../../../src/config/datatypes.js';

type Fn = (v: string) => unknown;
const LEVELS: Record<string, number> = { critical: 50, error: 40, warn: 30, info: 20, debug: 10, trace: 5, blather: 3 };

/** [name, python expression of `v`, svinit function, inputs] */
const TABLE: Array<[string, string, Fn, string[]]> = [
  ['boolean', 'datatypes.boolean(v)', parseBoolean, ['yes', 'TRUE', 'On', '1', 'no', 'False', 'OFF', '0', 'maybe', '', ' true']],
  ['integer', 'int(v)', parseInteger, ['1', ' 42 ', '-3', '+7', '1_000', '0x10', '1.5', '', 'abc', '007']],
  ['byte_size', 'datatypes.byte_size(v)', parseByteSize, ['0', '1024', '1KB', '1kb', '50MB', '2GB', '1K', '1M', '', 'MB', '1.5MB', ' 5MB', '5 MB', '-1KB']],
  ['octal_type', 'datatypes.octal_type(v)', parseOctal, ['022', '0o22', '777', '0', '8', 'abc', '', '0x1f', '-7']],
  ['signal_number', 'datatypes.signal_number(v)', parseSignal, ['TERM', 'sigterm', 'SIGHUP', 'kill', '9', '0', '1', '2', '15', '31', '35', '64', '65', '99', '-1', 'FOO', ' int ', 'SIGRTMIN', 'CLD', 'IOT', 'UNUSED', '_DFL']],
  ['list_of_exitcodes', 'datatypes.list_of_exitcodes(v)', parseExitCodes, ['0', '0,2', ' 1 , 2 ', '255', '256', '-1', 'a', '0,,1', '']],
  ['logging_level', 'datatypes.logging_level(v)', (v) => LEVELS[parseLogLevel(v)], ['info', 'INFO', 'warn', 'warning', 'blather', 'critical', 'x']],
  ['auto_restart', 'AR(datatypes.auto_restart(v))', parseAutorestart, ['unexpected', 'UNEXPECTED', 'true', 'false', 'always', '1', 'off']],
  ['process_or_group_name', 'datatypes.process_or_group_name(v)', processOrGroupName, ['web', ' web ', 'a b', 'a:b', 'a/b', 'é', '']],
  ['inet_address', 'list(datatypes.inet_address(v))', (v) => Object.values(inetAddress(v)), ['9001', ':9001', '*:9001', 'LocalHost:80', '127.0.0.1:0', 'h:', 'h:abc', '70000', 'abc', 'h:65536']],
  ['colon_separated_user_group', 'list(datatypes.colon_separated_user_group(v))', (v) => Object.values(colonSeparatedUserGroup(v)), ['root', 'root:root', '0:0', 'nobody:nogroup', 'nosuchuserxyz', 'root:nosuchgroupxyz', '65534']],
  [
    'dict_of_key_value_pairs',
    'datatypes.dict_of_key_value_pairs(v)',
    parseEnvironment,
    [
      'A=1,B=2',
      'A=1, B=2,',
      'A="x y",B=\'a,b\'',
      'A=x#y',
      'A=""',
      "A=''",
      'PATH=/usr/bin:/bin,X=a.b+c-d(e)',
      'A=1;B=2',
      'A=1 B=2',
      'A',
      'A=',
      '=1',
      'A="x',
      'A=$HOME',
      'A="$HOME"',
      'A=x=y',
      'A="x=y"',
      'A=1,,B=2',
      'A="a"b',
      'A="it\'s"',
      'A=\'say "hi"\'',
      '',
      ' ',
      'A=1\nB=2',
      'a-b=1',
      'A=é',
      'A=x,B="multi\nline"',
    ],
  ],
  [
    'shlex.split',
    'shlex.split(v)',
    splitCommand,
    [
      '/bin/echo a b',
      'sh -c "echo hi; exit 3"',
      "echo 'a \"b\"' c",
      'echo a\\ b',
      'echo "a\\"b" "c\\d" "e\\\\f" "g\\$h"',
      "echo 'a\\b'",
      'echo ""',
      "echo ''x",
      '  spaced   out  ',
      'a\tb\nc',
      'echo "oops',
      "echo 'oops",
      'echo oops\\',
      'echo # not a comment',
      'a"b c"d',
      'echo \\"',
      '',
      'x "" y',
      'echo ${HOME} $(id) `id` * ? ~',
    ],
  ],
];

function python(): unknown[][] {
  const script = `
import json, shlex, sys
from supervisor import datatypes
def AR(v):
    return 'unexpected' if v is datatypes.RestartWhenExitUnexpected else v is datatypes.RestartUnconditionally
table = json.load(sys.stdin)
out = []
for expr, inputs in table:
    row = []
    for v in inputs:
        try:
            row.append({'ok': eval(expr)})
        except Exception as e:
            row.append({'error': str(e)})
    out.append(row)
print(json.dumps(out))
`;
  const input = JSON.stringify(TABLE.map(([, expr, , inputs]) => [expr, inputs]));
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('value parsers match supervisord', () => {
  const want = python();
  TABLE.forEach(([name, , fn, inputs], t) => {
    describe(name, () => {
      inputs.forEach((v, i) => {
        it(JSON.stringify(v), () => {
          let got: { ok?: unknown; error?: string };
          try {
            got = { ok: fn(v) };
          } catch (e) {
            got = { error: (e as Error).message };
          }
          const expected = want[t][i] as { ok?: unknown; error?: string };
          // int()'s own error texts are Python's; only the fact of failing matters for them.
          if (name === 'integer' && expected.error) expect(got.error).toBeDefined();
          else expect(got).toEqual(expected);
        });
      });
    });
  });

  it('signalName gives the name without SIG', () => {
    expect([1, 2, 9, 15, 17, 10, 12, 6, 29].map(signalName)).toEqual(['HUP', 'INT', 'KILL', 'TERM', 'CHLD', 'USR1', 'USR2', 'ABRT', 'IO']);
  });
});
