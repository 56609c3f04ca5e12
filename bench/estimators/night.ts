/**
 * One simulated café evening, discrete-event: parties arrive (Poisson, by hour), join a game,
 * are called the moment a copy is free (auto-advance), come within the hold or are no-shows,
 * play a log-normal time around the game's real play time (with abandoned and marathon
 * sessions), and free the copy when staff press Finish a little later. Some waiting parties
 * give up. After every change to a game, each estimator quotes every waiting party from the
 * facts the service would have read at that moment.
 */
import { historyOf, type BusyCopy, type EndedCall, type GameHistory, type QueueFacts } from '../../server/queue/estimates';
import type { GameSpec, Profile } from './profiles';

const MINUTE = 60_000;
export const HOLD_MS = 5 * MINUTE;

/**
 * What an estimator sees of one game at one moment: what the service reads from MySQL, plus the
 * finished sessions (most recent first) that today's estimator read.
 */
export interface GameFacts extends QueueFacts {
  sessionsMs: number[];
  /** the same facts without any "wrapping up" mark (history and tables): a café that never marks */
  unmarked: QueueFacts;
  /** What no service can know, for the bounds in bench/estimators/oracle.ts only. */
  truth: Truth;
}

/** The simulated world behind the facts: the game's real laws and when each copy in use really comes back. */
export interface Truth {
  profile: Profile;
  spec: GameSpec;
  /** when the night opened (ms) */
  startMs: number;
  /** per copy in use (same order as `busy`): when it will really come back (ms) */
  freesAtMs: number[];
}

/** An estimator under test: quotes in minutes (null: no estimate) for the waiting parties, in order. */
export type Estimator = (facts: GameFacts) => Array<number | null>;

export interface PartyRecord {
  game: string;
  joinedAt: number;
  /** quote at join, per estimator */
  atJoin: Array<number | null>;
  /** every later quote, per estimator: [ms since join, minutes] */
  updates: Array<Array<[number, number | null]>>;
  /** ms from joining to being called; null if they gave up first */
  waitedMs: number | null;
}

interface Party {
  record: PartyRecord;
  status: 'waiting' | 'called' | 'seated' | 'gone';
  calledAt: number | null;
  seatedAt: number | null;
  /** when the copy comes back: the hold's end (no-show), else Finish; known once the party is called */
  freesAt: number | null;
  /** when staff will mark (then have marked) the table "wrapping up"; null if they do not */
  wrapUpAt: number | null;
}

interface GameState {
  spec: GameSpec;
  parties: Party[];
  /** durations of finished sessions, most recent first */
  sessions: number[];
  /** ended calls, most recent first */
  calls: EndedCall[];
  /** what the service reads of them (re-read only when a call ends, as the read model keeps it) */
  history: GameHistory;
  /** the same without the "wrapping up" marks: what a café that never marks would have */
  unmarkedHistory: GameHistory;
}

type Random = () => number;

function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** How long a called party who comes takes to come. */
export function showUpTime(random: Random): number {
  return Math.min(HOLD_MS * 0.9, exponential(random, 1.5 * MINUTE));
}

/** How long a session really takes: the game itself, then the minutes until staff press Finish. */
export function sessionParts(random: Random, profile: Profile, spec: GameSpec, seatedMinute: number): { playMs: number; finishDelayMs: number } {
  const play = spec.playMinutes * MINUTE;
  const draw = random();
  let ms: number;
  if (draw < profile.abandoned) ms = (0.5 + random() * 2.5) * MINUTE;
  else if (draw < profile.abandoned + profile.marathon) ms = play * (2 + random() * 3);
  else ms = play * spec.trueFactor * Math.exp(spec.sigma * gaussian(random));
  if (profile.longStart && seatedMinute < profile.longStart.minutes) ms *= profile.longStart.factor;
  return { playMs: ms, finishDelayMs: exponential(random, profile.finishDelayMinutes * MINUTE) };
}

/** How long a session really takes, seated to Finish pressed. */
export function sessionLength(random: Random, profile: Profile, spec: GameSpec, seatedMinute: number): number {
  const { playMs, finishDelayMs } = sessionParts(random, profile, spec, seatedMinute);
  return playMs + finishDelayMs;
}

