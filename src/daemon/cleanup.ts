// One cleanup stack for the daemon: every step that opens something pushes how to close it, and a
// failed start-up or the final teardown unwinds the stack in reverse, once.

export class CleanupStack {
  private readonly steps: Array<() => void | Promise<void>> = [];

  push(step: () => void | Promise<void>): void {
    this.steps.push(step);
  }

  /** Runs every step, newest first; a failing step does not stop the others. */
  async unwind(): Promise<void> {
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch {
        /* best effort: the remaining resources must still be released */
      }
    }
  }
}

/** A start-up failure the user must fix: printed as is on stderr, then svinit exits 2. */
export class StartupError extends Error {}

/** The usual shape of a start-up failure line, with supervisord's help hint. */
export function startupError(message: string): StartupError {
  return new StartupError(`Error: ${message}\nFor help, use svinit -h\n`);
}
