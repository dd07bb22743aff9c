// Environment files (`env_files=` in [supervisord] and [program:x]; `envFiles` is ochinchina's
// spelling): KEY=VALUE lines read at every spawn, so a rotated secret reaches the next start of the
// program without a reload. Values are unquoted and stripped of comments by the `ini` package's
// value reader, the same rules svinit's INI files follow; see docs/config.md.

import fs from 'node:fs';
import ini from 'ini';

/** A file that cannot be read, or a line in it that is not KEY=VALUE: names the file and line. */
export class EnvFileError extends Error {
  constructor(
    message: string,
    public readonly file: string,
    public readonly line?: number,
  ) {
    super(line === undefined ? `${message}: ${file}` : `${message} (file: '${file}', line ${line})`);
    this.name = 'EnvFileError';
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Parses the text of one env file. Blank lines and lines starting with # or ; are skipped. */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    // Shell-sourceable files write `export KEY=VALUE`.
    if (/^export\s/.test(line)) line = line.slice(6).trimStart();
    const eq = line.indexOf('=');
    if (eq < 0) throw new EnvFileError(`not a KEY=VALUE line: '${lines[i].trim()}'`, file, i + 1);
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) throw new EnvFileError(`invalid variable name '${key}'`, file, i + 1);
    const raw = line.slice(eq + 1).trim();
    if (/^["']/.test(raw) && !isClosedQuote(raw)) throw new EnvFileError(`unterminated quoted value for '${key}'`, file, i + 1);
    env[key] = ini.unsafe(raw);
  }
  return env;
}

function isClosedQuote(raw: string): boolean {
  return raw.length >= 2 && raw[raw.length - 1] === raw[0];
}

/** Reads and merges the files in order (later files win). Throws EnvFileError naming the path. */
export function readEnvFiles(files: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new EnvFileError(code === 'ENOENT' ? "env file doesn't exist" : `can't read env file (${code ?? (e as Error).message})`, file);
    }
    Object.assign(env, parseEnvFile(text, file));
  }
  return env;
}

/** `env_files=` value: comma-separated paths, each stripped; empty entries dropped. */
export function parseEnvFilesValue(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