/**
 * Whether and when (ms after seating) staff mark a session "wrapping up": for a share of the
 * games that are played (not the abandoned ones), when the table starts its last round, a lead
 * drawn evenly from the profile's span before the game ends; never before the table sat down.
 */
export function wrapUpMark(random: Random, profile: Profile, playMs: number): number | null {
  if (playMs < 5 * MINUTE || random() >= profile.wrapUp.share) return null;
  const [from, to] = profile.wrapUp.leadMinutes;
  const at = playMs - (from + random() * (to - from)) * MINUTE;
  return at > 0 ? at : null;
}

/** A min-heap of timed events (ties in insertion order). */
class Agenda {
  private heap: Array<{ at: number; seq: number; run: () => void }> = [];
  private seq = 0;
  at(at: number, run: () => void): void {
    this.heap.push({ at, seq: this.seq++, run });
    for (let i = this.heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (this.before(parent, i)) break;
      [this.heap[parent], this.heap[i]] = [this.heap[i]!, this.heap[parent]!];
      i = parent;
    }
  }
  next(): { at: number; run: () => void } | undefined {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length) {
      this.heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.heap.length && !this.before(m, l)) m = l;
        if (r < this.heap.length && !this.before(m, r)) m = r;
        if (m === i) break;
        [this.heap[m], this.heap[i]] = [this.heap[i]!, this.heap[m]!];
        i = m;
      }
    }
    return top;
  }
  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

const unmark = (call: EndedCall): EndedCall => (call.noShow ? call : { ...call, wrapUpLeadMs: null });

