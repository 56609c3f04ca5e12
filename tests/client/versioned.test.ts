import {
  applyItem,
  applySnapshot,
  emptyList,
  removeItem,
  shouldApply,
  type VersionedList,
} from '../../client/src/stores/versioned';

interface Game {
  id: number;
  title: string;
}

const game = (id: number, title = `game ${id}`): Game => ({ id, title });

function must<T>(value: T | null): T {
  if (value === null) throw new Error('expected the payload to be applied');
  return value;
}

describe('shouldApply', () => {
  it('applies anything when nothing is held yet', () => {
    expect(shouldApply(null, 0)).toBe(true);
    expect(shouldApply(undefined, 5)).toBe(true);
  });

  it('applies only a strictly newer version', () => {
    expect(shouldApply(7, 8)).toBe(true);
    expect(shouldApply(7, 7)).toBe(false);
    expect(shouldApply(7, 3)).toBe(false);
  });

  it('refuses a version that is not a number', () => {
    expect(shouldApply(null, Number.NaN)).toBe(false);
    expect(shouldApply(1, Number.POSITIVE_INFINITY)).toBe(false);
  });
});

describe('a live list of games', () => {
  it('when a snapshot arrives, it replaces the whole list', () => {
    const list = must(applySnapshot(emptyList<Game>(), 3, [game(1), game(2)]));
    expect(list.items.map((g) => g.id)).toEqual([1, 2]);
    expect(list.snapshotVersion).toBe(3);
  });

  it('when an older or equal snapshot arrives after a newer one, it is ignored', () => {
    const list = must(applySnapshot(emptyList<Game>(), 10, [game(1)]));
    expect(applySnapshot(list, 9, [game(1, 'stale')])).toBeNull();
    expect(applySnapshot(list, 10, [game(1, 'same')])).toBeNull();
  });

  it('when a game update is newer, it replaces only that game', () => {
    const list = must(applySnapshot(emptyList<Game>(), 3, [game(1), game(2)]));
    const next = must(applyItem(list, 4, game(2, 'renamed')));
    expect(next.items).toEqual([game(1), game(2, 'renamed')]);
  });

  it('when a game update is not newer than the snapshot, it is dropped', () => {
    const list = must(applySnapshot(emptyList<Game>(), 5, [game(1)]));
    expect(applyItem(list, 5, game(1, 'dup'))).toBeNull();
    expect(applyItem(list, 4, game(1, 'old'))).toBeNull();
  });

  it('when updates for two games arrive swapped, both still apply', () => {
    const list = must(applySnapshot(emptyList<Game>(), 1, [game(1), game(2)]));
    const afterB = must(applyItem(list, 8, game(2, 'B at 8')));
    const afterA = must(applyItem(afterB, 7, game(1, 'A at 7')));
    expect(afterA.items).toEqual([game(1, 'A at 7'), game(2, 'B at 8')]);
    expect(applyItem(afterA, 6, game(2, 'B at 6'))).toBeNull();
  });

  it('when a snapshot is older than an update already applied, that game keeps the newer state', () => {
    const list = must(applySnapshot(emptyList<Game>(), 1, [game(1), game(2)]));
    const updated = must(applyItem(list, 9, game(2, 'newer')));
    const next = must(applySnapshot(updated, 8, [game(1, 'snap'), game(2, 'older')]));
    expect(next.items).toEqual([game(1, 'snap'), game(2, 'newer')]);
    expect(applyItem(next, 9, game(2, 'replay'))).toBeNull();
  });

  it('when a game is missing from a newer snapshot, it is gone', () => {
    const list = must(applySnapshot(emptyList<Game>(), 1, [game(1), game(2)]));
    const next = must(applySnapshot(list, 2, [game(1)]));
    expect(next.items.map((g) => g.id)).toEqual([1]);
  });

  it('when a game was created after the snapshot was taken, the snapshot does not drop it', () => {
    const list = must(applySnapshot(emptyList<Game>(), 1, [game(1)]));
    const created = must(applyItem(list, 5, game(3)));
    const next = must(applySnapshot(created, 4, [game(1)]));
    expect(next.items.map((g) => g.id)).toEqual([1, 3]);
  });

  it('when a game update arrives before any snapshot, it is shown', () => {
    const next = must(applyItem(emptyList<Game>(), 2, game(7)));
    expect(next.items).toEqual([game(7)]);
  });

  it('when staff delete a game, it leaves the list at once', () => {
    const list: VersionedList<Game> = must(applySnapshot(emptyList<Game>(), 1, [game(1), game(2)]));
    expect(removeItem(list, 1).items).toEqual([game(2)]);
  });

  it('never moves backwards, whatever order the messages arrive in', () => {
    const messages = [5, 2, 9, 9, 1, 7, 12, 3].map((v) => ({ version: v, item: game(1, `v${v}`) }));
    let list = emptyList<Game>();
    let highest = -1;
    for (const { version, item } of messages) {
      list = applyItem(list, version, item) ?? list;
      highest = Math.max(highest, version);
      expect(list.items[0]?.title).toBe(`v${highest}`);
    }
  });
});
