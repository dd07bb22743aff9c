// supervisord's orderings, in one place: groups and a group's processes sort by (priority, name)
// (their __lt__), names alone compare as Python strings do (by code unit).

/** Python's default string ordering. */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Ascending priority, then name: supervisord's order of groups and of processes_from_section. */
export function byPriorityThenName(a: { priority: number; name: string }, b: { priority: number; name: string }): number {
  return a.priority - b.priority || byName(a, b);
}
