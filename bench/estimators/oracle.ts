/**
 * Bounds, not estimators a service could run: the same scenario engine as the service
 * (`scenarioWaits` in server/queue/estimates.ts) fed with what only the simulator knows.
 *
 * - `lawsKnown`: the game's real laws (its true play-time law with abandoned and marathon
 *   sessions and the Finish delay, the true no-show rate, the true show-up law, and the longer
 *   first sessions of that profile for the sessions in play), conditioned on how long each copy
 *   has been out. What an estimator that had learned everything learnable from history could do.
 * - `tablesKnown`: the same, and it also knows the exact minute every session in play will end
 *   (and whether each called party will come). No button or sensor can tell more about the copies
 *   in use: the best any "wrapping up" signal could ever give.
 *
 * Both still quote the median of the scenarios. Left out of both: the 5 % of waiting parties who
 * give up (the engine has no party leaving the queue ahead), and the longer first sessions of
 * the "first sessions run long" night for parties ahead not yet seated.
 */
import { seededRandom } from '../../server/queue/distributions';
import { quoteFromScenarios, scenarioWaits, type BusyCopy, type WaitLaw } from '../../server/queue/estimates';
import { HOLD_MS, sessionLength, showUpTime, type Estimator, type GameFacts, type Truth } from './night';

const MINUTE = 60_000;
const DRAWS = 512;

/** Real session lengths of the game (seated at `seatedMinute` of the night), a sample kept per game and hour. */
const samples = new Map<string, Float64Array>();
function sessionSample(truth: Truth, seatedMinute: number): Float64Array {
  const early = truth.profile.longStart !== undefined && seatedMinute < truth.profile.longStart.minutes;
  const key = `${truth.profile.name}/${truth.spec.title}/${early}`;
  let sample = samples.get(key);
  if (!sample) {
    const random = seededRandom(0xbeef);
    sample = Float64Array.from({ length: 4096 }, () => sessionLength(random, truth.profile, truth.spec, early ? 0 : Infinity)).sort();
    samples.set(key, sample);
  }
  return sample;
}

/** The real law of how long a session that has run `elapsed` still runs: drawn among the sample's longer ones. */
function remaining(sample: Float64Array, elapsed: number, u: number): number {
  let lo = 0;
  let hi = sample.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sample[mid]! <= elapsed) lo = mid + 1;
    else hi = mid;
  }
  // Past every sampled length: a few more minutes of Finish delay.
  if (lo >= sample.length) return -Math.log(1 - u) * 3 * MINUTE;
  return sample[lo + Math.floor(u * (sample.length - lo))]! - elapsed;
}

const occupancyTables = new Map<string, Float64Array>();
function occupancies(truth: Truth): Float64Array {
  const key = `${truth.profile.name}/${truth.spec.title}`;
  let table = occupancyTables.get(key);
  if (!table) {
    const random = seededRandom(0xfeed);
    const sessions = sessionSample(truth, Infinity);
    table = Float64Array.from({ length: DRAWS }, () =>
      random() < truth.profile.noShow ? HOLD_MS : showUpTime(random) + sessions[Math.floor(random() * sessions.length)]!,
    );
    occupancyTables.set(key, table);
  }
  return table;
}

/** The real show-up law, conditioned on not having come after `since`: ms from now. */
function showUpAfter(since: number, u: () => number): number {
  for (let tries = 0; tries < 50; tries += 1) {
    const t = showUpTime(u);
    if (t > since) return t - since;
  }
  return 0;
}

function law(f: GameFacts, clairvoyant: boolean): WaitLaw {
  const { truth } = f;
  const nowMs = f.now.getTime();
  const ends = new Map<BusyCopy, number>(f.busy.map((copy, c) => [copy, truth.freesAtMs[c]!]));
  return {
    occupancies: occupancies(truth),
    freesIn(copy, now, scenarios, u) {
      const out = new Float64Array(scenarios);
      if (clairvoyant) return out.fill(Math.max(0, ends.get(copy)! - nowMs));
      for (let k = 0; k < scenarios; k += 1) {
        let d = 0;
        const next = () => u(k, d++);
        if (copy.status === 'seated') {
          const seatedMinute = (copy.seatedAt!.getTime() - truth.startMs) / MINUTE;
          out[k] = remaining(sessionSample(truth, seatedMinute), now - copy.seatedAt!.getTime(), next());
          continue;
        }
        const since = now - copy.calledAt!.getTime();
        // Not come yet after `since`: a no-show with the odds the real laws give.
        const stillComing = (1 - truth.profile.noShow) * Math.exp(-since / (1.5 * MINUTE)) * (since < 0.9 * HOLD_MS ? 1 : 0);
        const noShowNow = truth.profile.noShow / (truth.profile.noShow + stillComing);
        const seatedMinute = (now - truth.startMs) / MINUTE;
        out[k] = next() < noShowNow ? Math.max(0, HOLD_MS - since) : showUpAfter(since, next) + remaining(sessionSample(truth, seatedMinute), 0, next());
      }
      return out;
    },
  };
}

function oracle(clairvoyant: boolean): Estimator {
  return (f) => {
    if (f.copies <= 0) return Array.from({ length: f.waitingCount }, () => null);
    return scenarioWaits(f, law(f, clairvoyant)).map((w) => quoteFromScenarios(w).minutes);
  };
}

export const lawsKnown = oracle(false);
export const tablesKnown = oracle(true);

/**
 * The quote that maximises the share called within the band ±max(5 min, 25 %), instead of the
 * median (which minimises the mean error): the centre of the densest band of scenarios.
 */
export function bandCentre(waitsMs: Float64Array): number {
  const w = Float64Array.from(waitsMs).sort().map((ms) => ms / MINUTE);
  let best = w[Math.floor(w.length / 2)]!;
  let bestCount = -1;
  for (let q = 0; q <= w[w.length - 1]! + 5; q += 1) {
    const half = Math.max(5, 0.25 * q);
    let count = 0;
    for (const x of w) if (Math.abs(x - q) <= half) count += 1;
    if (count > bestCount) {
      bestCount = count;
      best = q;
    }
  }
  return best;
}
