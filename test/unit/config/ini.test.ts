// The INI reader against supervisord's UnhosedConfigParser (RawConfigParser, strict=False,
// inline comments after whitespace): same sections, keys, values and line-level errors.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IniDocument } from '../../../src/config/ini.js';
import { ConfigError } from '../../../src/config/index.js';
import { useTempDir } from '../../helpers/temp-dir.js';

// The file's temp dir, removed after its tests.
const dir = useTempDir('svinit-ini-').path;

const TEXTS: Array<[string, string]> = [
  ['separators', '[s]\na=1\nb:2\nc = 3\nd : 4\ne=f:g\nh:i=j\n'],
  ['case', '[Sec]\nKey=Value\nKEY2=x\n[sec]\nkey=lower section\n'],
  ['comments', '[s]\n; full\n# full\na=1 ; inline\nb=2 # inline\nc=3;not\nd=4#not\n  ; indented comment\ne=5\n'],
  ['continuation', '[s]\na=one\n  two\n\tthree\nb=x\n'],
  ['empty-lines-in-value', '[s]\na=one\n\n  two\n\nb=2\n'],
  ['comment-in-value', '[s]\na=one\n  ; comment\n  two\nb=2\n'],
  ['duplicates', '[s]\na=1\na=2\n[t]\nx=1\n[s]\nb=3\na=4\n'],
  ['empty-value', '[s]\na=\nb =\nc:\n'],
  ['indented-key', '[s]\n  a=1\n  b=2\n'],
  ['header-trailing', '[s] trailing\na=1\n[ spaced ]\nb=2\n[x]]\nc=3\n'],
  ['crlf', '[s]\r\na=1\r\nb=two\r\n  lines\r\n'],
  ['default', '[DEFAULT]\nd=1\n[s]\na=2\n'],
  ['value-with-spaces', '[s]\ncommand = /bin/sh -c "a  b"   \n'],
  ['no-trailing-newline', '[s]\na=1'],
  ['tabs', '[s]\na\t=\t1\t\n'],
  ['key-spaces', '[s]\nmy key = v\n'],
  ['percent', '[s]\na=%(x)s %%\n'],
  ['first-line-comment', '; c\n[s]\na=1\n'],
  // errors
  ['no-header', 'a=1\n[s]\n'],
  ['no-separator', '[s]\njust words\nother words\n'],
  ['empty-key', '[s]\n=1\n'],
  ['only-blank-then-key', '\n\n  \nkey=1\n'],
];

function python(files: string[]): unknown[] {
  const script = `
import json, sys
from supervisor.options import UnhosedConfigParser
out = []
for f in sys.argv[1:]:
    p = UnhosedConfigParser()
    try:
        p.read(f)
        d = {s: {k: v for k, v in p.items(s)} for s in p.sections()}
        d['DEFAULT'] = dict(p.defaults())
        out.append({'ok': d})
    except Exception as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...files], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function svinit(file: string): unknown {
  const doc = new IniDocument();
  try {
    doc.read(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    if (e instanceof ConfigError) return { error: e.message };
    throw e;
  }
  const d: Record<string, Record<string, string>> = {};
  for (const name of doc.names()) {
    // RawConfigParser.items(section) includes the DEFAULT keys.
    d[name] = Object.fromEntries([...doc.defaults].map(([k, v]) => [k, v.value]));
    for (const [k, v] of doc.sections.get(name)!.values) d[name][k] = v.value;
  }
  d.DEFAULT = Object.fromEntries([...doc.defaults].map(([k, v]) => [k, v.value]));
  return { ok: d };
}

describe('INI reader matches RawConfigParser', () => {
  const files = TEXTS.map(([name, text]) => {
    const f = path.join(dir, `${name}.conf`);
    fs.writeFileSync(f, text);
    return f;
  });
  const want = python(files);
  TEXTS.forEach(([name], i) => it(name, () => expect(svinit(files[i])).toEqual(want[i])));

  it('keeps the line of every key (the first line of a multi-line value)', () => {
    const doc = new IniDocument();
    doc.read('[s]\n\na=1\n  more\nb=2\n[s]\nc=3\n', 'f.conf');
    const s = doc.sections.get('s')!;
    expect([...s.values].map(([k, v]) => [k, v.line])).toEqual([
      ['a', 3],
      ['b', 5],
      ['c', 7],
    ]);
    expect(s.line).toBe(1);
  });
});
