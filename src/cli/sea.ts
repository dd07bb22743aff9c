// Entry point of the standalone executable (Node SEA): one file that is svinit, svctl or pidproxy
// depending on the name it is called by (`ln -s svinit svctl`), or on its first argument
// (`svinit-exe svctl status`).

import path from 'node:path';
import { main as pidproxy } from './pidproxy.js';
import { exitWhenFlushed, main as svctl } from './svctl.js';
import { main as svinit } from './svinit.js';

const tools: Record<string, (argv: string[]) => Promise<number>> = { svinit, svctl, pidproxy };
const called = path.basename(process.argv0 || process.execPath);
let args = process.argv.slice(2);
let tool = Object.keys(tools).find((t) => called === t || called.startsWith(`${t}-`)) ?? 'svinit';
if (args[0] && tools[args[0]] && args[0] !== 'svinit') {
  tool = args[0];
  args = args.slice(1);
}
tools[tool](args).then(
  // svctl's output into a pipe must arrive whole before the process ends.
  (code) => (tool === 'svctl' ? exitWhenFlushed(code) : process.exit(code)),
  (e) => {
    process.stderr.write(`${tool}: internal error: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
