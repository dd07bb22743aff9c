// supervisord's namespec helpers (options.py make_namespec / split_namespec).

/** `g:p` → [g, p]; `g:` or `g:*` → [g, null] (the whole group); `p` → [p, p]. */
export function splitNamespec(namespec: string): [group: string, name: string | null] {
  const i = namespec.indexOf(':');
  if (i === -1) return [namespec, namespec];
  const group = namespec.slice(0, i);
  const name = namespec.slice(i + 1);
  return [group, !name || name === '*' ? null : name];
}

export function makeNamespec(group: string, name: string): string {
  return group === name ? name : `${group}:${name}`;
}
