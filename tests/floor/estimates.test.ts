import fc from 'fast-check';
import {
  estimateQueue,
  historyOf,
  holdTime,
  learnPlayTime,
  noShowRate,
  NO_HISTORY,
  PRIOR_HOLD_MS,
  PRIOR_NO_SHOW,
  learnWrapUps,
  PRIOR_WRAP_UP,
  quantiles,
  quoteFromScenarios,
  showUpTimes,
  usableSessions,
  withinBand,
  type BusyCopy,
  type GameHistory,
  type QueueFacts,
} from '../../server/queue/estimates';

const MIN = 60_000;
const NOW = new Date('2026-03-07T19:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MIN);
const seated = (minutesAgo: number): BusyCopy => ({ status: 'seated', calledAt: ago(minutesAgo + 2), seatedAt: ago(minutesAgo) });
const called = (minutesAgo: number): BusyCopy => ({ status: 'called', calledAt: ago(minutesAgo), seatedAt: null });
const sessions = (...minutes: number[]) => minutes.map((m) => m * MIN);
const facts = (over: Partial<QueueFacts>): QueueFacts => ({ now: NOW, copies: 1, playMinutes: 60, history: NO_HISTORY, busy: [], waitingCount: 1, ...over });
const minutesOf = (over: Partial<QueueFacts>) => estimateQueue(facts(over)).map((q) => q?.minutes ?? null);

describe('learned play times: robust, shrunk toward the nominal time while history is thin', () => {
  test('no history: the nominal time', () => {
    expect(learnPlayTime(45, []).medianMs).toBeCloseTo(45 * MIN, 3);
  });

  test('a 2-minute mistake and a 5-hour forgotten table are ignored', () => {
    expect(usableSessions(60, sessions(2, 55, 60, 65, 300))).toEqual(sessions(55, 60, 65));
    const robust = learnPlayTime(60, sessions(2, 55, 60, 65, 300)).medianMs;
    expect(robust).toBeCloseTo(60 * MIN, -3);
  });

  test('one outlier among ordinary sessions barely moves the learned time (a mean would jump)', () => {
    const ordinary = sessions(40, 42, 44, 46, 48, 50);
    const withMarathon = [...ordinary, 230 * MIN];
    expect(Math.abs(learnPlayTime(45, withMarathon).medianMs - learnPlayTime(45, ordinary).medianMs)).toBeLessThan(2 * MIN);
  });

  test('history moves the estimate step by step: one session less than many', () => {
    const one = learnPlayTime(60, sessions(90)).medianMs;
    const many = learnPlayTime(60, sessions(90, 90, 90, 90, 90, 90, 90, 90, 90, 90)).medianMs;
    expect(one).toBeGreaterThan(60 * MIN);
    expect(one).toBeLessThan(many);
    expect(many).toBeLessThan(90 * MIN);
    expect(many).toBeGreaterThan(80 * MIN);
  });

  test('property: the learned time lies between the nominal time and the usable sessions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 300 }), fc.array(fc.integer({ min: 0, max: 20 * 60 }), { maxLength: 30 }), (nominal, raw) => {
        const list = sessions(...raw);
        const usable = usableSessions(nominal, list);
        const learned = learnPlayTime(nominal, list).medianMs;
        const lo = Math.min(nominal * MIN, ...usable);
        const hi = Math.max(nominal * MIN, ...usable);
        expect(learned).toBeGreaterThanOrEqual(lo * 0.999);
        expect(learned).toBeLessThanOrEqual(hi * 1.001);
      }),
    );
  });
});

describe('no-shows and holds', () => {
  test('the no-show rate starts at the prior and follows the calls as they come', () => {
    expect(noShowRate({ calls: 0, noShows: 0 })).toBeCloseTo(PRIOR_NO_SHOW.rate);
    expect(noShowRate({ calls: 100, noShows: 50 })).toBeGreaterThan(0.4);
    expect(noShowRate({ calls: 100, noShows: 0 })).toBeLessThan(0.02);
  });

  test('history from ended calls: sessions, no-shows, how long their holds lasted, show-ups and "wrapping up" marks', () => {
    const history = historyOf([
      { noShow: false, playedMs: 50 * MIN, showUpMs: 2 * MIN, wrapUpLeadMs: 12 * MIN },
      { noShow: true, heldMs: 10 * MIN },
      { noShow: false, playedMs: null },
      { noShow: false, playedMs: 40 * MIN, showUpMs: null, wrapUpLeadMs: null },
    ]);
    expect(history).toEqual({ sessionsMs: [50 * MIN, 40 * MIN], calls: 4, noShows: 1, holdsMs: [10 * MIN], showUpsMs: [2 * MIN], wrappedUp: 1, wrapUpLeadsMs: [12 * MIN] });
    expect(holdTime(history)).toBe(10 * MIN);
    expect(holdTime(NO_HISTORY)).toBe(PRIOR_HOLD_MS);
  });

  test('more no-shows ahead means a shorter wait behind them', () => {
    const behindTwo = (noShows: number): GameHistory => ({ ...NO_HISTORY, calls: 100, noShows });
    const reliable = minutesOf({ busy: [seated(10)], waitingCount: 3, history: behindTwo(0) })[2]!;
    const flaky = minutesOf({ busy: [seated(10)], waitingCount: 3, history: behindTwo(60) })[2]!;
    expect(flaky).toBeLessThan(reliable);
  });
});

