// The main file and its [include] files, read into one document (supervisord's read_config and
// its `[include] files=` globbing, each file's %(here)s its own directory).

import fs from 'node:fs';
import path from 'node:path';
import { expand, type Expansions } from './expand.js';
import { glob } from './glob.js';
import { IniDocument } from './ini.js';
import { ConfigError, type Warning } from './types.js';

/** Reads the raw text of the main file and the [include]d files into one document. */
export function readDocument(file: string, expansions: Expansions, warnings: Warning[], infos: string[]): IniDocument {
  const doc = new IniDocument();
  if (!fs.existsSync(file)) throw new ConfigError(`could not find config file ${file}`, { file, line: 0 });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
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
        let text: string;
        try {
          text = fs.readFileSync(f, 'utf8');
        } catch {
          // RawConfigParser.read() skips what it cannot open (a directory, an unreadable file).
          continue;
        }
        doc.read(text, f);
        doc.expandHere(path.dirname(path.resolve(f)));
      }
    }
  }
  return doc;
}
