import { buildRankings } from './groups.js';

/** Weight rule (`--weights.rule`, K5). */
export type WeightRule = 'halving' | 'linear';

/**
 * Raw weights by uid from the rank scores (chunking.md §10): walking uids with a score best → worst (k = 0 first),
 * `halving` gives `0.5^k`, `linear` gives `1 − k / n_r`; uids without a score get 0. Normalise afterwards.
 * @param scores - rank score per uid (lower is better), null = no score.
 * @param rule - the rule. @defaultValue 'halving'
 * @returns raw weight per uid.
 * @example
 * rankWeights([2, 0, 3, 1], 'linear'); // [0.5, 1, 0.25, 0.75]
 */
export function rankWeights(scores: readonly (number | null)[], rule: WeightRule = 'halving'): number[] {
  const out = new Array<number>(scores.length).fill(0);
  const ranked = buildRankings(scores).filter((uid) => scores[uid] != null);
  const nr = ranked.length;
  ranked.forEach((uid, k) => {
    out[uid] = rule === 'linear' ? 1 - k / nr : 0.5 ** k;
  });
  return out;
}
