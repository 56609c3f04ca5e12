// The version rule for realtime state. Kept free of Vue and the DOM so Jest can load it.
//
// Every state payload carries a service-wide version that only grows. A screen keeps the
// highest version it has applied and drops anything at or below it, so a late or duplicated
// message can never roll the screen back.

export function shouldApply(held: number | null | undefined, incoming: number): boolean {
  if (!Number.isFinite(incoming)) return false;
  return held === null || held === undefined || incoming > held;
}

/**
 * A list fed by whole snapshots and single-item updates. Versions are tracked per item as
 * well as per snapshot: the version is global, so an update to game A and a later one to
 * game B can arrive swapped (two app instances behind the Redis adapter) and both are still
 * news. A single held number would drop the older-numbered one and leave that game stale.
 */
export interface VersionedList<T extends { id: number }> {
  snapshotVersion: number | null;
  itemVersions: Readonly<Record<number, number>>;
  items: readonly T[];
}

export function emptyList<T extends { id: number }>(): VersionedList<T> {
  return { snapshotVersion: null, itemVersions: {}, items: [] };
}

/** Returns the next list, or null when the snapshot is stale and must be ignored. */
export function applySnapshot<T extends { id: number }>(
  list: VersionedList<T>,
  version: number,
  incoming: readonly T[],
): VersionedList<T> | null {
  if (!shouldApply(list.snapshotVersion, version)) return null;
  const current = new Map(list.items.map((item) => [item.id, item]));
  const itemVersions: Record<number, number> = {};
  const items: T[] = [];
  const seen = new Set<number>();
  for (const item of incoming) {
    seen.add(item.id);
    const held = list.itemVersions[item.id];
    const kept = current.get(item.id);
    if (kept && held !== undefined && !shouldApply(held, version)) {
      // An update newer than this snapshot already arrived; the snapshot's copy is older.
      items.push(kept);
      itemVersions[item.id] = held;
    } else {
      items.push(item);
      itemVersions[item.id] = version;
    }
  }
  // Items created after the snapshot was taken are not in it, but are not gone either.
  for (const item of list.items) {
    const held = list.itemVersions[item.id];
    if (!seen.has(item.id) && held !== undefined && held > version) {
      items.push(item);
      itemVersions[item.id] = held;
    }
  }
  return { snapshotVersion: version, itemVersions, items };
}

/** Returns the next list, or null when the update is not newer than what is held for that item. */
export function applyItem<T extends { id: number }>(
  list: VersionedList<T>,
  version: number,
  item: T,
): VersionedList<T> | null {
  const heldItem = list.itemVersions[item.id];
  const held = Math.max(list.snapshotVersion ?? -Infinity, heldItem ?? -Infinity);
  if (!shouldApply(Number.isFinite(held) ? held : null, version)) return null;
  const index = list.items.findIndex((existing) => existing.id === item.id);
  const items = index === -1 ? [...list.items, item] : list.items.map((existing, i) => (i === index ? item : existing));
  return { ...list, itemVersions: { ...list.itemVersions, [item.id]: version }, items };
}

/**
 * Drops an item the user just deleted over HTTP, so the screen does not wait for the next
 * snapshot (which will not contain it either).
 */
export function removeItem<T extends { id: number }>(list: VersionedList<T>, id: number): VersionedList<T> {
  return { ...list, items: list.items.filter((item) => item.id !== id) };
}