describe('show-ups and "wrapping up" marks', () => {
  test('show-ups start spread evenly over the hold and follow the recorded ones as they come', () => {
    expect([...showUpTimes({ showUpsMs: [] }, 5 * MIN)]).toEqual([0.5, 1.5, 2.5, 3.5, 4.5].map((m) => m * MIN));
    const quick = showUpTimes({ showUpsMs: Array.from({ length: 30 }, () => MIN) }, 5 * MIN);
    expect(quick[Math.floor(quick.length / 2)]).toBe(MIN);
  });

  test('a table marked "wrapping up" frees within the learned lead: the head behind it is told minutes, not an hour', () => {
    const unmarked = minutesOf({ busy: [seated(10)], waitingCount: 1 })[0]!;
    const mark = { ...seated(10), wrappingUpAt: ago(2) };
    const [head] = minutesOf({ busy: [mark], waitingCount: 1 });
    expect(unmarked).toBeGreaterThan(30);
    expect(head).toBeGreaterThan(0);
    expect(head).toBeLessThanOrEqual(PRIOR_WRAP_UP.toMs / MIN);
  });

  test('where staff mark most tables, an unmarked table is less likely to be about to end', () => {
    const sessionsMs = Array.from({ length: 30 }, () => 60 * MIN);
    const marks = (n: number): GameHistory => ({ ...NO_HISTORY, sessionsMs, wrappedUp: n, wrapUpLeadsMs: Array.from({ length: n }, () => 10 * MIN) });
    const never = minutesOf({ busy: [seated(55)], waitingCount: 1, history: marks(0) })[0]!;
    const mostly = minutesOf({ busy: [seated(55)], waitingCount: 1, history: marks(27) })[0]!;
    expect(mostly).toBeGreaterThan(never);
  });

  test('a mark far older than any lead is taken as forgotten: the table is estimated as unmarked', () => {
    const forgotten = { ...seated(90), wrappingUpAt: ago(70) };
    expect(minutesOf({ busy: [forgotten], waitingCount: 1 })).toEqual(minutesOf({ busy: [seated(90)], waitingCount: 1 }));
  });

  test('property: the share of marked tables is between 0 and 1, and the leads are sorted', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 30 }), fc.array(fc.integer({ min: -5, max: 60 }), { maxLength: 30 }), (played, leads) => {
        const law = learnWrapUps({ sessionsMs: sessions(...played), wrappedUp: Math.min(leads.length, played.length), wrapUpLeadsMs: sessions(...leads) });
        expect(law.share).toBeGreaterThanOrEqual(0);
        expect(law.share).toBeLessThanOrEqual(1);
        expect([...law.leadsMs]).toEqual([...law.leadsMs].sort((a, b) => a - b));
        expect(law.leadsMs.every((ms) => ms >= 0)).toBe(true);
      }),
    );
  });
});

describe('quantiles by selection', () => {
  test('property: the same nearest-rank quantiles a full sort gives, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 300 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const ps = [0.1, 0.25, 0.5, 0.75, 0.9];
        const expected = ps.map((p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]);
        expect(quantiles(Float64Array.from(values), ps)).toEqual(expected);
      }),
    );
  });
});

describe('estimates per party', () => {
  test('a free copy: the head is told "now"; a game with no copy to lend: unknown, never "now"', () => {
    expect(minutesOf({ copies: 2, busy: [seated(10)], waitingCount: 1 })).toEqual([0]);
    expect(minutesOf({ copies: 0, waitingCount: 2 })).toEqual([null, null]);
  });

  test('a session running over its play time is not "about to end": the wait stays well above zero', () => {
    // Seated 75 minutes ago on a 60-minute game: yesterday's estimator said "now".
    const [head] = minutesOf({ busy: [seated(75)], waitingCount: 1 });
    expect(head).toBeGreaterThanOrEqual(5);
  });

  test('behind one copy seated 10 minutes ago on a 60-minute game, the head waits about 50 minutes', () => {
    const [head] = estimateQueue(facts({ busy: [seated(10)], waitingCount: 1 }));
    expect(head!.minutes).toBeGreaterThanOrEqual(40);
    expect(head!.minutes).toBeLessThanOrEqual(55);
  });

  test('far down a one-copy queue the estimate is unsure, and says so with a range around the quote', () => {
    const quotes = estimateQueue(facts({ busy: [seated(10)], waitingCount: 4 }));
    const last = quotes[3]!;
    expect(last.highMinutes - last.lowMinutes).toBeGreaterThanOrEqual(10);
    expect(last.lowMinutes).toBeLessThanOrEqual(last.minutes);
    expect(last.highMinutes).toBeGreaterThanOrEqual(last.minutes);
  });

  test('a quote is a single number when the scenarios agree, "now" only when nine in ten say under a minute', () => {
    expect(quoteFromScenarios(Array.from({ length: 10 }, () => 20 * MIN))).toEqual({ minutes: 20, lowMinutes: 20, highMinutes: 20 });
    const mostlyNow = [...Array.from({ length: 8 }, () => 0), 30 * MIN, 30 * MIN];
    expect(quoteFromScenarios(mostlyNow).minutes).toBeGreaterThan(0);
  });

  test('the band is ±max(5 min, 25 %) of the quote', () => {
    expect(withinBand(10, 15)).toBe(true);
    expect(withinBand(10, 15.5)).toBe(false);
    expect(withinBand(60, 75)).toBe(true);
    expect(withinBand(60, 76)).toBe(false);
  });
});

