/**
 * Wait estimates. Pure: no I/O, no clock, no randomness that is not seeded here, so the API,
 * the screens and the simulator in `bench/estimates.ts` all get the same numbers from the same
 * facts. See docs/SPEC.md#estimated-waits for the rules in words.
 *
 * Copies are servers. How long a copy stays out is uncertain, so the estimate is the
 * distribution of each waiting party's wait, drawn from a fixed set of scenarios: in each, every
 * copy in use frees at a time drawn from the game's play time *given how long it has already
 * been out* (a session running over is not about to end), and each party ahead takes the copy
 * that frees first and keeps it for a play time of its own, or only for the hold when it turns
 * out a no-show. The quote is the median; the range its first to third quartile, shown only when
 * that spread is wide.
 */

import { lognormalQuantile, lognormalCdf, seededRandom } from './distributions';

const MINUTE = 60_000;

/** A copy that is in use: called (hold running) or seated (playing). */
export interface BusyCopy {
  status: 'called' | 'seated';
  calledAt: Date | null;
  seatedAt: Date | null;
}

/** What the game's recent past says: its sessions and how often called parties did not come. */
export interface GameHistory {
  /** finished sessions, seated to finished, most recent first */
  sessionsMs: number[];
  /** recent calls that have an outcome (seated, finished or no-show) */
  calls: number;
  /** how many of those calls were no-shows */
  noShows: number;
  /** how long the copy was held for each of those no-shows, called to marked no-show */
  holdsMs: number[];
}

export const NO_HISTORY: GameHistory = { sessionsMs: [], calls: 0, noShows: 0, holdsMs: [] };

/** How much history is read per game: its latest calls that have ended (finished or no-show). */
export const HISTORY_CALLS = 30;

/** One ended call of the game, most recent first: a no-show after `heldMs`, or a session of `playedMs`. */
export type EndedCall = { noShow: true; heldMs: number } | { noShow: false; playedMs: number | null };

/** The history of a game from its latest ended calls (beyond HISTORY_CALLS they are left out). */
export function historyOf(ended: readonly EndedCall[]): GameHistory {
  const recent = ended.slice(0, HISTORY_CALLS);
  const history: GameHistory = { sessionsMs: [], calls: recent.length, noShows: 0, holdsMs: [] };
  for (const call of recent) {
    if (call.noShow) {
      history.noShows += 1;
      history.holdsMs.push(call.heldMs);
    } else if (call.playedMs !== null) history.sessionsMs.push(call.playedMs);
  }
  return history;
}

/** The facts about one game that its estimates follow from. */
export interface QueueFacts {
  now: Date;
  copies: number;
  /** the game's nominal play time */
  playMinutes: number;
  history: GameHistory;
  busy: BusyCopy[];
  waitingCount: number;
}

/** A quote in whole minutes: a single number when lowMinutes = highMinutes = minutes, else a range. */
export interface WaitEstimate {
  minutes: number;
  lowMinutes: number;
  highMinutes: number;
}

/**
 * A game's play time: most sessions follow a log-normal law (median, log-scale spread); a few
 * end within minutes (abandoned, or a mis-press) and a few run far over (a marathon, a table
 * nobody marked finished). Those shares are learned too, so a session far past the usual length
 * is understood as one of the long ones, not as about to end.
 */
export interface PlayTime {
  medianMs: number;
  sigma: number;
  /** share of sessions that are over within `shortestMs` */
  shortShare: number;
  shortestMs: number;
  /** share of sessions that run LONG_FACTOR medians or more */
  longShare: number;
}

