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

import { lognormalCdf, lognormalQuantile, seededRandom } from './distributions';

const MINUTE = 60_000;

/** A copy that is in use: called (hold running) or seated (playing). */
export interface BusyCopy {
  status: 'called' | 'seated';
  calledAt: Date | null;
  seatedAt: Date | null;
  /** when staff marked the table "wrapping up" (its last round), if they did */
  wrappingUpAt?: Date | null;
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
  /** how long the parties who came took to come, called to seated (absent: none recorded) */
  showUpsMs?: number[];
  /** of the sessions in `sessionsMs`, how many staff marked "wrapping up" before Finish */
  wrappedUp?: number;
  /** for each of those, how long before Finish they were marked, most recent first */
  wrapUpLeadsMs?: number[];
}

export const NO_HISTORY: GameHistory = { sessionsMs: [], calls: 0, noShows: 0, holdsMs: [], showUpsMs: [], wrappedUp: 0, wrapUpLeadsMs: [] };

/** How much history is read per game: its latest calls that have ended (finished or no-show). */
export const HISTORY_CALLS = 30;

/**
 * One ended call of the game, most recent first: a no-show after `heldMs`, or a session of
 * `playedMs` whose party came `showUpMs` after the call, marked "wrapping up" `wrapUpLeadMs`
 * before Finish (null: not marked).
 */
export type EndedCall =
  | { noShow: true; heldMs: number }
  | { noShow: false; playedMs: number | null; showUpMs?: number | null; wrapUpLeadMs?: number | null };

