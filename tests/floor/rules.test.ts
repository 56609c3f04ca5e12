import fc from 'fast-check';
import { Conflict } from '../../server/errors';
import { ACTIONS, STATUSES, TERMINAL, TRANSITIONS, freeCopies, legalActions, nextStatus } from '../../server/queue/states';
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

const NOW = new Date('2026-03-07T19:00:00.000Z');

describe('queue properties (fast-check)', () => {
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