/** Sessions shorter than this share of the nominal time (or 5 min) are mistakes, not games. */
export const SHORTEST_SESSION = { share: 0.2, ms: 5 * MINUTE };
/** Sessions longer than this many nominal play times are forgotten tables, not games. */
export const LONGEST_SESSION_FACTOR = 4;
/** The nominal play time counts as this many sessions: thin history moves the estimate little. */
export const NOMINAL_WEIGHT = 2;
/** Spread of play times before a game has history (log scale: 0.35 ≈ ±40 %). */
export const PRIOR_SIGMA = 0.35;
const SIGMA_BOUNDS = [0.15, 0.9] as const;
/** A session this many medians long or more counts as a long one. */
export const LONG_FACTOR = 2;
/** Long sessions: log-normal around this many medians, with this spread. */
const LONG_SESSIONS = { medians: 3, sigma: 0.4 };
/** Shares of short and long sessions before a game has history, and how many sessions that weighs. */
export const PRIOR_OUTLIERS = { short: 0.03, long: 0.05, weight: 10 };

/** The bounds outside which a session is not a normal game of this title. */
function sessionBounds(playMinutes: number): { shortest: number; longest: number } {
  const nominal = Math.max(1, playMinutes) * MINUTE;
  return { shortest: Math.max(SHORTEST_SESSION.ms, SHORTEST_SESSION.share * nominal), longest: LONGEST_SESSION_FACTOR * nominal };
}

