// process_groups_from_parser (options.py): every group of the file — [group:x] sections first
// (they claim their programs), then the [program:x], [eventlistener:x] and [fcgi-program:x] sections
// that are groups of their own — in (priority, name) order.

import { listOfStrings, parseInteger, processOrGroupName } from './datatypes.js';
import { byPriorityThenName } from './order.js';
import { readEventListener } from './read-eventlistener.js';
import { readFcgiProgram } from './read-fcgi.js';
import { readProcesses } from './read-processes.js';
import { KeyError, type SectionReader } from './section-reader.js';
import type { GroupConfig, ProcessConfig } from './types.js';

export function readGroups(r: SectionReader, hostname: string): GroupConfig[] {
  const sections = r.doc.names();
  const excluded = new Set<string>();
  const groups: GroupConfig[] = sections.filter((s) => s.startsWith('group:')).map((section) => readGroupSection(r, section, hostname, excluded));
  for (const section of sections.filter((s) => s.startsWith('program:') && !excluded.has(s))) {
    const name = r.sectionName(section);
    const priority = r.safe(section, () => r.conv(section, 'priority', '999', parseInteger));
    groups.push({ name, kind: 'program', priority, processes: readProcesses(r, section, name, hostname, 'program') });
  }
  for (const section of sections.filter((s) => s.startsWith('eventlistener:'))) {
    const name = section.slice('eventlistener:'.length);
    const g = r.safe(section, () => readEventListener(r, section));
    groups.push({ name, kind: 'eventlistener', priority: g.priority, eventListener: g.eventListener, processes: readProcesses(r, section, name, hostname, 'eventlistener') });
  }
  for (const section of sections.filter((s) => s.startsWith('fcgi-program:') && !excluded.has(s))) {
    const name = r.sectionName(section);
    const g = r.safe(section, () => readFcgiProgram(r, section, name));
    groups.push({ name, kind: 'fcgi-program', priority: g.priority, fcgi: g.fcgi, processes: readProcesses(r, section, name, hostname, 'fcgi-program') });
  }
  return groups.sort(byPriorityThenName);
}

/** A [group:x] section; the program sections it names go into `claimed`. */
function readGroupSection(r: SectionReader, section: string, hostname: string, claimed: Set<string>): GroupConfig {
  try {
    const name = processOrGroupName(section.split(':').slice(1).join(':'));
    // No programs= is not an error in supervisord: the group is simply empty.
    const programsAt = r.get(section, 'programs', '');
    const priority = r.conv(section, 'priority', '999', parseInteger);
    const processes: ProcessConfig[] = [];
    for (const program of listOfStrings(programsAt.value!)) {
      const ps = `program:${program}`;
      const fs_ = `fcgi-program:${program}`;
      const hasP = r.doc.has(ps);
      const hasF = r.doc.has(fs_);
      if (!hasP && !hasF) throw new KeyError(`[${section}] names unknown program or fcgi-program ${program}`, programsAt.at, 'programs');
      if (hasP && hasF) throw new KeyError(`[${section}] name ${program} is ambiguous (exists as program and fcgi-program)`, programsAt.at, 'programs');
      const target = hasP ? ps : fs_;
      claimed.add(target);
      processes.push(...readProcesses(r, target, name, hostname, hasP ? 'program' : 'fcgi-program'));
    }
    return { name, kind: 'group', priority, processes };
  } catch (e) {
    r.fail(e, section);
  }
}
