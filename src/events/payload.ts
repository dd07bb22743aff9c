// Event payloads byte for byte as supervisord renders them (events.py), and the envelope header.

import type { ProcessOutputFact, ProcessStateFact } from '../engine/facts.js';
import { ProcessState, processStateName } from '../engine/states.js';

const STATE_EVENT: Partial<Record<ProcessState, string>> = {
  [ProcessState.STOPPED]: 'PROCESS_STATE_STOPPED',
  [ProcessState.STARTING]: 'PROCESS_STATE_STARTING',
  [ProcessState.RUNNING]: 'PROCESS_STATE_RUNNING',
  [ProcessState.BACKOFF]: 'PROCESS_STATE_BACKOFF',
  [ProcessState.STOPPING]: 'PROCESS_STATE_STOPPING',
  [ProcessState.EXITED]: 'PROCESS_STATE_EXITED',
  [ProcessState.FATAL]: 'PROCESS_STATE_FATAL',
  [ProcessState.UNKNOWN]: 'PROCESS_STATE_UNKNOWN',
};

export function processStateEvent(f: ProcessStateFact): { type: string; payload: string } | null {
  const type = STATE_EVENT[f.to];
  if (!type) return null;
  const pairs: Array<[string, string | number]> = [
    ['processname', f.name],
    ['groupname', f.group],
    ['from_state', processStateName(f.from)],
  ];
  if (f.to === ProcessState.STARTING || f.to === ProcessState.BACKOFF) pairs.push(['tries', f.tries]);
  else if (f.to === ProcessState.EXITED) pairs.push(['expected', f.expected ? 1 : 0], ['pid', f.pid]);
  else if (f.to === ProcessState.RUNNING || f.to === ProcessState.STOPPING || f.to === ProcessState.STOPPED) pairs.push(['pid', f.pid]);
  return { type, payload: pairs.map(([k, v]) => `${k}:${v}`).join(' ') };
}

/** Output data as text; invalid UTF-8 is shown as supervisord does, `Undecodable: b'…'`. */
function asText(data: Buffer): string {
  const text = data.toString('utf8');
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(data)) return text;
  let repr = '';
  for (const b of data) repr += b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c ? String.fromCharCode(b) : b === 0x0a ? '\\n' : `\\x${b.toString(16).padStart(2, '0')}`;
  return `Undecodable: b'${repr}'`;
}

export function processLogEvent(f: ProcessOutputFact): { type: string; payload: string } {
  return {
    type: f.channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR',
    payload: `processname:${f.name} groupname:${f.group} pid:${f.pid} channel:${f.channel}\n${asText(f.data)}`,
  };
}

export function processCommunicationEvent(f: ProcessOutputFact): { type: string; payload: string } {
  return {
    type: f.channel === 'stdout' ? 'PROCESS_COMMUNICATION_STDOUT' : 'PROCESS_COMMUNICATION_STDERR',
    payload: `processname:${f.name} groupname:${f.group} pid:${f.pid}\n${asText(f.data)}`,
  };
}

/** The header line; `len` counts characters of the payload (supervisord's quirk), not bytes. */
export function envelope(identifier: string, serial: number, pool: string, poolSerial: number, type: string, payload: string): string {
  return `ver:3.0 server:${identifier} serial:${serial} pool:${pool} poolserial:${poolSerial} eventname:${type} len:${[...payload].length}\n${payload}`;
}
