import { percentile, startOfDay, summarise, type CountedEvent } from '../../server/stats/stats';

describe('statistics helpers', () => {
  test("today starts at the café's local midnight", () => {
    const now = new Date('2026-07-01T21:30:00Z');
    expect(startOfDay(now, 'UTC').toISOString()).toBe('2026-07-01T00:00:00.000Z');
    // London is UTC+1 in July.
    expect(startOfDay(now, 'Europe/London').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    // 21:30 UTC is already the next day in Tokyo (UTC+9).
    expect(startOfDay(now, 'Asia/Tokyo').toISOString()).toBe('2026-07-01T15:00:00.000Z');
    expect(startOfDay(new Date('2026-01-15T03:00:00Z'), 'America/New_York').toISOString()).toBe('2026-01-14T05:00:00.000Z');
  });

  test('p90 is the nearest-rank percentile', () => {
    expect(percentile([], 90)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });
});

describe("today's numbers", () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 18, minute));
  const event = (reservationId: number, type: string, minute: number, waitMinutes: number | null = null): CountedEvent => ({
    reservationId,
    gameId: 1,
    type,
    waitMs: waitMinutes === null ? null : waitMinutes * 60_000,
    createdAt: at(minute),
  });

  test('a party called, sent back (uncall) and called again counts one wait: the call that stood', () => {
    const events = [
      event(1, 'called', 10, 10), // staff called the wrong party…
      event(1, 'uncalled', 11),
      event(2, 'called', 11, 20),
      event(1, 'called', 30, 30), // …and called it again when its turn came
      event(1, 'seated', 32),
      event(2, 'seated', 13),
    ];
    const numbers = summarise(events, new Map([[1, 'Catan']]));
    expect(numbers.meanWaitMinutes).toBe(25);
    expect(numbers.served).toBe(2);
    expect(numbers.perGame).toEqual([{ gameId: 1, title: 'Catan', served: 2, meanWaitMinutes: 25 }]);
  });
});
