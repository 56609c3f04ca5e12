import { dueCloseOut, joinWindow, openMsBetween, refusalMessage, withinSpan, type OpeningHours } from '../../server/settings/hours';

const BERLIN = 'Europe/Berlin';
const evenings = { open: '17:00', close: '23:00', lastJoin: '22:00' };
const late = { open: '17:00', close: '01:00', lastJoin: null };

function hours(days: Partial<OpeningHours['days']>, enabled = true): OpeningHours {
  return {
    enabled,
    days: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null, ...days },
    closedMessage: 'Sorry, the queue is closed.',
  };
}
const utc = (iso: string) => new Date(iso);

describe('when customers may join', () => {
  test('hours switched off: always open, nothing ever closed out', () => {
    const h = hours({}, false);
    expect(joinWindow(h, utc('2026-11-30T03:00:00Z'), BERLIN)).toEqual({ open: true });
    expect(dueCloseOut(h, utc('2026-11-30T03:00:00Z'), BERLIN)).toBeNull();
  });

  test('open between opening and the last join, in the café zone (Monday 30 Nov 2026, Berlin is UTC+1)', () => {
    const h = hours({ mon: evenings, tue: evenings });
    expect(joinWindow(h, utc('2026-11-30T15:59:00Z'), BERLIN)).toMatchObject({ open: false, reason: 'closed', opensAt: utc('2026-11-30T16:00:00Z') });
    expect(joinWindow(h, utc('2026-11-30T16:00:00Z'), BERLIN)).toEqual({ open: true });
    expect(joinWindow(h, utc('2026-11-30T20:59:00Z'), BERLIN)).toEqual({ open: true });
    // 22:00 local: the last join has passed, the café is still open; Tuesday opens next.
    expect(joinWindow(h, utc('2026-11-30T21:00:00Z'), BERLIN)).toMatchObject({ open: false, reason: 'last_join_passed', opensAt: utc('2026-12-01T16:00:00Z') });
    expect(joinWindow(h, utc('2026-11-30T22:30:00Z'), BERLIN)).toMatchObject({ open: false, reason: 'closed' });
  });

  test('hours past midnight belong to the day they open on', () => {
    const h = hours({ sat: late });
    // Sunday 00:30 local is still Saturday night.
    expect(joinWindow(h, utc('2026-11-28T23:30:00Z'), BERLIN)).toEqual({ open: true });
    expect(joinWindow(h, utc('2026-11-29T00:00:00Z'), BERLIN)).toMatchObject({ open: false, reason: 'closed', opensAt: utc('2026-12-05T16:00:00Z') });
  });

  test('the refusal is plain words: the café’s message or "closed for new parties", and when it opens again', () => {
    const h = hours({ mon: evenings, tue: evenings });
    const now = utc('2026-11-30T21:30:00Z');
    const window = joinWindow(h, now, BERLIN);
    if (window.open) throw new Error('expected closed');
    expect(refusalMessage(h, window, BERLIN, now)).toBe('The queue has closed for new parties tonight. It opens again tomorrow at 17:00.');
    const morning = utc('2026-11-30T08:00:00Z');
    const closed = joinWindow(h, morning, BERLIN);
    if (closed.open) throw new Error('expected closed');
    expect(refusalMessage(h, closed, BERLIN, morning)).toBe('Sorry, the queue is closed. It opens again today at 17:00.');
  });

  test('a last join is within the open span, across midnight too', () => {
    expect(withinSpan('17:00', '23:00', '22:00')).toBe(true);
    expect(withinSpan('17:00', '23:00', '23:30')).toBe(false);
    expect(withinSpan('17:00', '01:00', '00:30')).toBe(true);
    expect(withinSpan('17:00', '01:00', '16:00')).toBe(false);
  });
});

describe('daylight saving in the café’s zone (Europe/Berlin)', () => {
  test('spring: Saturday 28 March 2026 closing at 01:00 is 00:00 UTC (still CET); the day after opens at 17:00 CEST = 15:00 UTC', () => {
    const h = hours({ sat: late, sun: late });
    expect(dueCloseOut(h, utc('2026-03-28T23:59:00Z'), BERLIN)?.date).not.toBe('2026-03-28');
    const due = dueCloseOut(h, utc('2026-03-29T00:00:00Z'), BERLIN);
    expect(due).toMatchObject({ date: '2026-03-28', closesAt: utc('2026-03-29T00:00:00Z') });
    expect(joinWindow(h, utc('2026-03-29T14:59:00Z'), BERLIN)).toMatchObject({ open: false, opensAt: utc('2026-03-29T15:00:00Z') });
    expect(joinWindow(h, utc('2026-03-29T15:00:00Z'), BERLIN)).toEqual({ open: true });
  });

  test('spring: a closing time in the skipped hour (02:30) moves forward by the gap to 03:30 CEST = 01:30 UTC', () => {
    const h = hours({ sat: { open: '18:00', close: '02:30', lastJoin: null } });
    expect(dueCloseOut(h, utc('2026-03-29T01:29:00Z'), BERLIN)?.date).not.toBe('2026-03-28');
    expect(dueCloseOut(h, utc('2026-03-29T01:30:00Z'), BERLIN)).toMatchObject({ date: '2026-03-28', closesAt: utc('2026-03-29T01:30:00Z') });
  });

  test('autumn: Saturday 24 October closing at 01:00 is 23:00 UTC (CEST); a closing at 02:30 (twice that night) is the later one, 01:30 UTC', () => {
    expect(dueCloseOut(hours({ sat: late }), utc('2026-10-24T23:00:00Z'), BERLIN)).toMatchObject({ date: '2026-10-24', closesAt: utc('2026-10-24T23:00:00Z') });
    const twice = hours({ sat: { open: '18:00', close: '02:30', lastJoin: null } });
    expect(dueCloseOut(twice, utc('2026-10-25T01:29:00Z'), BERLIN)?.date).not.toBe('2026-10-24');
    expect(dueCloseOut(twice, utc('2026-10-25T01:30:00Z'), BERLIN)).toMatchObject({ date: '2026-10-24', closesAt: utc('2026-10-25T01:30:00Z') });
  });

  test('open hours count real time: the night the clocks go back is an hour longer, the spring one an hour shorter', () => {
    const allNight = { open: '20:00', close: '06:00', lastJoin: null };
    const autumn = openMsBetween(hours({ sat: allNight }), utc('2026-10-24T00:00:00Z'), utc('2026-10-26T00:00:00Z'), BERLIN);
    const spring = openMsBetween(hours({ sat: allNight }), utc('2026-03-28T00:00:00Z'), utc('2026-03-30T00:00:00Z'), BERLIN);
    expect(autumn / 3_600_000).toBe(11);
    expect(spring / 3_600_000).toBe(9);
  });

  test('the due close-out is the latest closing passed, whatever the days closed in between', () => {
    const h = hours({ fri: evenings });
    // Monday: the last closing was Friday's.
    expect(dueCloseOut(h, utc('2026-11-30T12:00:00Z'), BERLIN)).toMatchObject({ date: '2026-11-27', closesAt: utc('2026-11-27T22:00:00Z') });
  });
});
