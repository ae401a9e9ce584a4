/** Reordering a pitch's steps, pure: by buttons (move up/down) and by dragging a row. */

/** The list with the entry at `from` moved to `to` (both clamped); the input is not changed. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  if (from < 0 || from >= copy.length) return copy;
  const target = Math.max(0, Math.min(copy.length - 1, to));
  const [entry] = copy.splice(from, 1);
  copy.splice(target, 0, entry as T);
  return copy;
}

/**
 * Where a dragged row lands: `rows` are the other rows' vertical extents in the list's order
 * (the dragged row included at `from`), `y` is the dragged row's centre now. The row settles at
 * the index of the last row whose middle it has passed.
 */
export function dropIndex(rows: readonly { top: number; height: number }[], from: number, y: number): number {
  let index = from;
  for (let i = 0; i < rows.length; i++) {
    if (i === from) continue;
    const row = rows[i]!;
    const middle = row.top + row.height / 2;
    if (i < from && y < middle) return i;
    if (i > from && y > middle) index = i;
  }
  return index;
}