const busyCopy = fc.record({
  status: fc.constantFrom<'called' | 'seated'>('called', 'seated'),
  startedMinutesAgo: fc.double({ min: 0, max: 400, noNaN: true }),
});
const history = fc.record({
  sessionsMs: fc.array(fc.integer({ min: 0, max: 10 * 3600_000 }), { maxLength: 30 }),
  calls: fc.integer({ min: 0, max: 30 }),
  noShows: fc.integer({ min: 0, max: 30 }),
  holdsMs: fc.array(fc.integer({ min: 0, max: 30 * MIN }), { maxLength: 10 }),
});
const queueFacts = fc.record({
  copies: fc.integer({ min: 0, max: 5 }),
  playMinutes: fc.integer({ min: 1, max: 600 }),
  history,
  busySpec: fc.array(busyCopy, { maxLength: 7 }),
  waitingCount: fc.integer({ min: 0, max: 25 }),
});
const toFacts = (f: { copies: number; playMinutes: number; history: GameHistory; busySpec: Array<{ status: 'called' | 'seated'; startedMinutesAgo: number }>; waitingCount: number }): QueueFacts => ({
  now: NOW,
  copies: f.copies,
  playMinutes: f.playMinutes,
  history: f.history,
  busy: f.busySpec.map((b) => (b.status === 'seated' ? seated(b.startedMinutesAgo) : called(b.startedMinutesAgo))),
  waitingCount: f.waitingCount,
});

describe('estimator properties (fast-check)', () => {
  test('one quote per waiting party; whole minutes; low ≤ quote ≤ high; never decreasing down the queue', () => {
    fc.assert(
      fc.property(queueFacts, (f) => {
        const quotes = estimateQueue(toFacts(f));
        expect(quotes).toHaveLength(f.waitingCount);
        if (f.copies === 0) return quotes.every((q) => q === null);
        let previous = 0;
        for (const q of quotes) {
          expect(q).not.toBeNull();
          for (const v of [q!.minutes, q!.lowMinutes, q!.highMinutes]) expect(Number.isInteger(v) && v >= 0).toBe(true);
          expect(q!.lowMinutes).toBeLessThanOrEqual(q!.minutes);
          expect(q!.highMinutes).toBeGreaterThanOrEqual(q!.minutes);
          expect(q!.minutes).toBeGreaterThanOrEqual(previous);
          previous = q!.minutes;
        }
        return true;
      }),
      { numRuns: 150 },
    );
  });

  test('the same facts always give the same quotes (no flicker between screens)', () => {
    fc.assert(
      fc.property(queueFacts, (f) => {
        expect(estimateQueue(toFacts(f))).toEqual(estimateQueue(toFacts(f)));
      }),
      { numRuns: 50 },
    );
  });

  test("a party's quote does not hang on how many stand behind it (the join's answer is what the queue later shows)", () => {
    fc.assert(
      fc.property(queueFacts, fc.integer({ min: 1, max: 10 }), (f, more) => {
        const longer = estimateQueue(toFacts({ ...f, waitingCount: f.waitingCount + more }));
        expect(longer.slice(0, f.waitingCount)).toEqual(estimateQueue(toFacts(f)));
      }),
      { numRuns: 50 },
    );
  });

  test('a free copy means the head is told "now"', () => {
    fc.assert(
      fc.property(queueFacts, (f) => {
        const facts = toFacts({ ...f, copies: Math.max(1, f.copies), waitingCount: Math.max(1, f.waitingCount) });
        const [head] = estimateQueue(facts);
        if (facts.busy.length < facts.copies) expect(head!.minutes).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  test('behind a copy in play nobody is told "now", however long or short it has run, marked "wrapping up" or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 600 }), fc.double({ min: 0, max: 2000, noNaN: true }), fc.option(fc.double({ min: 0, max: 1, noNaN: true })), (play, elapsed, markedAt) => {
        const copy = { ...seated(elapsed), wrappingUpAt: markedAt === null ? null : ago(elapsed * markedAt) };
        expect(minutesOf({ playMinutes: play, busy: [copy], waitingCount: 1 })[0]).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
