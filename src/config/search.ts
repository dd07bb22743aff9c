// The config file search order of supervisord and supervisorctl when -c is absent (supervisord's docs, "Configuration File").

import fs from 'node:fs';
import path from 'node:path';

export function defaultConfigPaths(argv0: string, cwd: string): string[] {
  const home = path.dirname(path.dirname(path.resolve(cwd, argv0)));
  return [
    path.join(home, 'etc', 'supervisord.conf'),
    path.join(home, 'supervisord.conf'),
    path.join(cwd, 'supervisord.conf'),
    path.join(cwd, 'etc', 'supervisord.conf'),
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
}

export function findConfigFile(argv0: string, cwd: string, exists: (p: string) => boolean = fs.existsSync): string | null {
  return defaultConfigPaths(argv0, cwd).find((p) => exists(p)) ?? null;
}
