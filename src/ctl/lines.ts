// Lines typed by the user, one at a time on demand: the shell's commands, reload/shutdown
// confirmations, credentials after a 401, and what `fg` forwards to a process. One readline
// interface serves them all so that no typed line is lost between two readers.

import readline from 'node:readline';

/** Ctrl-C while a line was awaited (Python's KeyboardInterrupt). */
export class KeyboardInterrupt extends Error {
  constructor() {
    super('KeyboardInterrupt');
  }
}

export interface LineReaderOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Line editing, history and completion: only when input is a terminal. */
  terminal: boolean;
  completer?: (line: string) => Promise<[string[], string]>;
  /** Oldest first, as in a history file. */
  history?: string[];
  /** Where a secret's prompt goes when input is not a terminal (getpass's fallback). */
  stderr?: NodeJS.WritableStream;
  /** Ctrl-C typed into the line editor (in raw mode it is a key, not a signal). */
  onInterrupt?: () => void;
}

interface Pending {
  resolve(line: string | null): void;
  reject(e: Error): void;
}

export class LineReader {
  private readonly rl: readline.Interface;
  private readonly queue: string[] = [];
  private pending: Pending | null = null;
  private ended = false;
  private muted = false;
  private readonly terminal: boolean;
  private readonly stderr: NodeJS.WritableStream | undefined;

  constructor(opts: LineReaderOptions) {
    this.terminal = opts.terminal;
    this.stderr = opts.stderr;
    const completer = opts.completer;
    this.rl = readline.createInterface({
      input: opts.input,
      output: opts.output,
      terminal: opts.terminal,
      history: [...(opts.history ?? [])].reverse(),
      historySize: 1000,
      removeHistoryDuplicates: false,
      completer: completer
        ? (line: string, cb: (err: Error | null, result: [string[], string]) => void) => {
            completer(line).then(
              (r) => cb(null, r),
              () => cb(null, [[], line]),
            );
          }
        : undefined,
    });
    // Typed secrets (Password:) are not echoed.
    const rlw = this.rl as unknown as { _writeToOutput(s: string): void };
    const write = rlw._writeToOutput.bind(this.rl);
    rlw._writeToOutput = (s: string) => {
      if (!this.muted) write(s);
    };
    this.rl.on('line', (line) => {
      if (this.pending) {
        const p = this.pending;
        this.pending = null;
        p.resolve(line);
      } else this.queue.push(line);
    });
    this.rl.on('close', () => {
      this.ended = true;
      const p = this.pending;
      this.pending = null;
      p?.resolve(null);
    });
    this.rl.on('SIGINT', () => (opts.onInterrupt ? opts.onInterrupt() : this.interrupt()));
  }

  /** Is someone waiting for a line? */
  get reading(): boolean {
    return this.pending !== null;
  }

  /** Writes prompt and resolves with the next line; null at end of input. */
  read(prompt: string, opts: { secret?: boolean; signal?: AbortSignal } = {}): Promise<string | null> {
    if (opts.secret && !this.terminal && this.stderr) {
      // Like getpass without a terminal: the prompt goes to stderr, stdout stays clean.
      this.stderr.write(prompt);
      prompt = '';
    }
    if (this.queue.length) {
      // Already typed (or piped): the prompt is still shown, as input() would.
      if (prompt) this.output(prompt);
      return Promise.resolve(this.queue.shift()!);
    }
    if (this.ended) {
      if (prompt) this.output(prompt);
      return Promise.resolve(null);
    }
    if (opts.signal?.aborted) return Promise.resolve(null);
    return new Promise<string | null>((resolve, reject) => {
      const onAbort = () => {
        if (this.pending === entry) this.pending = null;
        this.muted = false;
        resolve(null);
      };
      const entry: Pending = {
        resolve: (line) => {
          opts.signal?.removeEventListener('abort', onAbort);
          if (this.muted) {
            this.muted = false;
            this.output('\n');
          }
          resolve(line);
        },
        reject: (e) => {
          opts.signal?.removeEventListener('abort', onAbort);
          this.muted = false;
          reject(e);
        },
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = entry;
      this.rl.setPrompt(prompt);
      this.rl.prompt();
      if (opts.secret) this.muted = true;
    });
  }

  /** Ctrl-C: the line being awaited fails with KeyboardInterrupt. */
  interrupt(): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(new KeyboardInterrupt());
  }

  /** Lines entered this session and before, oldest first. */
  get history(): string[] {
    return [...((this.rl as unknown as { history?: string[] }).history ?? [])].reverse();
  }

  private output(s: string): void {
    (this.rl as unknown as { output?: NodeJS.WritableStream }).output?.write(s);
  }

  close(): void {
    this.rl.close();
  }
}
