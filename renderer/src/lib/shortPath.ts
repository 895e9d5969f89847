/**
 * A folder path short enough to read in a narrow panel: the end of it is what tells folders
 * apart (`…/Videos/Converted`), whole words kept; a very long folder name is shortened in its
 * middle, never cut at its end (where "Convert…" hid which folder it was). The full path goes
 * in a tooltip beside it.
 */
const MAX_SEGMENT = 22;

function middle(segment: string, max = MAX_SEGMENT): string {
  if (segment.length <= max) return segment;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${segment.slice(0, head)}…${segment.slice(segment.length - tail)}`;
}

export function shortPath(path: string, budget = 32): string {
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const parts = path.split(/[\\/]/).filter(Boolean);
  if (parts.length === 0) return path;
  if (path.length <= budget) return path;
  const last = middle(parts.at(-1)!);
  const parent = parts.length > 1 ? middle(parts.at(-2)!, 14) : null;
  if (parent && parent.length + last.length + 3 <= budget) return `…${sep}${parent}${sep}${last}`;
  return `…${sep}${last}`;
}
