import {
  formatCountdown,
  formatEstimate,
  formatEstimateShort,
  formatJoinWait,
  formatMinutes,
  formatWaited,
  minutesSince,
  ordinal,
  partyLabel,
  statusLabel,
} from '../../client/src/lib/format';
import { cafeDate, formatDateTime, formatTime, setDisplayTimeZone } from '../../client/src/lib/format';
import { setDefaultLocale } from '../../client/src/i18n';

const at = (iso: string) => Date.parse(iso);

describe('waited time on the staff table', () => {
  it('says "waited 12 min" twelve and a half minutes after joining', () => {
    expect(formatWaited('2025-01-01T18:00:00.000Z', at('2025-01-01T18:12:30.000Z'))).toBe('waited 12 min');
  });

  it('says "<1 min" right after joining', () => {
    expect(formatWaited('2025-01-01T18:00:00.000Z', at('2025-01-01T18:00:40.000Z'))).toBe('waited <1 min');
  });

  it('shows hours past an hour', () => {
    expect(formatWaited('2025-01-01T18:00:00.000Z', at('2025-01-01T19:05:00.000Z'))).toBe('waited 1 hr 5 min');
    expect(formatMinutes(120)).toBe('2 hr');
  });

  it('never goes negative when the tablet clock is behind the server', () => {
    expect(minutesSince('2025-01-01T18:05:00.000Z', at('2025-01-01T18:00:00.000Z'))).toBe(0);
  });

  it('treats an unreadable timestamp as just now', () => {
    expect(minutesSince('not a date', Date.now())).toBe(0);
  });
});

describe('estimated wait', () => {
  it('reads naturally for customers', () => {
    expect(formatEstimate(12)).toBe('about 12 min');
    expect(formatEstimate(213)).toBe('about 3 hr 35 min');
    expect(formatEstimate(0)).toBe('any minute now');
    expect(formatEstimate(null)).toBe('—');
  });

  it('is short on the TV', () => {
    expect(formatEstimateShort(12)).toBe('~12 min');
    expect(formatEstimateShort(75)).toBe('~1h 15m');
    expect(formatEstimateShort(213)).toBe('~3h 35m');
    expect(formatEstimateShort(119)).toBe('~2h');
    expect(formatEstimateShort(0)).toBe('now');
    expect(formatEstimateShort(null)).toBe('—');
  });

  const range = (minutes: number, lowMinutes: number, highMinutes: number) => ({ minutes, lowMinutes, highMinutes });

  it('shows a range where the estimator is unsure and one number where it is not', () => {
    expect(formatEstimate(range(20, 15, 25))).toBe('15–25 min');
    expect(formatEstimate(range(20, 20, 20))).toBe('about 20 min');
    expect(formatEstimate(range(75, 60, 95))).toBe('1 hr – 1 hr 35 min');
    expect(formatEstimate(range(0, 0, 0))).toBe('any minute now');
    expect(formatEstimateShort(range(20, 15, 25))).toBe('15–25m');
    expect(formatEstimateShort(range(75, 50, 95))).toBe('50–95m');
    expect(formatEstimateShort(range(100, 75, 130))).toBe('1–2½h');
    expect(formatEstimateShort(range(100, 25, 130))).toBe('½–2½h');
    expect(formatEstimateShort(range(20, 20, 20))).toBe('~20 min');
  });

  it('a game with no copy to lend has no estimate: a dash, never "now" or "no wait"', () => {
    expect(formatEstimate(null)).toBe('—');
    expect(formatEstimateShort(undefined)).toBe('—');
    expect(formatJoinWait(null)).toBe('—');
  });

  it('the join list says how long, not only how many', () => {
    expect(formatJoinWait(range(0, 0, 0))).toBe('No wait');
    expect(formatJoinWait(range(12, 12, 12))).toBe('~12 min wait');
    expect(formatJoinWait(range(20, 15, 30))).toBe('15–30m wait');
    expect(formatJoinWait(range(150, 125, 170))).toBe('2–3h wait');
    expect(formatJoinWait(range(80, 55, 95))).toBe('55–95m wait');
  });
});

describe('hold countdown', () => {
  it('counts down in minutes and seconds', () => {
    expect(formatCountdown('2025-01-01T18:05:00.000Z', at('2025-01-01T18:00:01.000Z'))).toBe('4:59');
  });

  it('stops at zero and is empty without a hold', () => {
    expect(formatCountdown('2025-01-01T18:05:00.000Z', at('2025-01-01T18:06:00.000Z'))).toBe('0:00');
    expect(formatCountdown(null, 0)).toBe('');
  });
});

