import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { UNDO_LIFETIME_MS, useToasts } from './toasts';

describe('toasts', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('a toast with Undo stays at least ten seconds, then goes', () => {
    const toasts = useToasts();
    toasts.pushUndo('Seated K7FA Alex Rivera.', async () => undefined);
    expect(UNDO_LIFETIME_MS).toBeGreaterThanOrEqual(10_000);
    jest.advanceTimersByTime(10_000);
    expect(toasts.toasts.map((t) => t.message)).toEqual(['Seated K7FA Alex Rivera.']);
    jest.advanceTimersByTime(UNDO_LIFETIME_MS - 10_000);
    expect(toasts.toasts).toEqual([]);
  });

  test('a plain toast goes sooner and has no Undo', () => {
    const toasts = useToasts();
    toasts.push('Added K7FA.');
    expect(toasts.toasts[0]!.undo).toBeUndefined();
    jest.advanceTimersByTime(UNDO_LIFETIME_MS - 1);
    expect(toasts.toasts).toEqual([]);
  });
});
