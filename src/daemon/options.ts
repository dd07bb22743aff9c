// What the command line hands the daemon.

import type { SupervisordConfig } from '../config/types.js';

export interface DaemonOptions {
  /** Config file to read, or null in single-command mode. */
  configFile: string | null;
  /** Single-command mode (`svinit -- cmd args…`). */
  command?: string[];
  /** Command-line values that beat the config file's. */
  overrides: Partial<SupervisordConfig>;
  /** Container defaults: foreground, activity log on stdout, output forwarded, default socket. */
  container: boolean;
  logFormat: 'text' | 'json';
  /** Copy each program's output lines to svinit's stdout/stderr as `name | line`. */
  prefixOutput: boolean;
  /** Environment children inherit. */
  env?: NodeJS.ProcessEnv;
  /** This process is the detached copy started by daemonizing: apply `directory` and `umask`. */
  daemonized?: boolean;
}
