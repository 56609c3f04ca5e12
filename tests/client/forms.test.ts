import { ApiError, errorMessage, formErrors, toApiError } from '../../client/src/api/error';
import { validateGame, validateReservation } from '../../client/src/lib/validation';
import { boardColumns, boardGameWeight, fitRows } from '../../client/src/lib/fit';

describe('joining a queue', () => {
  it('accepts a trimmed name, a party size and no table', () => {
    expect(validateReservation({ customerName: '  Alex Rivera ', partySize: '3', tableNumber: '' })).toEqual({
      ok: true,
      value: { customerName: 'Alex Rivera', partySize: 3, tableNumber: null },
    });
  });

  it('names every field that is out of range', () => {
    const result = validateReservation({ customerName: '   ', partySize: 21, tableNumber: 1000 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['customerName', 'partySize', 'tableNumber']);
  });

  it('refuses a 61-character name and a fractional party', () => {
    const result = validateReservation({ customerName: 'x'.repeat(61), partySize: 2.5, tableNumber: null });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['customerName', 'partySize']);
  });
});

describe('editing a game', () => {
  it('allows zero copies', () => {
    const result = validateGame({ title: 'Catan', minPlayers: 3, maxPlayers: 4, playMinutes: 60, copies: 0, maxQueue: null });
    expect(result.ok).toBe(true);
  });

  it('refuses fewer max than min players', () => {
    const result = validateGame({ title: 'Catan', minPlayers: 5, maxPlayers: 4, playMinutes: 60, copies: 1, maxQueue: null });
    expect(result).toEqual({ ok: false, errors: { maxPlayers: 'Must be at least the minimum.' } });
  });

  it('takes a queue limit, or none when blank, and refuses one below 1', () => {
    const base = { title: 'Catan', minPlayers: 3, maxPlayers: 4, playMinutes: 60, copies: 1 };
    expect(validateGame({ ...base, maxQueue: '12' })).toMatchObject({ ok: true, value: { maxQueue: 12 } });
    expect(validateGame({ ...base, maxQueue: '' })).toMatchObject({ ok: true, value: { maxQueue: null } });
    expect(validateGame({ ...base, maxQueue: 0 })).toEqual({ ok: false, errors: { maxQueue: 'Leave blank for no limit, or 1 to 999 parties.' } });
  });
});

describe('errors from the server', () => {
  const body = {
    error: {
      code: 'validation_failed',
      message: 'Some fields are invalid',
      details: [
        { path: 'partySize', message: 'must be at most 20' },
        { path: 'body.customerName', message: 'is required' },
      ],
    },
  };

  it('carry status, code, message and details', () => {
    const error = toApiError(400, body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Some fields are invalid' });
    expect(error.details).toHaveLength(2);
  });

  it('put field details beside the fields a form shows', () => {
    expect(formErrors(toApiError(400, body), ['customerName', 'partySize'])).toEqual({
      fields: { partySize: 'must be at most 20', customerName: 'is required' },
      message: null,
    });
  });

  it('keep details for fields the form lacks in the message', () => {
    const split = formErrors(toApiError(400, body), ['customerName']);
    expect(split.fields).toEqual({ customerName: 'is required' });
    expect(split.message).toBe('Some fields are invalid partySize: must be at most 20');
  });

  it('still read well when a proxy answers with HTML', () => {
    const error = toApiError(502, undefined);
    expect(error.code).toBe('unavailable');
    expect(errorMessage(error)).toMatch(/502/);
    expect(formErrors(toApiError(429, '<html>'), ['x']).message).toBe('Too many requests, please wait a moment.');
  });

  it('explain a network failure instead of showing "Failed to fetch"', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/Cannot reach the server/);
  });
});

describe('fitting a TV column', () => {
  it('shows everything when it fits', () => {
    expect(fitRows(3, 300, 40)).toEqual({ shown: 3, more: 0 });
  });

  it('keeps a line for "+N more" when it does not', () => {
    expect(fitRows(20, 300, 40)).toEqual({ shown: 6, more: 14 });
  });

  it('shows only "+N more" before the column has been measured', () => {
    expect(fitRows(5, 0, 40)).toEqual({ shown: 0, more: 5 });
    expect(fitRows(0, 0, 0)).toEqual({ shown: 0, more: 0 });
  });
});

describe('laying out the TV board', () => {
  it('gives up to three games a column each', () => {
    expect(boardColumns([boardGameWeight(2)])).toEqual([0]);
    expect(boardColumns([3, 3, 3])).toEqual([0, 1, 2]);
  });

  it('never makes more than three columns: more games are stacked, in order', () => {
    expect(boardColumns([3, 3, 3, 3, 3, 3])).toEqual([0, 2, 4]);
    expect(boardColumns(new Array(10).fill(3))).toHaveLength(3);
  });

  it('keeps the fullest column as short as it can', () => {
    // A long queue gets a column to itself; the quiet games share.
    expect(boardColumns([3, 3, 20, 3])).toEqual([0, 2, 3]);
    expect(boardColumns([4, 4, 4, 4, 4, 20]).at(-1)).toBe(5);
  });

  it('has no columns without games', () => {
    expect(boardColumns([])).toEqual([]);
  });

  it('counts a game without parties as one line, for its "No wait"', () => {
    expect(boardGameWeight(0)).toBe(boardGameWeight(1));
  });
});