/** The history of a game from its latest ended calls (beyond HISTORY_CALLS they are left out). */
export function historyOf(ended: readonly EndedCall[]): GameHistory {
  const recent = ended.slice(0, HISTORY_CALLS);
  const history = { sessionsMs: [] as number[], calls: recent.length, noShows: 0, holdsMs: [] as number[], showUpsMs: [] as number[], wrappedUp: 0, wrapUpLeadsMs: [] as number[] };
  for (const call of recent) {
    if (call.noShow) {
      history.noShows += 1;
      history.holdsMs.push(call.heldMs);
      continue;
    }
    if (call.playedMs !== null) history.sessionsMs.push(call.playedMs);
    if (call.playedMs !== null && call.wrapUpLeadMs !== null && call.wrapUpLeadMs !== undefined) {
      history.wrappedUp += 1;
      history.wrapUpLeadsMs.push(call.wrapUpLeadMs);
    }
    if (call.showUpMs !== null && call.showUpMs !== undefined) history.showUpsMs.push(call.showUpMs);
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
/** Scenarios drawn per estimate (common random numbers: the same draws for every estimate). */
export const SCENARIOS = 128;
/** Occupancies (a party ahead keeping a copy) drawn once per game and history, then picked from. */
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
/**
 * Before a game has show-ups to learn from, a called party that comes is taken to come at any
 * moment of the hold, evenly; the recorded show-ups (called to seated) replace that as they come,
 * this many of them weighing as much as the prior.
 */
export const PRIOR_SHOW_UP_WEIGHT = 5;

/**
 * "Wrapping up": staff mark a seated table when it starts its last round. Until a game has marked
 * sessions to learn from, a marked table is taken to free 5 to 20 minutes after the mark, evenly
 * (PRIOR_WRAP_UP_POINTS points over that span, weighing as that many sessions); and the share of
 * tables that get marked is shrunk toward 0 (so a café that never marks loses nothing).
 */
export const PRIOR_WRAP_UP = { fromMs: 5 * MINUTE, toMs: 20 * MINUTE, points: 5, shareWeight: 10 };
/** A mark older than this many of its usual leads is taken as forgotten: the table is estimated as unmarked. */
const STALE_WRAP_UP_FACTOR = 3;

export interface WrapUpLaw {
  /** share of sessions that staff mark before Finish */
  share: number;
  /** how long before Finish they mark them (ascending, ms) */
  leadsMs: Float64Array;
}

/** What the game's history says of the "wrapping up" marks. */
export function learnWrapUps(history: Pick<GameHistory, 'sessionsMs' | 'wrappedUp' | 'wrapUpLeadsMs'>): WrapUpLaw {
  const seen = (history.wrapUpLeadsMs ?? []).filter((ms) => Number.isFinite(ms) && ms >= 0);
  const { fromMs, toMs, points, shareWeight } = PRIOR_WRAP_UP;
  const prior = Array.from({ length: points }, (_, i) => fromMs + ((i + 0.5) / points) * (toMs - fromMs));
  const sessions = history.sessionsMs.length;
  return {
    share: Math.min(1, (history.wrappedUp ?? 0) / (sessions + shareWeight)),
    leadsMs: Float64Array.from([...seen, ...prior]).sort(),
  };
}

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
 * How long called parties who come take to come, as an ascending list to draw from: the recorded
 * show-ups within the hold, plus PRIOR_SHOW_UP_WEIGHT points spread evenly over the hold.
 */
export function showUpTimes(history: Pick<GameHistory, 'showUpsMs'>, holdMs: number): Float64Array {
  const seen = (history.showUpsMs ?? []).filter((ms) => Number.isFinite(ms) && ms >= 0 && ms <= holdMs);
  const prior = Array.from({ length: PRIOR_SHOW_UP_WEIGHT }, (_, i) => ((i + 0.5) / PRIOR_SHOW_UP_WEIGHT) * holdMs);
  return Float64Array.from([...seen, ...prior]).sort();
}

/**
 * How much longer a session that has lasted `elapsedMs` goes on, as a function of two uniform
 * draws: first which kind of session it is, weighed by how likely each kind is to last that long
 * (so a session far over the usual length is most likely a long one), then its length given
 * that. What depends only on `elapsedMs` is worked out once, so many draws stay cheap.
 */
export function remainingPlay(play: PlayTime, elapsedMs: number): (kind: number, u: number) => number {
  const long = { median: play.medianMs * LONG_SESSIONS.medians, sigma: LONG_SESSIONS.sigma };
  const normal = { median: play.medianMs, sigma: play.sigma };
  const normalFloor = lognormalCdf(elapsedMs, normal.median, normal.sigma);
  const longFloor = lognormalCdf(elapsedMs, long.median, long.sigma);
  const short = play.shortShare * Math.max(0, 1 - elapsedMs / play.shortestMs);
  const ordinary = (1 - play.shortShare - play.longShare) * (1 - normalFloor);
  const total = short + ordinary + play.longShare * (1 - longFloor);
  // Beyond every plausible length (a table nobody marked finished): taken to need a tenth of a
  // game more, and never less than a few minutes, since nobody knows when staff will notice.
  if (!(total > 1e-12)) return (_kind, u) => Math.max(play.medianMs * 0.1, 5 * MINUTE) * (0.5 + u);
  return (kind, u) => {
    const pick = kind * total;
    if (pick < short) return u * (play.shortestMs - elapsedMs);
    const [law, floor] = pick < short + ordinary ? [normal, normalFloor] : [long, longFloor];
    return Math.max(0, lognormalQuantile(floor + u * (1 - floor), law.median, law.sigma) - elapsedMs);
  };
}

/**
 * What the waits follow from, for the scenario engine: when a copy in use comes back, and how
 * long a party given a copy keeps it. The service's law is learned from the game's history
 * (`learnedLaw`); the simulator plugs in others to measure what better knowledge would give.
 */
export interface WaitLaw {
  /**
   * When this copy comes back (ms from now), one draw per scenario: draw k from the uniforms
   * u(k, 0), u(k, 1), … so every estimate draws the same numbers (common random numbers).
   */
  freesIn(copy: BusyCopy, nowMs: number, scenarios: number, u: (k: number, d: number) => number): Float64Array;
  /** how long parties given a copy keep it (ms), a sample to pick from */
  occupancies: Float64Array;
}

/** The laws learned from a game's history: play time, no-shows, hold, show-ups. */
export function learnedLaw(playMinutes: number, history: GameHistory): WaitLaw {
  const play = learnPlayTime(playMinutes, history.sessionsMs);
  const noShow = noShowRate(history);
  const holdMs = holdTime(history);
  const showUps = showUpTimes(history, holdMs);
  /** Draws among the show-ups later than `sinceMs` (the party has not come yet): ms from now. */
  const showUpAfter = (sinceMs: number) => {
    let first = 0;
    while (first < showUps.length && showUps[first]! <= sinceMs) first += 1;
    return (u: number) => (first < showUps.length ? showUps[first + Math.floor(u * (showUps.length - first))]! - sinceMs : 0);
  };
  const fresh = remainingPlay(play, 0);
  const anyShowUp = showUpAfter(-1);
  const wrapUps = learnWrapUps(history);
  const leads = wrapUps.leadsMs;
  /** Share of marked tables whose lead was longer than `ms`. */
  const leadLonger = (ms: number) => {
    let n = 0;
    for (const lead of leads) if (lead > ms) n += 1;
    return n / leads.length;
  };
  const random = seededRandom(0x0cc);
  const occupancies = Float64Array.from({ length: OCCUPANCY_DRAWS }, () =>
    random() < noShow ? holdMs : anyShowUp(random()) + fresh(random(), random()),
  );
  return {
    occupancies,
    freesIn(copy, nowMs, scenarios, u) {
      const out = new Float64Array(scenarios);
      if (copy.status === 'seated') {
        const elapsed = Math.max(0, nowMs - (copy.seatedAt ?? copy.calledAt ?? new Date(nowMs)).getTime());
        const sinceMark = copy.wrappingUpAt ? Math.max(0, nowMs - copy.wrappingUpAt.getTime()) : null;
        if (sinceMark !== null && sinceMark <= STALE_WRAP_UP_FACTOR * leads[leads.length - 1]!) {
          // Marked: it frees one lead after the mark, a lead longer than the time already gone.
          let first = 0;
          while (first < leads.length && leads[first]! <= sinceMark) first += 1;
          for (let k = 0; k < scenarios; k += 1) {
            // Past every learned lead it is late, not gone: a few minutes more. Never "now" while it is in play.
            const rest = first < leads.length ? leads[first + Math.floor(u(k, 0) * (leads.length - first))]! - sinceMark : Math.max(MINUTE, 0.2 * sinceMark) * (0.5 + u(k, 0));
            out[k] = Math.max(MINUTE, rest);
          }
          return out;
        }
        const rest = remainingPlay(play, elapsed);
        for (let k = 0; k < scenarios; k += 1) {
          // Not marked: a length that would have had it marked by now is less likely, by the share
          // of tables marked that early (drawn again, a few times at most).
          let r = rest(u(k, 0), u(k, 1));
          for (let t = 1; t < 8 && wrapUps.share > 0 && u(k, 3 * t - 1) < wrapUps.share * leadLonger(r); t += 1) r = rest(u(k, 3 * t), u(k, 3 * t + 1));
          out[k] = r;
        }
        return out;
      }
      const sinceCall = Math.max(0, nowMs - (copy.calledAt ?? new Date(nowMs)).getTime());
      // Not come yet after `sinceCall`: the chance they still come shrinks as the hold runs.
      const later = showUps.length - showUps.filter((ms) => ms <= sinceCall).length;
      const stillComing = (1 - noShow) * (later / showUps.length);
      const noShowNow = stillComing + noShow > 0 ? noShow / (stillComing + noShow) : 1;
      const comes = showUpAfter(sinceCall);
      for (let k = 0; k < scenarios; k += 1) {
        out[k] = u(k, 0) < noShowNow ? Math.max(0, holdMs - sinceCall) : comes(u(k, 1)) + fresh(u(k, 2), u(k, 3));
      }
      return out;
    },
  };
}

/**
 * The learned law of a game only changes when its history does (the read model keeps one history
 * object per game for a while), so it is kept per history object and nominal play time.
 */
const lawCache = new WeakMap<GameHistory, Map<number, WaitLaw>>();
function lawFor(playMinutes: number, history: GameHistory): WaitLaw {
  const byPlay = lawCache.get(history) ?? lawCache.set(history, new Map()).get(history)!;
  return byPlay.get(playMinutes) ?? byPlay.set(playMinutes, learnedLaw(playMinutes, history)).get(playMinutes)!;
}

/** The nearest rank (0-based) of quantile p among n values. */
const rankOf = (n: number, p: number) => Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));

