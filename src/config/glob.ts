// Python glob.glob for [include] files=: `*`, `?` and `[...]` per path segment, hidden files only
// matched by patterns that start with a dot. (fs.globSync needs Node 22.)

import fs from 'node:fs';
import path from 'node:path';

function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        let cls = seg.slice(i + 1, end);
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const magic = (s: string) => /[*?[]/.test(s);

export function glob(pattern: string): string[] {
  const abs = path.resolve(pattern);
  const parts = abs.split('/').filter(Boolean);
  let paths = ['/'];
  for (const seg of parts) {
    const next: string[] = [];
    for (const base of paths) {
      if (!magic(seg)) {
        const p = path.join(base, seg);
        if (fs.existsSync(p)) next.push(p);
        continue;
      }
      let entries: string[] = [];
      try {
        entries = fs.readdirSync(base);
      } catch {
        continue;
      }
      const re = segmentRegExp(seg);
      for (const e of entries) if ((seg.startsWith('.') || !e.startsWith('.')) && re.test(e)) next.push(path.join(base, e));
    }
    paths = next;
  }
  return paths.filter((p) => p !== '/');
}
