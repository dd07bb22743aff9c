// The group-level keys of an [eventlistener:x] section (options.py process_groups_from_parser):
// priority, buffer_size, result_handler and the events it subscribes to.

import { parseBoolean, parseInteger, listOfStrings } from './datatypes.js';
import { EVENT_TYPE_NAMES } from './event-types.js';
import { KeyError, type SectionReader } from './section-reader.js';
import type { EventListenerSettings } from './types.js';

export function readEventListener(r: SectionReader, section: string): { priority: number; eventListener: EventListenerSettings } {
  const priority = r.conv(section, 'priority', '-1', parseInteger);
  const bufferSize = r.conv(section, 'buffer_size', '10', parseInteger);
  if (bufferSize < 1) throw new KeyError(`[${section}] section sets invalid buffer_size (${bufferSize})`, r.doc.get(section, 'buffer_size'), 'buffer_size');
  const resultHandler = r.get(section, 'result_handler', 'supervisor.dispatchers:default_handler').value!;
  if (!/^supervisor\.dispatchers:(default_handler|json_handler)$/.test(resultHandler))
    throw new KeyError(`${resultHandler} cannot be resolved within [${section}]`, r.doc.get(section, 'result_handler'), 'result_handler');
  const eventsAt = r.get(section, 'events', '');
  const events = [...new Set(listOfStrings(eventsAt.value!).map((x) => x.toUpperCase()))];
  if (!events.length) throw new KeyError(`[${section}] section requires an "events" line`, eventsAt.at, 'events');
  for (const ev of events) if (!EVENT_TYPE_NAMES.includes(ev)) throw new KeyError(`Unknown event type ${ev} in [${section}] events`, eventsAt.at, 'events');
  if (r.conv(section, 'redirect_stderr', 'false', parseBoolean))
    throw new KeyError(
      `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
      r.doc.get(section, 'redirect_stderr'),
      'redirect_stderr',
    );
  return { priority, eventListener: { events, bufferSize, resultHandler } };
}
