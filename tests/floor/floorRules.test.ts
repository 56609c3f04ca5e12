import fc from 'fast-check';
import { compareQueueOrder, swapPlaces, type Queued } from '../../server/queue/ordering';
import { ACTIONS, TRANSITIONS, UNDO, consequencesOf, whyTooLate } from '../../server/queue/states';

const T0 = Date.parse('2026-11-30T19:00:00.000Z');
const MIN = 60_000;

/** The queue after applying new places. */
function apply(queue: readonly Queued[], places: ReadonlyMap<number, Date>): Queued[] {
  return queue.map((r) => ({ id: r.id, queueAt: places.get(r.id) ?? r.queueAt })).sort(compareQueueOrder);
}

describe('undo: every undoable action has a step back that returns the party to where it was', () => {
  test.each(Object.entries(UNDO))('undo of %s is %s, from the status the action leads to', (action, undo) => {
    const forward = TRANSITIONS[action as keyof typeof UNDO];
    const back = TRANSITIONS[undo];
    expect(back.from).toContain(forward.to);
    // Undoing a no-show or a cancel puts the party back in the queue at its place (spec).
    expect(back.to === forward.from[0] || (back.to === 'waiting' && forward.from.includes('called')) || back.to === 'waiting').toBe(true);
    expect(back.by).toBe('staff');
  });

  test('every step back and floor tool is a staff move, and each logs an event of its own', () => {
    const events = new Set<string>();
    for (const action of ['uncall', 'unseat', 'unfinish', 'reinstate', 'requeue', 'extend_hold', 'wrap_up', 'move_up', 'move_down'] as const) {
      expect(ACTIONS).toContain(action);
      expect(TRANSITIONS[action].by).toBe('staff');
      events.add(TRANSITIONS[action].event);
    }
    expect(events.size).toBe(9);
  });

  test('copies and holds follow from the statuses: unfinish takes a copy back, uncall frees it, reinstate may be owed a call', () => {
    expect(consequencesOf('finished', 'unfinish')).toMatchObject({ takesCopy: true, freesCopy: false });
    expect(consequencesOf('called', 'uncall')).toMatchObject({ freesCopy: true, endsHold: true, entersQueue: true });
    expect(consequencesOf('seated', 'unseat')).toMatchObject({ takesCopy: false, freesCopy: false, startsHold: true });
    expect(consequencesOf('no_show', 'reinstate')).toMatchObject({ takesCopy: false, entersQueue: true });
    expect(consequencesOf('called', 'extend_hold')).toMatchObject({ startsHold: false, endsHold: false, takesCopy: false, freesCopy: false });
  });
});

describe('revert windows', () => {
  const now = new Date(T0);
  test('a finished party can be put back within the window, not after', () => {
    expect(whyTooLate('unfinish', { finishedAt: new Date(T0 - 14 * MIN), liveCode: 'K7FA' }, now, 15 * MIN)).toBeNull();
    expect(whyTooLate('unfinish', { finishedAt: new Date(T0 - 16 * MIN), liveCode: 'K7FA' }, now, 15 * MIN)).toMatchObject({ code: 'revert_window_passed', params: { minutes: 15 }, message: expect.stringMatching(/15 minutes/) });
    expect(whyTooLate('unfinish', { finishedAt: new Date(T0), liveCode: 'K7FA' }, now, 0)).toBeNull();
  });

  test('a no-show or cancelled party only while its ticket code still resolves', () => {
    expect(whyTooLate('reinstate', { finishedAt: new Date(T0 - 600 * MIN), liveCode: 'K7FA' }, now, 0)).toBeNull();
    expect(whyTooLate('reinstate', { finishedAt: new Date(T0 - 2000 * MIN), liveCode: null }, now, 0)).toMatchObject({ code: 'ticket_released', message: expect.stringMatching(/over a day ago/) });
    expect(whyTooLate('requeue', { finishedAt: new Date(T0 - 2000 * MIN), liveCode: null }, now, 0)).toMatchObject({ code: 'ticket_released', message: expect.stringMatching(/join again/) });
    // Over a day, even before the hourly housekeeping has released the code.
    expect(whyTooLate('reinstate', { finishedAt: new Date(T0 - 1441 * MIN), liveCode: 'K7FA' }, now, 0)).toMatchObject({ code: 'ticket_released', message: expect.stringMatching(/over a day ago/) });
  });

  test('moves without a window are never too late', () => {
    expect(whyTooLate('uncall', { finishedAt: null, liveCode: null }, now, 0)).toBeNull();
  });
});

describe('priority: moving a party up or down swaps it with its neighbour and nobody else', () => {
  /** Queues with shared places (a batch of joins shares one) and ids in any order. */
  const queues = fc
    .uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 10_000 }), at: fc.integer({ min: 0, max: 6 }) }), { selector: (r) => r.id, minLength: 1, maxLength: 30 })
    .map((rows) => rows.map((r) => ({ id: r.id, queueAt: new Date(T0 + r.at) })));

  test('up swaps with the one ahead, down with the one behind; the others keep their order; a later joiner stays last', () => {
    fc.assert(
      fc.property(queues, fc.nat(), fc.boolean(), (queue, pick, up) => {
        const order = [...queue].sort(compareQueueOrder);
        const at = pick % order.length;
        const party = order[at]!;
        const places = swapPlaces(queue, party.id, up ? 'up' : 'down');
        const other = up ? at - 1 : at + 1;
        if (other < 0 || other >= order.length) {
          expect(places).toBeNull();
          return;
        }
        const expected = [...order];
        [expected[at], expected[other]] = [expected[other]!, expected[at]!];
        const after = apply(queue, places!);
        expect(after.map((r) => r.id)).toEqual(expected.map((r) => r.id));
        // The places handed out are never later than the last one the queue had, so whoever joins after
        // (a later or equal place, a higher id) stays behind them all.
        const latest = Math.max(...queue.map((r) => r.queueAt.getTime()));
        for (const at2 of places!.values()) expect(at2.getTime()).toBeLessThanOrEqual(latest);
        const newcomer = { id: 20_000, queueAt: new Date(latest) };
        expect(apply([...after, newcomer], new Map()).at(-1)!.id).toBe(newcomer.id);
      }),
    );
  });

  test('moving up then down gives back the same order', () => {
    fc.assert(
      fc.property(queues, fc.nat(), (queue, pick) => {
        const order = [...queue].sort(compareQueueOrder);
        if (order.length < 2) return;
        const party = order[1 + (pick % (order.length - 1))]!;
        const once = apply(queue, swapPlaces(queue, party.id, 'up')!);
        const back = apply(once, swapPlaces(once, party.id, 'down')!);
        expect(back.map((r) => r.id)).toEqual(order.map((r) => r.id));
      }),
    );
  });

  test('an unknown party or the first moving up / the last moving down: null', () => {
    const queue = [1, 2, 3].map((id) => ({ id, queueAt: new Date(T0) }));
    expect(swapPlaces(queue, 1, 'up')).toBeNull();
    expect(swapPlaces(queue, 3, 'down')).toBeNull();
    expect(swapPlaces(queue, 9, 'up')).toBeNull();
    expect(apply(queue, swapPlaces(queue, 3, 'up')!).map((r) => r.id)).toEqual([1, 3, 2]);
  });
});