/**
 * Puts the value of rank `k` in place `k` of `a[from..to]`, smaller ones before it and larger
 * after (Hoare's selection): a few quantiles of a scenario list cost a pass or two, not a sort.
 */
function select(a: Float64Array, k: number, from: number, to: number): void {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i += 1;
      while (a[j]! > pivot) j -= 1;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Nearest-rank quantiles of a list, in the order asked (ascending p); the list is reordered. */
export function quantiles(values: Float64Array, ps: readonly number[]): number[] {
  const out: number[] = [];
  let from = 0;
  for (const p of ps) {
    const k = rankOf(values.length, p);
    // Everything before an earlier rank is already smaller: search only from there.
    select(values, k, from, values.length - 1);
    out.push(values[k]!);
    from = k;
  }
  return out;
}

const QUOTE_QUANTILES = [RANGE_QUANTILES[0], 0.5, RANGE_QUANTILES[1], NOW_QUANTILE];

/** The quote for one party from its waits across scenarios (ms, in any order; a Float64Array is reordered in place). */
export function quoteFromScenarios(waitsMs: ArrayLike<number>): WaitEstimate {
  const values = waitsMs instanceof Float64Array ? waitsMs : Float64Array.from(waitsMs);
  const [lowMs, midMs, highMs, nowBoundMs] = quantiles(values, QUOTE_QUANTILES) as [number, number, number, number];
  if (nowBoundMs < MINUTE) return { minutes: 0, lowMinutes: 0, highMinutes: 0 };
  const [low, mid, high] = [lowMs / MINUTE, midMs / MINUTE, highMs / MINUTE];
  const minutes = Math.max(1, Math.round(mid));
  if (high - low < UNSURE_SPREAD_MINUTES) return { minutes, lowMinutes: minutes, highMinutes: minutes };
  const step = RANGE_STEP_MINUTES;
  return {
    minutes,
    lowMinutes: Math.max(1, Math.min(minutes, Math.floor(low / step) * step)),
    highMinutes: Math.max(minutes, Math.ceil(high / step) * step),
  };
}

/** A uniform draw on [0, 1) that depends only on (a, b): the same scenario draws the same numbers. */
function hashUniform(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Every waiting party's wait in each scenario (ms, in scenario order): in each, every copy in
 * use frees when the law says, and each party in turn takes the copy that frees first and keeps
 * it for an occupancy picked from the law's sample.
 */
export function scenarioWaits(facts: Pick<QueueFacts, 'now' | 'copies' | 'busy' | 'waitingCount'>, law: WaitLaw, scenarios = SCENARIOS): Float64Array[] {
  const { copies, busy, waitingCount } = facts;
  const nowMs = facts.now.getTime();
  const frees = busy.map((copy, c) => law.freesIn(copy, nowMs, scenarios, (k, d) => hashUniform(k, (c << 8) | d)));
  const all = new Float64Array(waitingCount * scenarios);
  const waits = Array.from({ length: waitingCount }, (_, i) => all.subarray(i * scenarios, (i + 1) * scenarios));
  const servers = new Float64Array(Math.max(copies, busy.length));
  const first = servers.length - copies;
  const picks = pickIndexes(waitingCount, scenarios, law.occupancies.length);
  for (let k = 0; k < scenarios; k += 1) {
    servers.fill(0);
    for (let c = 0; c < busy.length; c += 1) servers[c] = frees[c]![k]!;
    // With fewer copies than parties using them (copies were reduced), the first to come back is retired.
    if (first > 0) servers.sort();
    for (let i = 0; i < waitingCount; i += 1) {
      let earliest = first;
      for (let c = first + 1; c < servers.length; c += 1) if (servers[c]! < servers[earliest]!) earliest = c;
      const start = servers[earliest]!;
      all[i * scenarios + k] = start;
      servers[earliest] = start + law.occupancies[picks[i * scenarios + k]!]!;
    }
  }
  return waits;
}

/**
 * Which occupancy each place in the queue picks in each scenario: hangs on the place and the
 * scenario only, so a party's quote does not hang on how many stand behind it (the join's answer,
 * the queue's list and a newcomer's quote agree). Kept, and grown as longer queues need it.
 */
let picksTable = { scenarios: 0, size: 0, places: 0, picks: new Int32Array(0) };
function pickIndexes(places: number, scenarios: number, size: number): Int32Array {
  const t = picksTable;
  if (t.scenarios === scenarios && t.size === size && t.places >= places) return t.picks;
  const grown = Math.max(places, 2 * t.places, 32);
  const picks = new Int32Array(grown * scenarios);
  for (let i = 0; i < grown; i += 1) for (let k = 0; k < scenarios; k += 1) picks[i * scenarios + k] = Math.floor(hashUniform(k, 0x10000 + i) * size);
  picksTable = { scenarios, size, places: grown, picks };
  return picks;
}

/**
 * Quotes for every waiting party, in queue order. Null for everyone when the game has no copy to
 * lend ("unavailable", never "now"). Deterministic: the same facts give the same quotes. Never
 * decreases down the queue (in every scenario a party is called no earlier than the one ahead).
 */
export function estimateQueue(facts: QueueFacts): Array<WaitEstimate | null> {
  if (facts.copies <= 0) return Array.from({ length: facts.waitingCount }, () => null);
  if (facts.waitingCount <= 0) return [];
  return scenarioWaits(facts, lawFor(facts.playMinutes, facts.history)).map(quoteFromScenarios);
}

/** Whether a party called after `waitedMinutes` was called within the band around its quote. */
export function withinBand(quotedMinutes: number, waitedMinutes: number): boolean {
  return Math.abs(waitedMinutes - quotedMinutes) <= Math.max(5, 0.25 * quotedMinutes);
}
