import { ScoringInputError } from './errors.js';

/** Result of {@link normalizeWeights}. */
export interface NormalizedWeights {
  /** `scores / Σ|scores|` with NaN treated as 0. */
  weights: number[];
  /** Uids whose score was NaN (the caller logs a warning, dojo.md §13 step 1). */
  nanUids: number[];
}

/**
 * L1-normalises the score vector before `processWeightsForNetuid` (dojo.md §13): NaN → 0, `w = s / max(Σ|s|, 1e-12)`.
 * @param scores - scores by uid.
 * @returns the weights and the uids that held NaN.
 * @throws {ScoringInputError} DOJO_SCORING_ALL_ZERO_WEIGHTS when no entry is non-zero (the caller logs and skips).
 * @example
 * normalizeWeights([1, 3]).weights; // [0.25, 0.75]
 */
export function normalizeWeights(scores: readonly number[]): NormalizedWeights {
  const nanUids: number[] = [];
  const clean = scores.map((s, uid) => {
    if (Number.isNaN(s)) {
      nanUids.push(uid);
      return 0;
    }
    return s;
  });
  let l1 = 0;
  for (const s of clean) l1 += Math.abs(s);
  if (l1 === 0) throw new ScoringInputError('DOJO_SCORING_ALL_ZERO_WEIGHTS', 'no non-zero score: weights not set');
  const denom = Math.max(l1, 1e-12);
  return { weights: clean.map((s) => s / denom), nanUids };
}
