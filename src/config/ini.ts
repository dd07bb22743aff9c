// supervisord's INI dialect: Python's RawConfigParser(strict=False, inline_comment_prefixes=(';','#')).
//
// The `ini` package is not used for parsing: it has no indented continuation lines, no `:`
// separator, no line numbers and different comment and quoting rules, and error messages must name
// the file and line. This reader follows configparser._read line for line.

import { ConfigError } from './types.js';

export interface IniValue {
  value: string;
  file: string;
  line: number;
}

export interface IniSection {
  name: string;
  /** Lower-cased keys. */
  values: Map<string, IniValue>;
  /** The file the section first appeared in (supervisord's section_to_file). */
  file: string;
  line: number;
}

export class IniDocument {
  readonly sections = new Map<string, IniSection>();
  readonly defaults = new Map<string, IniValue>();

  has(section: string): boolean {
    return this.sections.has(section);
  }

  names(): string[] {
    return [...this.sections.keys()];
  }

  get(section: string, key: string): IniValue | undefined {
    return this.sections.get(section)?.values.get(key) ?? (this.sections.has(section) ? this.defaults.get(key) : undefined);
  }

  /** Reads one file's text into the document; later files merge into earlier sections. */
  read(text: string, file: string): void {
    let cur: IniSection | null = null;
    let curValues: Map<string, IniValue> | null = null;
    let optname: string | null = null;
    let multiline: string[] | null = null;
    let indentLevel = 0;
    const errors: string[] = [];
    /** The section the first bad line is in, to locate the error. */
    let errorSection: string | undefined;
    const finish = () => {
      if (optname && multiline && curValues) {
        const v = curValues.get(optname)!;
        v.value = multiline.join('\n').replace(/\s+$/, '');
      }
    };
    // Python reads text files with universal newlines and keeps each line's '\n' (error
    // messages show it in the line's repr), so split after every newline.
    const rawLines = text.replace(/\r\n?/g, '\n').split(/(?<=\n)/);
    if (rawLines.length && rawLines[rawLines.length - 1] === '') rawLines.pop();
    rawLines.forEach((rawLine, idx) => {
      const line = rawLine.endsWith('\n') ? rawLine.slice(0, -1) : rawLine;
      const lineno = idx + 1;
      let commentStart = Infinity;
      for (const prefix of [';', '#']) {
        let i = line.indexOf(prefix);
        while (i !== -1) {
          if (i === 0 || /\s/.test(line[i - 1])) {
            commentStart = Math.min(commentStart, i);
            break;
          }
          i = line.indexOf(prefix, i + 1);
        }
      }
      const stripped = line.trim();
      if (stripped.startsWith(';') || stripped.startsWith('#')) commentStart = 0;
      const value = (commentStart === Infinity ? line : line.slice(0, commentStart)).trim();
      if (!value) {
        // empty_lines_in_values: an empty line (without a comment) belongs to a multi-line value.
        if (commentStart === Infinity && cur && optname && multiline) multiline.push('');
        return;
      }
      const curIndent = line.search(/\S/);
      if (cur && optname && multiline && curIndent > indentLevel) {
        multiline.push(value);
        return;
      }
      indentLevel = curIndent;
      const header = /^\[(.+)\]/.exec(value);
      if (header) {
        finish();
        const name = header[1];
        if (name === 'DEFAULT') {
          curValues = this.defaults;
          cur = { name, values: this.defaults, file, line: lineno };
        } else {
          cur = this.sections.get(name) ?? null;
          if (!cur) {
            cur = { name, values: new Map(), file, line: lineno };
            this.sections.set(name, cur);
          }
          curValues = cur.values;
        }
        optname = null;
        multiline = null;
        return;
      }
      if (!cur || !curValues) {
        throw new ConfigError(`File contains no section headers.\nfile: ${pyRepr(file)}, line: ${lineno}\n${pyRepr(rawLine)}`, { file, line: lineno });
      }
      const m = /^(.*?)\s*(=|:)\s*(.*)$/.exec(value);
      if (!m || !m[1]) {
        errors.push(`\t[line ${String(lineno).padStart(2)}]: ${pyRepr(rawLine)}`);
        errorSection ??= cur.name;
        return;
      }
      finish();
      optname = m[1].trimEnd().toLowerCase();
      multiline = [m[3].trim()];
      curValues.set(optname, { value: m[3].trim(), file, line: lineno });
    });
    finish();
    if (errors.length) {
      const first = /\[line +(\d+)\]/.exec(errors[0]);
      throw new ConfigError(`Source contains parsing errors: ${pyRepr(file)}\n${errors.join('\n')}`, { file, line: Number(first?.[1] ?? 0) }, errorSection);
    }
  }

  /** supervisord's expand_here: literal %(here)s in values read so far becomes `here`. */
  expandHere(here: string): void {
    for (const s of this.sections.values())
      for (const v of s.values.values()) if (v.value.includes('%(here)s')) v.value = v.value.split('%(here)s').join(here);
  }
}

/** Python's repr() of a str. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}
