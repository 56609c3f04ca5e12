import fc from 'fast-check';
import { Conflict } from '../../server/errors';
import { ACTIONS, STATUSES, TERMINAL, TRANSITIONS, freeCopies, legalActions, nextStatus } from '../../server/queue/states';
import { estimateWaits, expectedPlayMs, type BusyCopy } from '../../server/queue/estimates';
import { LEGAL } from '../helpers/stateMachine';
import { assignPositions, compareQueueOrder, displayName, generateCode, isValidCode } from '../../server/queue/ordering';

const every = STATUSES.flatMap((status) => ACTIONS.map((action) => ({ status, action, to: LEGAL[status][action] ?? null })));

describe('the reservation state machine', () => {
  test.each(every.filter((t) => t.to))('a $status party can be $action → $to', ({ status, action, to }) => {
    expect(nextStatus(status, action)).toBe(to);
  });

  test.each(every.filter((t) => !t.to))('a $status party cannot be $action, and the Conflict says why', ({ status, action }) => {
    let error: unknown;
    try {
      nextStatus(status, action);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Conflict);
    const message = (error as Error).message;
    expect(message.length).toBeGreaterThan(20);
    // The reason names the party's current state, in words.
    expect(message).toContain(status === 'no_show' ? 'no-show' : status);
    if (TERMINAL.includes(status)) expect(message).toMatch(/already/);
  });

  test('legalActions lists exactly the legal transitions, and an ended party only steps back', () => {
    for (const status of STATUSES) {
      expect(legalActions(status).sort()).toEqual(Object.keys(LEGAL[status]).sort());
    }
    for (const status of TERMINAL) for (const action of legalActions(status)) expect(TRANSITIONS[action].to).not.toBe(status);
    for (const status of TERMINAL) for (const action of legalActions(status)) expect(TERMINAL).not.toContain(TRANSITIONS[action].to);
  });

  test('free copies never go negative (copies reduced below the number in use)', () => {
    expect(freeCopies(3, 1)).toBe(2);
    expect(freeCopies(2, 2)).toBe(0);
    expect(freeCopies(1, 3)).toBe(0);
  });
});

