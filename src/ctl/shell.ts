// svctl's interactive mode (supervisorctl's exec_cmdloop): `status` first, then `<prompt>> `
// until quit/exit, end of input or Ctrl-C.

import fs from 'node:fs';
import type { Controller } from './controller.js';
import { KeyboardInterrupt, type LineReader } from './lines.js';

/** readline's default word delimiters minus `:`, `*` and `-`, so `grp:*` and `my-app` are one word. */
const DELIMS = new Set(' \t\n"\\\'`@$><=;|&{('.split(''));

/** The word being completed: what follows the last delimiter. */
export function completionText(line: string): string {
  let i = line.length;
  while (i > 0 && !DELIMS.has(line[i - 1])) i--;
  return line.slice(i);
}

/** Tab completion for a LineReader: commands, then group or process names from the server. */
export function completer(ctl: Controller): (line: string) => Promise<[string[], string]> {
  return async (line) => {
    const text = completionText(line);
    return [await ctl.complete(text, line), text];
  };
}

export async function runShell(ctl: Controller, reader: LineReader): Promise<void> {
  try {
    await ctl.onecmd('status');
    for (;;) {
      const line = await reader.read(`${ctl.options.prompt}> `);
      if (await ctl.onecmd(line ?? 'EOF')) return;
    }
  } catch (e) {
    if (!(e instanceof KeyboardInterrupt)) throw e;
    ctl.output('');
  }
}

/** History file lines, oldest first (GNU readline's format; libedit's header line skipped). */
export function readHistory(file: string): string[] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && l !== '_HiStOrY_V2_');
  } catch {
    return [];
  }
}

export function writeHistory(file: string, lines: string[]): void {
  try {
    fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  } catch {
    // supervisorctl ignores an unwritable history file too.
  }
}
