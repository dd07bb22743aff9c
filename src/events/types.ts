// supervisord's event types and their hierarchy (events.py EventTypes): a listener subscribed to
// a type also receives every subtype. The names themselves belong to the config reader.

import { EVENT_PARENTS } from '../config/event-types.js';

export { EVENT_PARENTS };

/** True when `type` is `ancestor` or descends from it. */
export function isSubtype(type: string, ancestor: string): boolean {
  for (let t: string | null = type; t; t = EVENT_PARENTS[t] ?? null) if (t === ancestor) return true;
  return false;
}

/** One event as supervisord renders it: its type name and payload text. */
export interface SupervisorEvent {
  type: string;
  payload: string;
  /** Global serial, assigned when the first pool accepts the event. */
  serial?: number;
  /** Serial per pool, assigned on first acceptance by that pool. */
  poolSerials?: Map<string, number>;
}
