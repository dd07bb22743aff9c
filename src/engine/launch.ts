// One fork/exec of a process: the part of process.py's spawn() between STARTING and the pid. The
// command is found on PATH, the environment built (env files are read at every spawn), the checks
// supervisord's child makes before exec are done, the readiness pipe or socket is made, and the
// spawner is called. The state machine (process.ts) decides what each outcome means.

import { EnvFileError } from '../config/env-files.js';
import type { ProcessConfig } from '../config/types.js';
import type { ProcessContext } from './context.js';
import { BadCommand, resolveExecArgs } from './spawn-args.js';
import type { SpawnReadiness } from './spawn-readiness.js';
import { SpawnFailure, type ChildHandle } from './types.js';

export type LaunchOutcome =
  | { kind: 'spawned'; child: ChildHandle }
  /** The command cannot be run (not found, not executable) or an env file is missing or bad. */
  | { kind: 'bad-command'; message: string; errno: 'ENOENT' | 'EACCES' }
  /** The fork/exec (or a set-up step of the child) failed. */
  | { kind: 'fork-failed'; error: Error; argv0: string };

/** P is always Process (generic so that this file and process.ts do not import each other). */
export function launch<P extends { config: ProcessConfig }>(
  proc: P,
  ctx: ProcessContext<P>,
  readiness: SpawnReadiness<P> | null,
  /** Opens the spawn's logs, just before the fork (a failure is written to them). */
  openLogs: () => void,
): LaunchOutcome {
  const config = proc.config;
  let exec: { file: string; argv: string[] };
  let env: Record<string, string>;
  try {
    exec = resolveExecArgs(config.command, config.environment.PATH ?? ctx.env.PATH);
    env = ctx.childEnv(config);
  } catch (e) {
    if (!(e instanceof BadCommand || e instanceof EnvFileError)) throw e;
    return { kind: 'bad-command', message: e.message, errno: e instanceof BadCommand && e.fault !== 'NO_FILE' ? 'EACCES' : 'ENOENT' };
  }
  const childSetupError = ctx.checkChildSetup(config);
  try {
    if (childSetupError) throw new SpawnFailure(childSetupError, 'CHILD');
    openLogs();
    const extra = readiness?.prepare() ?? {};
    const child = ctx.spawner.spawn({
      file: exec.file,
      argv: exec.argv,
      env: { ...env, ...extra.env },
      cwd: config.directory,
      umask: config.umask,
      uid: config.uid,
      gid: config.gid,
      user: config.user,
      redirectStderr: config.redirectStderr,
      extraFds: extra.extraFds,
      stdin: ctx.stdinFor?.(proc),
      inheritStdio: config.inheritStdio,
    });
    return { kind: 'spawned', child };
  } catch (e) {
    readiness?.abandon();
    return { kind: 'fork-failed', error: e as Error, argv0: exec.argv[0] };
  }
}