/** Simulates one evening and returns every party that joined, with the estimators' quotes. */
export function simulateNight(profile: Profile, estimators: Estimator[], random: Random): PartyRecord[] {
  const start = Date.UTC(2026, 10, 28, 17);
  const agenda = new Agenda();
  const records: PartyRecord[] = [];
  const games: GameState[] = profile.games.map((spec) => {
    const sessions: number[] = [];
    const calls: EndedCall[] = [];
    for (let i = 0; i < spec.historySessions; i += 1) {
      if (random() < profile.noShow) calls.push({ noShow: true, heldMs: HOLD_MS });
      const { playMs, finishDelayMs } = sessionParts(random, { ...profile, longStart: undefined }, spec, Infinity);
      const mark = wrapUpMark(random, profile, playMs);
      const playedMs = playMs + finishDelayMs;
      sessions.push(playedMs);
      calls.push({ noShow: false, playedMs, showUpMs: showUpTime(random), wrapUpLeadMs: mark === null ? null : playedMs - mark });
    }
    return { spec, parties: [], sessions, calls, history: historyOf(calls), unmarkedHistory: historyOf(calls.map(unmark)) };
  });
  const totalWeight = profile.games.reduce((s, g) => s + g.weight, 0);

  const facts = (game: GameState, now: number): GameFacts => {
    const busy = game.parties.filter((p) => p.status === 'called' || p.status === 'seated');
    const copy = (p: Party, marks: boolean): BusyCopy => ({
      status: p.status as BusyCopy['status'],
      calledAt: new Date(p.calledAt!),
      seatedAt: p.seatedAt === null ? null : new Date(p.seatedAt),
      wrappingUpAt: marks && p.status === 'seated' && p.wrapUpAt !== null && p.wrapUpAt <= now ? new Date(p.wrapUpAt) : null,
    });
    const shared = {
      now: new Date(now),
      copies: game.spec.copies,
      playMinutes: game.spec.playMinutes,
      waitingCount: game.parties.filter((p) => p.status === 'waiting').length,
    };
    return {
      ...shared,
      busy: busy.map((p) => copy(p, true)),
      unmarked: { ...shared, busy: busy.map((p) => copy(p, false)), history: game.unmarkedHistory },
      history: game.history,
      sessionsMs: game.sessions,
      truth: { profile, spec: game.spec, startMs: start, freesAtMs: busy.map((p) => p.freesAt!) },
    };
  };

  /** Every estimator quotes every waiting party of the game, as a screen update would show. */
  const quote = (game: GameState, now: number, joining?: Party) => {
    const waiting = game.parties.filter((p) => p.status === 'waiting');
    const seen = facts(game, now);
    estimators.forEach((estimate, e) => {
      const quotes = estimate(seen);
      waiting.forEach((party, i) => {
        const minutes = quotes[i] ?? null;
        if (party === joining) party.record.atJoin[e] = minutes;
        else party.record.updates[e]!.push([now - party.record.joinedAt, minutes]);
      });
    });
  };

  const callNext = (game: GameState, now: number) => {
    let inUse = game.parties.filter((p) => p.status === 'called' || p.status === 'seated').length;
    for (const party of game.parties) {
      if (inUse >= game.spec.copies) break;
      if (party.status !== 'waiting') continue;
      inUse += 1;
      party.status = 'called';
      party.calledAt = now;
      party.record.waitedMs = now - party.record.joinedAt;
      const noShow = random() < profile.noShow;
      if (noShow) {
        party.freesAt = now + HOLD_MS;
        agenda.at(now + HOLD_MS, () => leave(game, party, now + HOLD_MS, true));
      } else {
        const seatAt = now + showUpTime(random);
        const { playMs, finishDelayMs } = sessionParts(random, profile, game.spec, (seatAt - start) / MINUTE);
        const mark = wrapUpMark(random, profile, playMs);
        party.freesAt = seatAt + playMs + finishDelayMs;
        party.wrapUpAt = mark === null ? null : seatAt + mark;
        agenda.at(seatAt, () => seat(game, party, seatAt));
      }
    }
  };

  const changed = (game: GameState, now: number) => {
    callNext(game, now);
    quote(game, now);
  };

  const leave = (game: GameState, party: Party, now: number, noShow: boolean) => {
    if (party.status === 'seated') {
      game.sessions.unshift(now - party.seatedAt!);
      const wrapUpLeadMs = party.wrapUpAt === null ? null : now - party.wrapUpAt;
      game.calls.unshift({ noShow: false, playedMs: now - party.seatedAt!, showUpMs: party.seatedAt! - party.calledAt!, wrapUpLeadMs });
    }
    if (noShow) game.calls.unshift({ noShow: true, heldMs: now - party.calledAt! });
    if (party.status === 'seated' || noShow) {
      game.history = historyOf(game.calls);
      game.unmarkedHistory = historyOf(game.calls.map(unmark));
    }
    party.status = 'gone';
    game.parties = game.parties.filter((p) => p !== party);
    changed(game, now);
  };

  const seat = (game: GameState, party: Party, now: number) => {
    party.status = 'seated';
    party.seatedAt = now;
    agenda.at(party.freesAt!, () => leave(game, party, party.freesAt!, false));
    // Marking a table "wrapping up" is a change to the game: every screen's quotes are worked out again.
    if (party.wrapUpAt !== null) agenda.at(party.wrapUpAt, () => quote(game, party.wrapUpAt!));
    quote(game, now);
  };

  const arrive = (now: number) => {
    let pick = random() * totalWeight;
    const game = games.find((g) => (pick -= g.spec.weight) < 0) ?? games[games.length - 1]!;
    const record: PartyRecord = { game: game.spec.title, joinedAt: now, atJoin: [], updates: estimators.map(() => []), waitedMs: null };
    records.push(record);
    const party: Party = { record, status: 'waiting', calledAt: null, seatedAt: null, freesAt: null, wrapUpAt: null };
    game.parties.push(party);
    // The 201 carries the quote, read right after the join commits and before any call.
    quote(game, now, party);
    if (random() < profile.giveUp.share) {
      const at = now + exponential(random, profile.giveUp.meanMinutes * MINUTE);
      agenda.at(at, () => {
        if (party.status === 'waiting') leave(game, party, at, false);
      });
    }
    changed(game, now);
  };

  // Poisson arrivals, hour by hour.
  profile.arrivalsPerHour.forEach((rate, hour) => {
    if (rate <= 0) return;
    for (let t = hour * 60 + exponential(random, 60 / rate); t < (hour + 1) * 60; t += exponential(random, 60 / rate)) {
      const at = start + t * MINUTE;
      agenda.at(at, () => arrive(at));
    }
  });
  for (let event = agenda.next(); event; event = agenda.next()) event.run();
  return records;
}
