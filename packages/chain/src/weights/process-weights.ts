import { InvalidWeightsError } from '../errors.js';

/** Largest u16; on-chain weights are u16 values. */
export const U16_MAX = 65535;

type Round = (x: number) => number;
const f32: Round = Math.fround;
const f64: Round = (x) => x;

/** numpy's pairwise summation (PW_BLOCKSIZE 128, 8 accumulators), rounding every addition with `r`. */
function pairwiseSum(a: ArrayLike<number>, lo: number, n: number, r: Round): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s = r(s + (a[lo + i] as number));
    return s;
  }
  if (n <= 128) {
    const acc = [0, 0, 0, 0, 0, 0, 0, 0].map((_, j) => a[lo + j] as number);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) acc[j] = r((acc[j] as number) + (a[lo + i + j] as number));
    }
    const [r0, r1, r2, r3, r4, r5, r6, r7] = acc as [number, number, number, number, number, number, number, number];
    let res = r(r(r(r0 + r1) + r(r2 + r3)) + r(r(r4 + r5) + r(r6 + r7)));
    for (; i < n; i++) res = r(res + (a[lo + i] as number));
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return r(pairwiseSum(a, lo, n2, r) + pairwiseSum(a, lo + n2, n - n2, r));
}

function normalizeWith(x: readonly number[], limit: number, r: Round): number[] {
  const eps = 1e-7;
  const k = x.length;
  if (k === 0) return [];
  const total = pairwiseSum(x, 0, k, r);
  if (total === 0 || k * limit <= 1) return x.map(() => r(1 / k));
  // numpy (NEP 50): a Python float meeting a float32 array is cast to float32.
  const limitR = r(limit);
  const epsR = r(eps);
  const values = [...x].sort((a, b) => a - b);
  const vsum = pairwiseSum(values, 0, k, r);
  const est = values.map((v) => r(v / vsum));
  let estMax = Number.NEGATIVE_INFINITY;
  for (const e of est) if (e > estMax) estMax = e;
  if (estMax <= limitR) return x.map((v) => r(v / total));
  const cumsum: number[] = new Array(k);
  let c = 0;
  for (let i = 0; i < k; i++) {
    c = i === 0 ? (est[0] as number) : r(c + (est[i] as number));
    cumsum[i] = c;
  }
  let m = 0;
  for (let i = 0; i < k; i++) {
    const t = r((k - i - 1) * (est[i] as number));
    const denom = r(r(t + (cumsum[i] as number)) + epsR);
    if (r((est[i] as number) / denom) < limitR) m++;
  }
  const cutoffScale = r(r(r(limitR * (cumsum[m === 0 ? k - 1 : m - 1] as number)) - epsR) / (1 - limit * (k - m)));
  const cutoff = r(cutoffScale * vsum);
  const clipped = x.map((v) => Math.min(v, cutoff));
  const csum = pairwiseSum(clipped, 0, k, r);
  return clipped.map((v) => r(v / csum));
}

/**
 * Water-filling normalisation (spec chain.md §8.3, upstream `normalize_max_weight`): normalises `x` to sum 1 while
 * clipping the largest values so that no weight exceeds `limit`, in float32 arithmetic like the Python SDK.
 * @param x - non-negative weights.
 * @param limit - maximum fraction per weight (e.g. `MaxWeightsLimit / 65535`).
 * @param precision - `'f32'` (default, numpy float32 input) or `'f64'` (numpy float64 input).
 * @returns the normalised weights, in input order.
 */
export function normalizeMaxWeight(x: readonly number[], limit: number, precision: 'f32' | 'f64' = 'f32'): number[] {
  const r = precision === 'f32' ? f32 : f64;
  return normalizeWith(precision === 'f32' ? x.map(f32) : x, limit, r);
}

/** numpy `quantile(..., method='linear')` of `a` at `q` ∈ [0, 1]. */
export function quantileLinear(a: readonly number[], q: number): number {
  const v = [...a].sort((x, y) => x - y);
  const n = v.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const t = h - lo;
  const a0 = v[lo] as number;
  const b0 = v[hi] as number;
  const diff = b0 - a0;
  // numpy _lerp: a + t·(b − a), computed from b when t ≥ 0.5.
  return t >= 0.5 ? b0 - diff * (1 - t) : a0 + diff * t;
}

