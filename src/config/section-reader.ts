// What every section reader of load.ts shares: supervisord's saneget (a value, expanded, or the
// default), conversion with errors that know their file and line, and the error texts supervisord
// gives for a section.

import os from 'node:os';
import path from 'node:path';
import { expand, type ExpansionError, type Expansions } from './expand.js';
import { pyRepr, type IniDocument, type IniValue } from './ini.js';
import { processOrGroupName } from './datatypes.js';
import { ConfigError, type Warning } from './types.js';

/** An error raised while reading one key: it knows where it is. */
export class KeyError extends Error {
  constructor(
    message: string,
    public readonly at?: IniValue,
    public readonly key?: string,
  ) {
    super(message);
  }
}

export interface GetOptions {
  /** Expansions beside ENV_x (and `here`). */
  expansions?: Expansions;
  /** The value as written, not expanded. */
  raw?: boolean;
  /** Add `here` (supervisord does for most lookups, not for the server sections'). */
  withHere?: boolean;
}

/** supervisord's normalize_path: expanduser, then absolute and normalised. */
export function normalizePath(p: string, cwd = process.cwd()): string {
  return path.resolve(cwd, p.replace(/^~(?=$|\/)/, os.homedir()));
}

export class SectionReader {
  readonly warnings: Warning[] = [];

  constructor(
    readonly doc: IniDocument,
    readonly environ: Expansions,
    readonly here: string,
    readonly configFile: string,
    readonly cwd: string,
  ) {}

  /** saneget: the raw value (expanded unless raw) or the default. */
  get(section: string, key: string, dflt: string | null, opts: GetOptions = {}): { value: string | null; at?: IniValue } {
    const { expansions = {}, raw = false, withHere = true } = opts;
    const at = this.doc.get(section, key);
    if (!at) return { value: dflt };
    if (raw) return { value: at.value, at };
    const all: Expansions = withHere ? { ...this.environ, ...expansions, here: expansions.here ?? this.here } : { ...this.environ, ...expansions };
    try {
      return { value: expand(at.value, all, `${section}.${key}`), at };
    } catch (e) {
      throw new KeyError((e as ExpansionError).message, at, key);
    }
  }

  /** Reads and converts one key; converter errors become KeyErrors that know the location. */
  conv<T>(section: string, key: string, dflt: string, fn: (v: string) => T, expansions: Expansions = {}): T {
    const { value, at } = this.get(section, key, dflt, { expansions });
    try {
      return fn(value!);
    } catch (e) {
      if (e instanceof KeyError) throw e;
      throw new KeyError((e as Error).message, at, key);
    }
  }

  /**
   * Turns a KeyError into the ConfigError svinit reports. supervisord adds "in section 'x' (file:
   * 'y')" to the errors of a process section only.
   */
  fail(e: unknown, section: string, opts: { processSection?: boolean } = {}): never {
    if (e instanceof ConfigError) throw e;
    const err = e as KeyError;
    const file = this.doc.sections.get(section)?.file ?? this.configFile;
    const suffix = opts.processSection ? ` in section ${pyRepr(section)} (file: ${pyRepr(file)})` : '';
    const source = err.at ? { file: err.at.file, line: err.at.line } : { file, line: this.doc.sections.get(section)?.line ?? 0 };
    throw new ConfigError(`${err.message}${suffix}`, source, section, err.key);
  }

  /** Group-level checks: supervisord reports these without the process-section suffix. */
  safe<T>(section: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      this.fail(e, section);
    }
  }

  /** The name after the colon of `[program:x]` and its kin, checked as supervisord does. */
  sectionName(section: string): string {
    return this.safe(section, () => processOrGroupName(section.split(':').slice(1).join(':')));
  }

  sectionSource(section: string): { file: string; line: number } {
    const s = this.doc.sections.get(section);
    return s ? { file: s.file, line: s.line } : { file: this.configFile, line: 0 };
  }
}
