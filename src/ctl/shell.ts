// svctl's interactive mode: `status` first, then a prompt with history and tab completion.

import fs from 'node:fs';
import readline from 'node:readline';
import type { Controller } from './controller.js';

export async function runShell(ctl: Controller, opts: { prompt: string; historyFile: string | null; input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): Promise<void> {
  let history: string[] = [];
  if (opts.historyFile) {
    try {
      history = fs.readFileSync(opts.historyFile, 'utf8').split('\n').filter(Boolean).reverse();
    } catch {
      /* no history yet */
    }
  }
  const rl = readline.createInterface({
    input: opts.input,
    output: opts.output,
    prompt: `${opts.prompt}> `,
    history,
    historySize: 1000,
    terminal: (opts.output as NodeJS.WriteStream).isTTY === true,
    completer: (line: string, cb: (err: null, result: [string[], string]) => void) => {
      const word = line.split(/\s+/).pop() ?? '';
      ctl.completions(line).then(
        (hits) => cb(null, [hits, word]),
        () => cb(null, [[], word]),
      );
    },
  });
  ctl.interactive = true;
  await ctl.onecmd('status');
  rl.prompt();
  for await (const line of rl) {
    const done = await ctl.onecmd(line);
    if (done) break;
    rl.prompt();
  }
  rl.close();
  if (opts.historyFile) {
    try {
      fs.writeFileSync(opts.historyFile, [...((rl as unknown as { history: string[] }).history ?? [])].reverse().join('\n') + '\n');
    } catch {
      /* history is best effort */
    }
  }
}