function validate(uids: readonly number[], weights: readonly number[]): void {
  if (uids.length !== weights.length) {
    throw new InvalidWeightsError(`uids (${uids.length}) and weights (${weights.length}) differ in length`);
  }
  for (const u of uids) {
    if (!Number.isInteger(u) || u < 0 || u > U16_MAX) throw new InvalidWeightsError(`invalid uid ${u}`);
  }
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) throw new InvalidWeightsError(`invalid weight ${w}`);
  }
}

/**
 * Upstream `process_weights_for_netuid` (spec chain.md §8.2): drops zero weights, applies `min_allowed_weights`, the
 * exclusion quantile and the max-weight limit. Weights are cast to float32 first, as in the Python SDK.
 * @param uids - uids of the weights (Dojo TS passes `0..n−1`).
 * @param weights - non-negative float weights.
 * @param n - `metagraph.n`.
 * @param minAllowedWeights - `MinAllowedWeights`.
 * @param maxWeightLimit - `MaxWeightsLimit / 65535`.
 * @param excludeQuantile - u16-scaled exclusion quantile (default 0).
 * @returns `{uids, weights}` ready for {@link convertWeightsAndUidsForEmit}.
 * @throws InvalidWeightsError on negative/non-finite weights, bad uids or a length mismatch.
 */
export function processWeightsForNetuid(
  uids: readonly number[],
  weights: readonly number[],
  n: number,
  minAllowedWeights: number,
  maxWeightLimit: number,
  excludeQuantile = 0,
): { uids: number[]; weights: number[] } {
  validate(uids, weights);
  const w32 = weights.map(f32);
  const nzIdx: number[] = [];
  for (let i = 0; i < w32.length; i++) if ((w32[i] as number) > 0) nzIdx.push(i);
  const all = Array.from({ length: n }, (_, i) => i);
  if (nzIdx.length === 0 || n < minAllowedWeights) {
    return { uids: all, weights: all.map(() => 1 / n) };
  }
  if (nzIdx.length < minAllowedWeights) {
    // float64 in upstream (np.ones(int64) * 1e-5), positional add.
    const w = all.map(() => 1e-5);
    for (const i of nzIdx) {
      if (i < n) w[i] = (w[i] as number) + (w32[i] as number);
    }
    return { uids: all, weights: normalizeMaxWeight(w, maxWeightLimit, 'f64') };
  }
  const nzW = nzIdx.map((i) => w32[i] as number);
  const nzU = nzIdx.map((i) => uids[i] as number);
  const quantile = excludeQuantile / U16_MAX;
  const maxExclude = Math.max(0, nzW.length - minAllowedWeights) / nzW.length;
  const q = Math.min(quantile, maxExclude);
  const lowest = f32(quantileLinear(nzW, q));
  const keptU: number[] = [];
  const keptW: number[] = [];
  for (let i = 0; i < nzW.length; i++) {
    if (lowest <= (nzW[i] as number)) {
      keptU.push(nzU[i] as number);
      keptW.push(nzW[i] as number);
    }
  }
  return { uids: keptU, weights: normalizeMaxWeight(keptW, maxWeightLimit, 'f32') };
}

/** Python `round()`: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const fl = Math.floor(x);
  const d = x - fl;
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

/**
 * Upstream `convert_weights_and_uids_for_emit` (spec chain.md §8.1): max-upscales float weights to u16 with banker's
 * rounding and drops entries that round to 0.
 * @param uids - uids.
 * @param weights - non-negative weights (same length).
 * @returns `{uids, weights}` with u16 weights, in input order; empty when all weights are 0.
 * @throws InvalidWeightsError on negative/non-finite weights, bad uids or a length mismatch.
 */
export function convertWeightsAndUidsForEmit(
  uids: readonly number[],
  weights: readonly number[],
): { uids: number[]; weights: number[] } {
  validate(uids, weights);
  let sum = 0;
  let max = 0;
  for (const w of weights) {
    sum += w;
    if (w > max) max = w;
  }
  if (sum === 0) return { uids: [], weights: [] };
  const outU: number[] = [];
  const outW: number[] = [];
  for (let i = 0; i < weights.length; i++) {
    const v = roundHalfEven(((weights[i] as number) / max) * U16_MAX);
    if (v !== 0) {
      outU.push(uids[i] as number);
      outW.push(v);
    }
  }
  return { uids: outU, weights: outW };
}
