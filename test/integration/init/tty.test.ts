// svinit on a terminal, as `docker run -it` gives one: in single-command mode the program gets the
// terminal as the foreground job (job control, Ctrl-Z and Ctrl-C reach it, not svinit), as under
// tini; with a config, programs never get the terminal and Ctrl-C stops svinit cleanly.
// util-linux `script` provides the pseudo-terminal.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SVINIT, tmpDir, waitFor } from '../../helpers/daemon.js';

interface Terminal {
  proc: ChildProcess;
  screen(): string;
  type(text: string): void;
  /** Waits until the screen shows `re` at least `count` times. */
  see(re: RegExp, count?: number): Promise<void>;
  exited: Promise<number | null>;
}

const opened: ChildProcess[] = [];
afterEach(() => {
  for (const p of opened.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

function terminal(command: string): Terminal {
  // script runs `$SHELL -c command`; dash (Debian's /bin/sh, and script's choice when SHELL is
  // unset) does not exec a lone command, so it would sit in the foreground group and die of Ctrl-C.
  const proc = spawn('script', ['-qfec', `exec ${command}`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SHELL: '/bin/sh', SVINIT_CONTAINER: '0', TERM: 'dumb' },
  });
  opened.push(proc);
  let out = '';
  proc.stdout!.on('data', (b) => (out += b));
  proc.stderr!.on('data', (b) => (out += b));
  return {
    proc,
    screen: () => out,
    type: (text) => proc.stdin!.write(text),
    see: async (re, count = 1) => {
      const global = new RegExp(re.source, 'g');
      await waitFor(() => (out.match(global)?.length ?? 0) >= count, `${re} x${count} on the terminal\n--- screen:\n${out}`, 20_000);
    },
    exited: new Promise((r) => proc.on('exit', (c) => r(c))),
  };
}

describe('svinit on a terminal', () => {
  it('single-command mode: bash has the terminal, job control works, svinit exits with its code', async () => {
    const t = terminal(`${process.execPath} ${SVINIT} -- bash --norc --noprofile -i`);
    const prompt = /bash-[\d.]+# /;
    await t.see(prompt);
    t.type('sleep 100 &\n');
    await t.see(/\[1\] \d+/);
    await t.see(prompt, 2);
    t.type('jobs\n');
    await t.see(/\[1\]\+\s+Running\s+sleep 100 &/);
    await t.see(prompt, 3);
    t.type('fg\n');
    await t.see(/\nsleep 100\r?\n/);
    t.type('\x1a'); // Ctrl-Z reaches the foreground job, not svinit
    await t.see(/\[1\]\+\s+Stopped\s+sleep 100/);
    await t.see(prompt, 4);
    t.type('fg\n');
    await t.see(/\nsleep 100\r?\n/, 2);
    t.type('\x03'); // Ctrl-C: SIGINT to the foreground job only
    await t.see(prompt, 5);
    t.type('echo "status=$? pgrp=$(cut -d" " -f5 /proc/$$/stat) tpgid=$(cut -d" " -f8 /proc/$$/stat)"\n');
    await t.see(/status=130 pgrp=\d+ tpgid=\d+/);
    const [, pgrp, tpgid] = /status=130 pgrp=(\d+) tpgid=(\d+)/.exec(t.screen())!;
    expect(pgrp).toBe(tpgid);
    t.type('exit 3\n');
    expect(await t.exited).toBe(3);
  });

  it('with a config, a program stdin stays a pipe and Ctrl-C stops svinit cleanly', async () => {
    const dir = tmpDir();
    const conf = path.join(dir, 'supervisord.conf');
    fs.writeFileSync(conf, `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sv.pid\n[program:p]\ncommand=/bin/sh -c 'ls -l /proc/self/fd/0 > ${dir}/stdin.txt; exec sleep 1000'\nstartsecs=0\n`);
    const t = terminal(`${process.execPath} ${SVINIT} -n -c ${conf}`);
    await waitFor(() => fs.existsSync(`${dir}/stdin.txt`) && fs.readFileSync(`${dir}/stdin.txt`, 'utf8').includes('->'), 'the program started');
    expect(fs.readFileSync(`${dir}/stdin.txt`, 'utf8')).toMatch(/-> pipe:/);
    t.type('\x03');
    expect(await t.exited).toBe(0);
    expect(fs.readFileSync(`${dir}/main.log`, 'utf8')).toMatch(/stopped: p \(terminated by SIGTERM\)/);
  });
});