describe('words on screen', () => {
  it('names every status the way the ticket page shows it', () => {
    expect(statusLabel('waiting')).toBe('Waiting');
    expect(statusLabel('called')).toBe('Called');
    expect(statusLabel('seated')).toBe('Seated');
    expect(statusLabel('finished')).toBe('Finished');
    expect(statusLabel('no_show')).toBe('No-show');
    expect(statusLabel('cancelled')).toBe('Cancelled');
  });

  it('writes positions as ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th',
    ]);
  });

  it('says people, not persons', () => {
    expect(partyLabel(1)).toBe('1 person');
    expect(partyLabel(4)).toBe('4 people');
  });
});

describe('in German and Spanish (Intl for the numbers and units, the catalogues for the words)', () => {
  afterEach(() => setDefaultLocale('en'));
  const range = (minutes: number, lowMinutes: number, highMinutes: number) => ({ minutes, lowMinutes, highMinutes });

  it('German', async () => {
    await setDefaultLocale('de');
    expect(formatWaited('2025-01-01T18:00:00.000Z', at('2025-01-01T19:05:00.000Z'))).toBe('seit 1 Std. 5 Min.');
    expect(formatEstimate(12)).toBe('etwa 12 Min.');
    expect(formatEstimate(0)).toBe('jeden Moment');
    expect(formatEstimate(range(20, 15, 25))).toBe('15–25 Min.');
    expect(formatJoinWait(range(0, 0, 0))).toBe('Keine Wartezeit');
    expect(formatJoinWait(range(12, 12, 12))).toBe('~12 Min. Wartezeit');
    expect(formatEstimateShort(0)).toBe('jetzt');
    expect(statusLabel('no_show')).toBe('Nicht erschienen');
    expect([1, 2, 3, 11].map(ordinal)).toEqual(['1.', '2.', '3.', '11.']);
    expect([partyLabel(1), partyLabel(4)]).toEqual(['1 Person', '4 Personen']);
    expect(formatTime('2025-01-01T18:05:00')).toBe('18:05');
  });

  it('Spanish', async () => {
    await setDefaultLocale('es');
    expect(formatEstimate(12)).toBe('unos 12 min');
    expect(formatEstimate(0)).toBe('en cualquier momento');
    expect(formatJoinWait(range(0, 0, 0))).toBe('Sin espera');
    expect(formatEstimateShort(0)).toBe('ya');
    expect(statusLabel('waiting')).toBe('En espera');
    expect([1, 2].map(ordinal)).toEqual(['1.º', '2.º']);
    expect([partyLabel(1), partyLabel(4)]).toEqual(['1 persona', '4 personas']);
  });
});

describe('times of day in the café’s zone, whatever zone the device is set to', () => {
  afterEach(async () => {
    setDisplayTimeZone(null);
    await setDefaultLocale('en');
  });
  // 17:05 UTC on a winter day: 18:05 in Berlin, 12:05 in New York.
  const instant = '2026-11-30T17:05:00.000Z';

  it('shows the café’s wall clock, in the active language', async () => {
    setDisplayTimeZone('Europe/Berlin');
    expect(formatTime(instant)).toBe('06:05 PM');
    await setDefaultLocale('de');
    expect(formatTime(instant)).toBe('18:05');
    expect(formatDateTime(instant)).toBe('30.11.2026, 18:05');
    setDisplayTimeZone('America/New_York');
    expect(formatTime(instant)).toBe('12:05');
  });

  it('keeps summer time apart from winter time (Intl knows the café’s rules, not a fixed offset)', async () => {
    await setDefaultLocale('de');
    setDisplayTimeZone('Europe/Berlin');
    expect(formatTime('2026-07-01T17:05:00.000Z')).toBe('19:05');
    expect(formatDateTime('2026-03-29T01:30:00.000Z')).toBe('29.03.2026, 03:30');
  });

  it('gives the café’s calendar date, which near midnight is not the device’s', () => {
    setDisplayTimeZone('Pacific/Kiritimati');
    expect(cafeDate('2026-11-30T10:05:00.000Z')).toBe('2026-12-01');
    setDisplayTimeZone('America/New_York');
    expect(cafeDate('2026-11-30T03:05:00.000Z')).toBe('2026-11-29');
  });

  it('falls back to the device’s zone for a zone this Intl does not know, or none', () => {
    const device = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
    setDisplayTimeZone('Mars/Olympus_Mons');
    expect(formatTime(instant)).toBe(device);
    setDisplayTimeZone(null);
    expect(formatTime(instant)).toBe(device);
  });
});
