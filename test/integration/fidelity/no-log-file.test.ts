// A channel with no log file (NONE): supervisord has nothing to read back, so its log-reading calls
// answer as supervisord's do and `tail` prints supervisord's `ERROR (no log file)`. Run on both
// daemons, with both clients.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, SVCTL } from '../../helpers/daemon.js';
import { KINDS, onDaemon, type Kind } from './oracle.js';

const execFileP = promisify(execFile);
const RPC_PY = path.join(ROOT, 'test/helpers/rpc.py');

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await execFileP(cmd, args);
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, out: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}

type Seen = Record<string, unknown>;

async function observe(kind: Kind): Promise<Seen> {
  const seen: Seen = {};
  await onDaemon(
    kind,
    (dir) => `
[unix_http_server]
file=${dir}/sv.sock
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://${dir}/sv.sock
[program:quiet]
command=/bin/sh -c "echo to-nowhere; echo err-too >&2; exec sleep 1000"
stdout_logfile=NONE
stderr_logfile=NONE
startsecs=0
`,
    async (d) => {
      await d.waitLine(/success: quiet entered RUNNING/);
      const url = `unix://${d.dir}/sv.sock`;
      for (const call of [
        ['supervisor.readProcessStdoutLog', 'quiet', 0, 0],
        ['supervisor.readProcessStderrLog', 'quiet', 0, 0],
        ['supervisor.tailProcessStdoutLog', 'quiet', 0, 100],
        ['supervisor.tailProcessStderrLog', 'quiet', 0, 100],
      ] as const) {
        const r = await run('/usr/bin/python3', [RPC_PY, url, call[0], ...call.slice(1).map((a) => JSON.stringify(a))]);
        seen[call[0]] = JSON.parse(r.out);
      }
      for (const [client, cmd] of [
        ['supervisorctl', ['/usr/bin/supervisorctl', '-c', d.conf]],
        ['svctl', [process.execPath, SVCTL, '-c', d.conf]],
      ] as const) {
        for (const args of [['tail', 'quiet'], ['tail', 'quiet', 'stderr']]) {
          const r = await run(cmd[0], [...cmd.slice(1), ...args]);
          seen[`${client} ${args.join(' ')}`] = r.out.trim();
        }
      }
    },
  );
  return seen;
}

describe('channels without a log file', () => {
  it('answer the log-reading calls and tail as supervisord does', async () => {
    const results: Record<string, Seen> = {};
    for (const kind of KINDS) results[kind] = await observe(kind);
    const oracle = results.supervisord;
    expect(oracle['supervisor.readProcessStdoutLog']).toMatchObject({ fault: { faultCode: 20 } });
    expect(oracle['supervisorctl tail quiet']).toBe('quiet: ERROR (no log file)');
    // The fault string names the missing file the same way; svctl prints what supervisorctl prints.
    expect(results.svinit).toEqual(oracle);
  }, 120_000);
});
