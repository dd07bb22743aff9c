// Step 1 of the daemon, "prepare": read the config, apply container defaults, daemonized
// directory/umask, drop privileges, raise limits and open the activity log — everything before a
// child or a socket exists. A failure here is the user's to fix (exit 2).

import path from 'node:path';
import { configForCommand, formatConfigError, loadConfig } from '../config/index.js';
import { ConfigError, type Config } from '../config/types.js';
import { createActivityLogger } from '../logging/index.js';
import type { ActivityLogger } from '../logging/types.js';
import { StartupError, startupError } from './cleanup.js';
import { defaultSocketPath } from './container.js';
import { raiseLimits } from './limits.js';
import { dropPrivileges } from './privileges.js';
import type { DaemonOptions } from './options.js';

const ROOT_WARNING =
  'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.';

/** Reads the config (or builds it for single-command mode) with the container defaults applied. */
export function readConfig(opts: DaemonOptions): Config {
  const config = opts.command
    ? configForCommand(opts.command)
    : loadConfig(opts.configFile!, { env: opts.env as Record<string, string>, overrides: opts.overrides });
  if (opts.container) applyContainerDefaults(config, opts);
  return config;
}

/** In a container, supervisord's file defaults (supervisord.log / .pid in the cwd) are not wanted. */
function applyContainerDefaults(config: Config, opts: DaemonOptions): void {
  const sd = config.supervisord;
  sd.nodaemon = true;
  if (opts.overrides.logfile === undefined && sd.logfile === path.resolve('supervisord.log')) sd.logfile = '';
  if (opts.overrides.pidfile === undefined && sd.pidfile === path.resolve('supervisord.pid')) sd.pidfile = null;
  if (config.httpServers.length === 0 && !opts.command) {
    const file = defaultSocketPath();
    if (file)
      config.httpServers.push({ section: 'unix_http_server', kind: 'unix', file, chmod: 0o700, chown: null, username: null, password: null, implicit: true });
  }
}

export interface Prepared {
  config: Config;
  logger: ActivityLogger;
}

/** Throws StartupError with the text to print. */
export function prepare(opts: DaemonOptions): Prepared {
  let config: Config;
  try {
    config = readConfig(opts);
  } catch (e) {
    if (e instanceof ConfigError) throw new StartupError(`${formatConfigError(e)}\n`);
    throw e;
  }
  const sd = config.supervisord;
  // supervisord applies directory and umask only when it daemonizes.
  if (opts.daemonized) {
    process.umask(sd.umask);
    if (sd.directory) process.chdir(sd.directory);
  }
  const uidBefore = process.getuid?.();
  if (sd.user) {
    const why = dropPrivileges(sd.user);
    if (why) throw startupError(why);
  }
  const limits = raiseLimits(sd.minfds, sd.minprocs);
  if (limits.error) throw startupError(limits.error);
  const logger = createActivityLogger({
    file: sd.logfile === '' ? null : sd.logfile,
    maxbytes: sd.logfileMaxbytes,
    backups: sd.logfileBackups,
    level: sd.loglevel,
    toStdout: sd.nodaemon && !sd.silent,
    format: opts.logFormat,
  });
  for (const w of config.warnings) logger.warn(w.source ? `${w.message} (file: '${w.source.file}', line ${w.source.line})` : w.message);
  for (const i of config.infos) logger.info(i);
  for (const i of limits.infos) logger.debug(i);
  if (sd.user && process.getuid?.() !== uidBefore) logger.info(`Set uid to user ${process.getuid?.()} succeeded`);
  if (!opts.container && !opts.command && process.getuid?.() === 0 && !sd.user) logger.critical(ROOT_WARNING);
  return { config, logger };
}
