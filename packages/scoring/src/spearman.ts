import { ScoringInputError } from './errors.js';

/**
 * Ranks 1..n with ties given the average of the ranks they span (scipy `rankdata(method="average")`).
 * @param values - the data; NaN is not allowed (the caller checks).
 * @param out - optional buffer of length n to fill.
 * @returns the ranks.
 * @example
 * averageRanks([10, 20, 20, 5]); // Float64Array [2, 3.5, 3.5, 1]
 */
export function averageRanks(values: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = values.length;
  const ranks = out ?? new Float64Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => (values[x] as number) - (values[y] as number));
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = values[order[i] as number] as number;
    while (j < n && values[order[j] as number] === v) j++;
    // positions i..j-1 (0-based) tie: average of 1-based ranks i+1..j
    const r = (i + j + 1) / 2;
    for (let k = i; k < j; k++) ranks[order[k] as number] = r;
    i = j;
  }
  return ranks;
}

/**
 * Pearson correlation of two equal-length vectors, two-pass and clipped to [-1, 1]; NaN when either is constant.
 * @param x - first vector.
 * @param y - second vector.
 * @returns the correlation or NaN.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/**
 * Spearman rank correlation with average ranks for ties (scipy `spearmanr`); NaN for a constant input, fewer
 * than 2 points or any NaN value (the consensus turns NaN into 0).
 * @param a - first vector.
 * @param b - second vector, same length.
 * @returns ρ in [-1, 1], or NaN.
 * @throws {ScoringInputError} DOJO_SCORING_LENGTH_MISMATCH when the lengths differ.
 * @example
 * spearman([1, 2, 3], [10, 20, 30]); // 1
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new ScoringInputError(
      'DOJO_SCORING_LENGTH_MISMATCH',
      `spearman needs equal lengths, got ${a.length} and ${b.length}`,
    );
  }
  const n = a.length;
  if (n < 2) return Number.NaN;
  for (let i = 0; i < n; i++) if (Number.isNaN(a[i]) || Number.isNaN(b[i])) return Number.NaN;
  return pearson(averageRanks(a), averageRanks(b));
}
