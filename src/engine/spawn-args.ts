// What happens before fork in supervisord: splitting the command, finding the executable
// (options.py get_execv_args / check_execv_args) and building the child's environment.

import fs from 'node:fs';
import path from 'node:path';
import { splitCommand } from '../config/index.js';
import { readEnvFiles } from '../config/env-files.js';
import type { ProcessConfig } from '../config/types.js';

/** A bad command, with the fault supervisord's startProcess raises for it. */
export class BadCommand extends Error {
  constructor(
    message: string,
    public readonly fault: 'NO_FILE' | 'NOT_EXECUTABLE',
  ) {
    super(message);
    this.name = 'BadCommand';
  }
}

const DEFAULT_PATH = '/bin:/usr/bin:/usr/local/bin';

/** Python's repr() of a str, as supervisord's %r puts it in messages. */
export function pyRepr(s: string): string {
  if (s.includes("'") && !s.includes('"')) return `"${s}"`;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface ExecArgs {
  file: string;
  argv: string[];
}

/**
 * Splits `command` like shlex and resolves argv[0] against PATH. `envPath` is the PATH of the
 * program's own environment= if it sets one, else svinit's PATH.
 */
export function resolveExecArgs(command: string, envPath: string | undefined): ExecArgs {
  let argv: string[];
  try {
    argv = splitCommand(command);
  } catch (e) {
    throw new BadCommand(`can't parse command ${pyRepr(command)}: ${(e as Error).message}`, 'NOT_EXECUTABLE');
  }
  if (argv.length === 0) throw new BadCommand('command is empty', 'NOT_EXECUTABLE');
  const program = argv[0];
  let file = program;
  let st: fs.Stats | null = null;
  if (program.includes('/')) {
    st = statOrNull(program);
  } else {
    for (const dir of (envPath ?? DEFAULT_PATH).split(':')) {
      const candidate = path.join(dir, program);
      st = statOrNull(candidate);
      if (st) {
        file = candidate;
        break;
      }
    }
  }
  if (!st) throw new BadCommand(`can't find command ${pyRepr(file)}`, 'NO_FILE');
  if (st.isDirectory()) throw new BadCommand(`command at ${pyRepr(file)} is a directory`, 'NOT_EXECUTABLE');
  if ((st.mode & 0o111) === 0) throw new BadCommand(`command at ${pyRepr(file)} is not executable`, 'NOT_EXECUTABLE');
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new BadCommand(`no permission to run command ${pyRepr(file)}`, 'NOT_EXECUTABLE');
  }
  return { file, argv };
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/**
 * The child's environment, in supervisord's order: svinit's own environment, the SUPERVISOR_*
 * variables, then `[supervisord] environment`, then the program's `environment` (program wins).
 * Env files (`[supervisord]`'s, then the program's) are read now, at every spawn, and come before
 * any `environment=`; a missing file or bad line throws EnvFileError naming it.
 */
export function buildChildEnv(
  base: NodeJS.ProcessEnv,
  proc: ProcessConfig,
  supervisordEnv: Record<string, string>,
  serverUrl: string | null,
  supervisordEnvFiles: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  env.SUPERVISOR_ENABLED = '1';
  const url = proc.serverurl ?? serverUrl;
  if (url) env.SUPERVISOR_SERVER_URL = url;
  env.SUPERVISOR_PROCESS_NAME = proc.name;
  env.SUPERVISOR_GROUP_NAME = proc.groupName;
  const files = [...supervisordEnvFiles, ...(proc.envFiles ?? [])];
  if (files.length) Object.assign(env, readEnvFiles(files));
  Object.assign(env, supervisordEnv, proc.environment);
  return env;
}
