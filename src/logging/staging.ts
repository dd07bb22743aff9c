// Where batched log writes wait for the end of the event-loop turn (RotatingFile's `batched`).
// A child's output arrives as a view on a read buffer that the next read reuses, so a batch must
// hold a copy. Copies go into one area allocated once instead of a new Buffer per chunk: capture
// leaves no garbage behind for the GC, and the area is free again once every batch is written.

/** The area's size: a turn's reads of several programs; a larger chunk is written at once. */
export const STAGING_BYTES = 256 * 1024;

export interface Staged {
  /** Writes the batch now (the staged views must not be used afterwards). */
  flush(): void;
}

let area: Buffer | null = null;
let used = 0;
const waiting = new Set<Staged>();
let turnEnd: NodeJS.Immediate | null = null;

/** No batch waits any more: the whole area is free and no flush is due. */
function empty(): void {
  waiting.clear();
  used = 0;
  if (turnEnd) clearImmediate(turnEnd);
  turnEnd = null;
}

/** Writes every waiting batch; the area is empty again. */
function flushStaged(): void {
  for (const owner of [...waiting]) owner.flush();
  empty();
}

/**
 * A copy of `chunk` that stays valid until `owner` flushes, or null when the chunk is too large to
 * stage (the owner writes it directly, after its own batch). The owner's flush runs at the end of
 * this turn at the latest.
 */
export function stage(owner: Staged, chunk: Buffer): Buffer | null {
  if (chunk.length > STAGING_BYTES / 2) return null;
  if (used + chunk.length > STAGING_BYTES) flushStaged();
  area ??= Buffer.allocUnsafeSlow(STAGING_BYTES);
  const copy = area.subarray(used, used + chunk.length);
  chunk.copy(copy);
  used += chunk.length;
  waiting.add(owner);
  turnEnd ??= setImmediate(flushStaged);
  return copy;
}

/** `owner`'s batch is written or dropped on its own (a flush before close or reopen, a clear). */
export function unstage(owner: Staged): void {
  waiting.delete(owner);
  if (!waiting.size) empty();
}
