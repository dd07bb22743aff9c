// The liveness keys of [program:x]: `liveness_check` (tcp://, http://, unix://, exec:) and its
// interval, timeout, initial delay and failure threshold. These are ochinchina/supervisord's key
// names; the check targets are the same as ready_check's. Meaning: docs/kubernetes.md.

import { type CheckTarget, DependsKeyError, parseCheckTarget } from './depends.js';

export interface LivenessSettings {
  target: CheckTarget;
  intervalSecs: number;
  timeoutSecs: number;
  initialDelaySecs: number;
  failureThreshold: number;
}

export const LIVENESS_KEYS = [
  'liveness_check',
  'liveness_check_interval',
  'liveness_check_timeout',
  'liveness_check_initial_delay',
  'liveness_check_failure_threshold',
] as const;

export const LIVENESS_DEFAULTS = { intervalSecs: 10, timeoutSecs: 5, initialDelaySecs: 0, failureThreshold: 3 };

function seconds(raw: string, key: string, allowZero: boolean): number {
  const s = raw.trim();
  const n = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || (!allowZero && n === 0))
    throw new DependsKeyError(`${key} must be a number of seconds${allowZero ? '' : ' greater than 0'}, not ${JSON.stringify(raw)}`, key);
  return n;
}

/**
 * Reads the liveness keys through `raw` (null when a key is absent). Returns null without a
 * liveness_check; throws DependsKeyError naming the key (the loader adds file and line).
 */
export function readLivenessKeys(raw: (key: string) => string | null, kind: 'program' | 'eventlistener' | 'fcgi-program'): LivenessSettings | null {
  const check = raw('liveness_check');
  if (check === null) {
    const stray = LIVENESS_KEYS.find((k) => k !== 'liveness_check' && raw(k) !== null);
    if (stray) throw new DependsKeyError(`${stray} is set but there is no liveness_check`, stray);
    return null;
  }
  if (kind === 'eventlistener')
    throw new DependsKeyError('liveness_check is not allowed in an [eventlistener] section: svinit already restarts a listener that breaks its protocol', 'liveness_check');
  const target = parseCheckTarget(check, 'liveness_check');
  const get = (key: string, fallback: number, allowZero: boolean) => {
    const v = raw(key);
    return v === null ? fallback : seconds(v, key, allowZero);
  };
  const thresholdRaw = raw('liveness_check_failure_threshold');
  let failureThreshold = LIVENESS_DEFAULTS.failureThreshold;
  if (thresholdRaw !== null) {
    failureThreshold = Number(thresholdRaw.trim());
    if (!/^\d+$/.test(thresholdRaw.trim()) || failureThreshold < 1)
      throw new DependsKeyError(`liveness_check_failure_threshold must be a whole number of at least 1, not ${JSON.stringify(thresholdRaw)}`, 'liveness_check_failure_threshold');
  }
  return {
    target,
    intervalSecs: get('liveness_check_interval', LIVENESS_DEFAULTS.intervalSecs, false),
    timeoutSecs: get('liveness_check_timeout', LIVENESS_DEFAULTS.timeoutSecs, false),
    initialDelaySecs: get('liveness_check_initial_delay', LIVENESS_DEFAULTS.initialDelaySecs, true),
    failureThreshold,
  };
}
