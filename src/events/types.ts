// supervisord's event types and their hierarchy (events.py EventTypes): a listener subscribed to
// a type also receives every subtype.

export const EVENT_PARENTS: Record<string, string | null> = {
  EVENT: null,
  PROCESS_STATE: 'EVENT',
  PROCESS_STATE_STARTING: 'PROCESS_STATE',
  PROCESS_STATE_RUNNING: 'PROCESS_STATE',
  PROCESS_STATE_BACKOFF: 'PROCESS_STATE',
  PROCESS_STATE_STOPPING: 'PROCESS_STATE',
  PROCESS_STATE_EXITED: 'PROCESS_STATE',
  PROCESS_STATE_STOPPED: 'PROCESS_STATE',
  PROCESS_STATE_FATAL: 'PROCESS_STATE',
  PROCESS_STATE_UNKNOWN: 'PROCESS_STATE',
  REMOTE_COMMUNICATION: 'EVENT',
  PROCESS_LOG: 'EVENT',
  PROCESS_LOG_STDOUT: 'PROCESS_LOG',
  PROCESS_LOG_STDERR: 'PROCESS_LOG',
  PROCESS_COMMUNICATION: 'EVENT',
  PROCESS_COMMUNICATION_STDOUT: 'PROCESS_COMMUNICATION',
  PROCESS_COMMUNICATION_STDERR: 'PROCESS_COMMUNICATION',
  SUPERVISOR_STATE_CHANGE: 'EVENT',
  SUPERVISOR_STATE_CHANGE_RUNNING: 'SUPERVISOR_STATE_CHANGE',
  SUPERVISOR_STATE_CHANGE_STOPPING: 'SUPERVISOR_STATE_CHANGE',
  TICK: 'EVENT',
  TICK_5: 'TICK',
  TICK_60: 'TICK',
  TICK_3600: 'TICK',
  PROCESS_GROUP: 'EVENT',
  PROCESS_GROUP_ADDED: 'PROCESS_GROUP',
  PROCESS_GROUP_REMOVED: 'PROCESS_GROUP',
};

export function isKnownEventType(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(EVENT_PARENTS, name);
}

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