/** The sessions that are plausibly real games of this title. */
export function usableSessions(playMinutes: number, sessionsMs: readonly number[]): number[] {
  const { shortest, longest } = sessionBounds(playMinutes);
  return sessionsMs.filter((ms) => Number.isFinite(ms) && ms >= shortest && ms <= longest);
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const shrink = (observed: number, n: number, prior: number, weight: number) => (n * observed + weight * prior) / (n + weight);

/**
 * The play time learned from the game's sessions: the median of the usable ones' logarithms
 * shrunk toward the nominal time (which weighs as NOMINAL_WEIGHT sessions), a robust spread
 * (median absolute deviation) shrunk toward PRIOR_SIGMA the same way, and the shares of short
 * and long sessions shrunk toward PRIOR_OUTLIERS.
 */
export function learnPlayTime(playMinutes: number, sessionsMs: readonly number[]): PlayTime {
  const { shortest } = sessionBounds(playMinutes);
  const logs = usableSessions(playMinutes, sessionsMs).map(Math.log).sort((a, b) => a - b);
  const nominalLog = Math.log(Math.max(1, playMinutes) * MINUTE);
  const n = logs.length;
  const center = n ? median(logs) : nominalLog;
  const mad = n ? median(logs.map((l) => Math.abs(l - center)).sort((a, b) => a - b)) * 1.4826 : PRIOR_SIGMA;
  const medianMs = Math.exp(shrink(center, n, nominalLog, NOMINAL_WEIGHT));
  const sigma = Math.min(SIGMA_BOUNDS[1], Math.max(SIGMA_BOUNDS[0], shrink(mad, n, PRIOR_SIGMA, NOMINAL_WEIGHT)));
  const all = sessionsMs.filter(Number.isFinite);
  const share = (count: number, prior: number) => shrink(all.length ? count / all.length : 0, all.length, prior, PRIOR_OUTLIERS.weight);
  return {
    medianMs,
    sigma,
    shortestMs: shortest,
    shortShare: share(all.filter((ms) => ms < shortest).length, PRIOR_OUTLIERS.short),
    longShare: share(all.filter((ms) => ms >= LONG_FACTOR * medianMs).length, PRIOR_OUTLIERS.long),
  };
}

/** No-show rate before a game has history, and how many calls that prior weighs. */
export const PRIOR_NO_SHOW = { rate: 0.1, weight: 10 };
/** A party that comes does so within this share of the hold (any time until it runs out). */
export const SHOW_UP_SHARE = 1;
/** Scenarios drawn per estimate. */
export const SCENARIOS = 256;
/** Occupancies (a party ahead keeping a copy) drawn once per estimate, then picked from at random. */
const OCCUPANCY_DRAWS = 512;
/** The range shown: from the first to the third quartile of the wait (half the scenarios fall in it). */
export const RANGE_QUANTILES = [0.25, 0.75] as const;
/** A spread (third minus first quartile) at least this wide is shown as a range. */
export const UNSURE_SPREAD_MINUTES = 10;
/** Range ends are rounded outwards to this many minutes. */
export const RANGE_STEP_MINUTES = 5;
/** "Now" is said only when nine scenarios in ten have the party called within a minute. */
const NOW_QUANTILE = 0.9;

/** How long a copy is held for a party that does not come, before a game has no-shows to learn from. */
export const PRIOR_HOLD_MS = 5 * MINUTE;

/** The game's hold: the median time its recent no-shows kept a copy, else PRIOR_HOLD_MS. */
export function holdTime(history: Pick<GameHistory, 'holdsMs'>): number {
  const holds = history.holdsMs.filter((ms) => Number.isFinite(ms) && ms >= 0).sort((a, b) => a - b);
  return holds.length ? median(holds) : PRIOR_HOLD_MS;
}

/** Share of called parties who do not come, shrunk toward PRIOR_NO_SHOW while calls are few. */
export function noShowRate(history: Pick<GameHistory, 'calls' | 'noShows'>): number {
  const calls = Math.max(0, history.calls);
  const noShows = Math.min(calls, Math.max(0, history.noShows));
  return (noShows + PRIOR_NO_SHOW.rate * PRIOR_NO_SHOW.weight) / (calls + PRIOR_NO_SHOW.weight);
}

/**
 * How much longer a session that has lasted `elapsedMs` goes on, for two uniform draws: first
 * which kind of session it is, weighed by how likely each kind is to last that long (so a
 * session far over the usual length is most likely a long one), then its length given that.
 */
function remainingPlay(play: PlayTime, elapsedMs: number, kind: number, u: number): number {
  const long = { median: play.medianMs * LONG_SESSIONS.medians, sigma: LONG_SESSIONS.sigma };
  const survives = {
    short: play.shortShare * Math.max(0, 1 - elapsedMs / play.shortestMs),
    normal: (1 - play.shortShare - play.longShare) * (1 - lognormalCdf(elapsedMs, play.medianMs, play.sigma)),
    long: play.longShare * (1 - lognormalCdf(elapsedMs, long.median, long.sigma)),
  };
  const total = survives.short + survives.normal + survives.long;
  // Beyond every plausible length (a table nobody marked finished): taken to need a tenth of a
  // game more, and never less than a few minutes, since nobody knows when staff will notice.
  if (!(total > 1e-12)) return Math.max(play.medianMs * 0.1, 5 * MINUTE) * (0.5 + u);
  const pick = kind * total;
  if (pick < survives.short) return u * (play.shortestMs - elapsedMs);
  const law = pick < survives.short + survives.normal ? { median: play.medianMs, sigma: play.sigma } : long;
  const floor = lognormalCdf(elapsedMs, law.median, law.sigma);
  const length = lognormalQuantile(floor + u * (1 - floor), law.median, law.sigma);
  return Math.max(0, length - elapsedMs);
}

interface Scenario {
  play: PlayTime;
  noShow: number;
  holdMs: number;
  next(): number;
}

/** How long a party given a copy keeps it: the hold if they do not come, else show-up + a game. */
function occupancy(s: Scenario): number {
  if (s.next() < s.noShow) return s.holdMs;
  return s.next() * SHOW_UP_SHARE * s.holdMs + remainingPlay(s.play, 0, s.next(), s.next());
}

/** When, from now, a copy in use comes back. */
function freesIn(copy: BusyCopy, nowMs: number, s: Scenario): number {
  if (copy.status === 'seated') {
    const elapsed = Math.max(0, nowMs - (copy.seatedAt ?? copy.calledAt ?? new Date(nowMs)).getTime());
    return remainingPlay(s.play, elapsed, s.next(), s.next());
  }
  const sinceCall = Math.max(0, nowMs - (copy.calledAt ?? new Date(nowMs)).getTime());
  const showUpWindow = SHOW_UP_SHARE * s.holdMs;
  // Not come yet after `sinceCall`: the chance they still come shrinks as the hold runs.
  const stillComing = (1 - s.noShow) * Math.max(0, 1 - sinceCall / showUpWindow);
  const noShowNow = stillComing + s.noShow > 0 ? s.noShow / (stillComing + s.noShow) : 1;
  if (s.next() < noShowNow) return Math.max(0, s.holdMs - sinceCall);
  return s.next() * Math.max(0, showUpWindow - sinceCall) + remainingPlay(s.play, 0, s.next(), s.next());
}

/** Nearest-rank quantile of an ascending list. */
function quantile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** The quote for one party from its waits across scenarios (ascending, in ms). */
export function quoteFromScenarios(sortedWaitsMs: ArrayLike<number>): WaitEstimate {
  if (quantile(sortedWaitsMs, NOW_QUANTILE) < MINUTE) return { minutes: 0, lowMinutes: 0, highMinutes: 0 };
  const minutes = Math.max(1, Math.round(quantile(sortedWaitsMs, 0.5) / MINUTE));
  const low = quantile(sortedWaitsMs, RANGE_QUANTILES[0]) / MINUTE;
  const high = quantile(sortedWaitsMs, RANGE_QUANTILES[1]) / MINUTE;
  if (high - low < UNSURE_SPREAD_MINUTES) return { minutes, lowMinutes: minutes, highMinutes: minutes };
  const step = RANGE_STEP_MINUTES;
  return {
    minutes,
    lowMinutes: Math.max(1, Math.min(minutes, Math.floor(low / step) * step)),
    highMinutes: Math.max(minutes, Math.ceil(high / step) * step),
  };
}

/**
 * Quotes for every waiting party, in queue order. Null for everyone when the game has no copy to
 * lend ("unavailable", never "now"). Deterministic: the same facts give the same quotes. Never
 * decreases down the queue (in every scenario a party is called no earlier than the one ahead).
 */
export function estimateQueue(facts: QueueFacts): Array<WaitEstimate | null> {
  const { now, copies, busy, waitingCount } = facts;
  if (copies <= 0) return Array.from({ length: waitingCount }, () => null);
  if (waitingCount <= 0) return [];
  const nowMs = now.getTime();
  const random = seededRandom(0x5eed);
  const scenario: Scenario = {
    play: learnPlayTime(facts.playMinutes, facts.history.sessionsMs),
    noShow: noShowRate(facts.history),
    holdMs: holdTime(facts.history),
    next: random,
  };
  // The time a party ahead keeps a copy does not depend on the moment: drawn once, reused.
  const occupancies = Float64Array.from({ length: OCCUPANCY_DRAWS }, () => occupancy(scenario));
  const waits = Array.from({ length: waitingCount }, () => new Float64Array(SCENARIOS));
  for (let k = 0; k < SCENARIOS; k += 1) {
    const frees = busy.map((copy) => freesIn(copy, nowMs, scenario));
    while (frees.length < copies) frees.push(0);
    frees.sort((a, b) => a - b);
    // With fewer copies than parties using them (copies were reduced), the first to come back is retired.
    const servers = frees.slice(frees.length - copies);
    // Each scenario picks the occupancies from its own stream, so a party's quote does not hang on
    // how many stand behind it (the join's answer, the queue's list and the quote for a newcomer agree).
    const pick = seededRandom((0x0cc + Math.imul(k, 0x9e3779b9)) >>> 0);
    for (let i = 0; i < waitingCount; i += 1) {
      let earliest = 0;
      for (let c = 1; c < servers.length; c += 1) if (servers[c]! < servers[earliest]!) earliest = c;
      const start = servers[earliest]!;
      waits[i]![k] = start;
      servers[earliest] = start + occupancies[Math.floor(pick() * OCCUPANCY_DRAWS)]!;
    }
  }
  return waits.map((w) => quoteFromScenarios(w.sort()));
}

/** Whether a party called after `waitedMinutes` was called within the band around its quote. */
export function withinBand(quotedMinutes: number, waitedMinutes: number): boolean {
  return Math.abs(waitedMinutes - quotedMinutes) <= Math.max(5, 0.25 * quotedMinutes);
}
