import { ApiError, errorMessage, formErrors, toApiError } from '../../client/src/api/error';
import { validateGame, validateReservation } from '../../client/src/lib/validation';

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

