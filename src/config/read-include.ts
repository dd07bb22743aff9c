// The main file and its [include] files, read into one document (supervisord's read_config and
// its `[include] files=` globbing, each file's %(here)s its own directory).

import fs from 'node:fs';
import path from 'node:path';
import { expand, type Expansions } from './expand.js';
import { glob } from './glob.js';
import { IniDocument } from './ini.js';
import { ConfigError, type Warning } from './types.js';

/**
 * svinit's bound on one config file's size (supervisord has none: an [include] of /dev/zero makes
 * it read until memory runs out).
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

class TooLarge extends Error {}

/** Reads at most MAX_CONFIG_BYTES of a file; a larger one throws TooLarge. */
function readBounded(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > MAX_CONFIG_BYTES) throw new TooLarge();
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

const tooLarge = (f: string) => `config file ${f} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`;

/** Reads the raw text of the main file and the [include]d files into one document. */
export function readDocument(file: string, expansions: Expansions, warnings: Warning[], infos: string[]): IniDocument {
  const doc = new IniDocument();
  if (!fs.existsSync(file)) throw new ConfigError(`could not find config file ${file}`, { file, line: 0 });
  let text: string;
  try {
    text = readBounded(file);
  } catch (e) {
    if (e instanceof TooLarge) throw new ConfigError(tooLarge(file), { file, line: 0 });
    throw new ConfigError(`could not read config file ${file}`, { file, line: 0 });
  }
  doc.read(text, file);
  const here = path.dirname(file);
  if (doc.has('include')) {
    doc.expandHere(here);
    const files = doc.get('include', 'files');
    if (!files) throw new ConfigError('.ini file has [include] section, but no files setting', { file: doc.sections.get('include')!.file, line: doc.sections.get('include')!.line }, 'include');
    let patterns: string;
    try {
      patterns = expand(files.value, expansions, 'include.files');
    } catch (e) {
      throw new ConfigError((e as Error).message, files, 'include', 'files');
    }
    for (const pattern of patterns.split(/\s+/).filter(Boolean)) {
      const abs = path.resolve(here, pattern);
      const matches = glob(abs);
      if (!matches.length) {
        warnings.push({ message: `No file matches via include "${abs}"`, source: files });
        continue;
      }
      for (const f of matches.sort()) {
        infos.push(`Included extra file "${f}" during parsing`);
        const stat = fs.statSync(f, { throwIfNoEntry: false });
        // RawConfigParser.read() skips what it cannot open (a directory, an unreadable file). A
        // device, FIFO or socket would hang or never end: svinit refuses them.
        if (stat && !stat.isFile() && !stat.isDirectory())
          throw new ConfigError(`included file ${f} is not a regular file`, files, 'include', 'files');
        let text: string;
        try {
          text = readBounded(f);
        } catch (e) {
          if (e instanceof TooLarge) throw new ConfigError(tooLarge(f), files, 'include', 'files');
          continue;
        }
        doc.read(text, f);
        doc.expandHere(path.dirname(path.resolve(f)));
      }
    }
  }
  return doc;
}
