import { percentile, startOfDay } from '../../server/stats/stats';

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
