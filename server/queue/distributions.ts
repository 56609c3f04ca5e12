/** The little probability the estimates need: a seeded generator and the log-normal law. Pure. */

/** A seeded uniform generator on [0, 1) (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal distribution function (Abramowitz & Stegun 7.1.26 on erf, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Acklam's rational approximation in the tails. */
function tail(r: number): number {
  return (((((C[0]! * r + C[1]!) * r + C[2]!) * r + C[3]!) * r + C[4]!) * r + C[5]!) / ((((D[0]! * r + D[1]!) * r + D[2]!) * r + D[3]!) * r + 1);
}

/** Inverse of the standard normal distribution function (Acklam, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  if (q < 0.02425) return tail(Math.sqrt(-2 * Math.log(q)));
  if (q > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - q)));
  const r = (q - 0.5) * (q - 0.5);
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * (q - 0.5)) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

/** P(X ≤ x) for a log-normal X with the given median and log-scale spread. */
export function lognormalCdf(x: number, median: number, sigma: number): number {
  if (x <= 0) return 0;
  return normalCdf(Math.log(x / median) / sigma);
}

/** The value a log-normal X stays under with probability p. */
export function lognormalQuantile(p: number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normalQuantile(p));
}