const MIN = 60_000;
const NOW = new Date('2026-03-07T19:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MIN);
const seated = (minutesAgo: number): BusyCopy => ({ status: 'seated', calledAt: ago(minutesAgo + 2), seatedAt: ago(minutesAgo) });
const called = (minutesAgo: number): BusyCopy => ({ status: 'called', calledAt: ago(minutesAgo), seatedAt: null });

describe('wait estimates, exactly as docs/SPEC.md#estimated-waits: copies are servers', () => {
  test('two free copies and five waiting: the first two play now, then one play time per pair', () => {
    expect(estimateWaits({ now: NOW, copies: 2, expectedPlayMs: 30 * MIN, busy: [], waitingCount: 5 })).toEqual([0, 0, 30, 30, 60]);
  });

  test('one copy seated 10 minutes ago with 30-minute games: the head waits 20, then +30 each', () => {
    expect(estimateWaits({ now: NOW, copies: 1, expectedPlayMs: 30 * MIN, busy: [seated(10)], waitingCount: 3 })).toEqual([20, 50, 80]);
  });

  test('a seated copy frees at seating + play time, a called one at hold start + play time', () => {
    // Seated 25 min ago → free in 5; called 1 min ago → free in 29; the third party takes the first copy again at 35.
    const busy = [called(1), seated(25)];
    expect(estimateWaits({ now: NOW, copies: 2, expectedPlayMs: 30 * MIN, busy, waitingCount: 3 })).toEqual([5, 29, 35]);
  });

  test('a session running over its expected time frees "now", never in the past', () => {
    expect(estimateWaits({ now: NOW, copies: 1, expectedPlayMs: 30 * MIN, busy: [seated(45)], waitingCount: 2 })).toEqual([0, 30]);
  });

  test('a free copy beside a busy one serves the head at once', () => {
    expect(estimateWaits({ now: NOW, copies: 2, expectedPlayMs: 60 * MIN, busy: [seated(20)], waitingCount: 3 })).toEqual([0, 40, 60]);
  });

  test('partial minutes round up: a copy freeing in 19.5 minutes means a 20-minute wait', () => {
    expect(estimateWaits({ now: NOW, copies: 1, expectedPlayMs: 30 * MIN, busy: [seated(10.5)], waitingCount: 1 })).toEqual([20]);
  });

  test('copies reduced below the number in use: the first copy to come back is retired', () => {
    // Two in use (free in 10 and 20) but only one copy now: the queue waits for the later one.
    expect(estimateWaits({ now: NOW, copies: 1, expectedPlayMs: 30 * MIN, busy: [seated(20), seated(10)], waitingCount: 2 })).toEqual([20, 50]);
  });

  test('a game with no copy to lend has no estimate for anyone', () => {
    expect(estimateWaits({ now: NOW, copies: 0, expectedPlayMs: 30 * MIN, busy: [], waitingCount: 2 })).toEqual([null, null]);
  });

  test('expected play time: nominal minutes with fewer than 3 sessions, their mean from 3 on', () => {
    expect(expectedPlayMs(45, [])).toBe(45 * MIN);
    expect(expectedPlayMs(45, [10 * MIN, 20 * MIN])).toBe(45 * MIN);
    expect(expectedPlayMs(45, [10 * MIN, 20 * MIN, 60 * MIN])).toBe(30 * MIN);
  });
});

const busyCopy = fc.record({
  status: fc.constantFrom<'called' | 'seated'>('called', 'seated'),
  startedMinutesAgo: fc.double({ min: 0, max: 300, noNaN: true }),
});

describe('queue properties (fast-check)', () => {
  test('estimates never decrease down the queue, and the head of a game with a free copy waits 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(busyCopy, { maxLength: 8 }),
        fc.integer({ min: 1, max: 240 }),
        fc.integer({ min: 0, max: 40 }),
        (copies, busySpec, playMinutes, waitingCount) => {
          const busy: BusyCopy[] = busySpec.map((b) =>
            b.status === 'seated' ? { status: 'seated', calledAt: null, seatedAt: ago(b.startedMinutesAgo) } : { status: 'called', calledAt: ago(b.startedMinutesAgo), seatedAt: null },
          );
          const waits = estimateWaits({ now: NOW, copies, expectedPlayMs: playMinutes * MIN, busy, waitingCount }) as number[];
          expect(waits).toHaveLength(waitingCount);
          for (let i = 1; i < waits.length; i += 1) expect(waits[i]!).toBeGreaterThanOrEqual(waits[i - 1]!);
          for (const w of waits) expect(w).toBeGreaterThanOrEqual(0);
          if (busy.length < copies && waitingCount > 0) expect(waits[0]).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('expected play time uses the measured mean only with at least 3 sessions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1440 }), fc.array(fc.integer({ min: 1, max: 5 * 3600_000 }), { maxLength: 10 }), (minutes, sessions) => {
        const expected = expectedPlayMs(minutes, sessions);
        if (sessions.length < 3) expect(expected).toBe(minutes * MIN);
        else expect(expected).toBeCloseTo(sessions.reduce((s, x) => s + x, 0) / sessions.length, 6);
      }),
    );
  });

  const enqueued = fc.uniqueArray(
    fc.record({ id: fc.integer({ min: 1, max: 1_000_000 }), at: fc.integer({ min: 0, max: 50 }) }),
    { selector: (e) => e.id, maxLength: 60 },
  );

  test('positions are always 1..n with no gaps and no duplicates', () => {
    fc.assert(
      fc.property(enqueued, (rows) => {
        const positioned = assignPositions(rows.map((r) => ({ id: r.id, queueAt: new Date(NOW.getTime() + r.at) })));
        expect(positioned.map((p) => p.position)).toEqual(rows.map((_, i) => i + 1));
        expect(new Set(positioned.map((p) => p.id)).size).toBe(rows.length);
      }),
    );
  });

  test('the order equals the enqueue order whatever order the rows arrive in (ties broken by id)', () => {
    fc.assert(
      fc.property(
        enqueued.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }))),
        ([rows, arrival]) => {
          const toRow = (r: { id: number; at: number }) => ({ id: r.id, queueAt: new Date(NOW.getTime() + r.at) });
          const expected = rows.map(toRow).sort((a, b) => a.queueAt.getTime() - b.queueAt.getTime() || a.id - b.id);
          expect(assignPositions(arrival.map(toRow)).map((p) => p.id)).toEqual(expected.map((e) => e.id));
          expect(compareQueueOrder(toRow({ id: 1, at: 5 }), toRow({ id: 2, at: 5 }))).toBeLessThan(0);
        },
      ),
    );
  });

  test('public codes are always valid and the board shows first name and last initial only', () => {
    fc.assert(fc.property(fc.infiniteStream(fc.nat()), (stream) => {
      const it = stream[Symbol.iterator]();
      const code = generateCode((max) => (it.next().value as number) % max);
      expect(isValidCode(code)).toBe(true);
    }));
    expect(displayName('Alex Rivera')).toBe('Alex R.');
    expect(displayName('  maria  de la cruz ')).toBe('maria C.');
    expect(displayName('Zoë')).toBe('Zoë');
  });
});
