// The two Python shlex modes supervisord relies on: POSIX `shlex.split()` for `command=` and the
// legacy (non-POSIX) lexer for `environment=` key/value pairs.

/** Python's shlex.split(s): POSIX rules, whitespace split, no comments. Throws on bad quoting. */
export function splitCommand(s: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let state: 'ws' | 'word' | "'" | '"' = 'ws';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (state === "'") {
      if (c === "'") state = 'word';
      else token += c;
      continue;
    }
    if (state === '"') {
      if (c === '"') state = 'word';
      else if (c === '\\') {
        if (i + 1 >= s.length) throw new Error('No escaped character');
        const n = s[++i];
        // Inside double quotes a backslash escapes only `"` and `\`.
        token += n === '"' || n === '\\' ? n : `\\${n}`;
      } else token += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
      state = 'ws';
      continue;
    }
    inToken = true;
    state = 'word';
    if (c === "'" || c === '"') state = c;
    else if (c === '\\') {
      if (i + 1 >= s.length) throw new Error('No escaped character');
      token += s[++i];
    } else token += c;
  }
  if (state === "'" || state === '"') throw new Error('No closing quotation');
  if (inToken) tokens.push(token);
  return tokens;
}

const WORDCHARS = /[A-Za-z0-9_/.+\-():]/;

/** Python's legacy shlex.shlex(s) with supervisord's extra word chars `/.+-():`. */
export function legacyShlexTokens(s: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c === '#') {
      // A comment runs to the end of the line.
      const nl = s.indexOf('\n', i);
      i = nl === -1 ? s.length : nl + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end === -1) throw new Error('No closing quotation');
      tokens.push(s.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if (WORDCHARS.test(c)) {
      let tok = '';
      while (i < s.length) {
        const d = s[i];
        if (d === '#') {
          const nl = s.indexOf('\n', i);
          i = nl === -1 ? s.length : nl + 1;
          break;
        }
        if (WORDCHARS.test(d) || d === '"' || d === "'") {
          tok += d;
          i++;
        } else break;
      }
      tokens.push(tok);
      continue;
    }
    tokens.push(c);
    i++;
  }
  return tokens;
}
