import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeWeights } from '../normalize-weights.js';
import { rankWeights } from './rank-weights.js';

describe('rankWeights', () => {
  it('gives 0.5^k by default and 1 − k/n_r with linear (ranks [2,0,3,1] → [0.5, 1, 0.25, 0.75])', () => {
    expect(rankWeights([2, 0, 3, 1])).toEqual([0.25, 1, 0.125, 0.5]);
    expect(rankWeights([2, 0, 3, 1], 'linear')).toEqual([0.5, 1, 0.25, 0.75]);
    expect(normalizeWeights(rankWeights([2, 0, 3, 1], 'linear')).weights).toEqual([0.2, 0.4, 0.1, 0.3]);
    const halving = normalizeWeights(rankWeights([2, 0, 3, 1])).weights.map((w) => Math.round(w * 1e4) / 1e4);
    expect(halving).toEqual([0.1333, 0.5333, 0.0667, 0.2667]);
  });

  it('gives uids without a score 0 and ranks ties by uid', () => {
    expect(rankWeights([null, 5, 5, null], 'linear')).toEqual([0, 1, 0.5, 0]);
  });

  it('property: normalised weights sum to 1 and a better (lower) score never gets less weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: 0, max: 300, noNaN: true })), { minLength: 1, maxLength: 64 }),
        fc.constantFrom('halving' as const, 'linear' as const),
        (scores, rule) => {
          fc.pre(scores.some((s) => s !== null));
          const raw = rankWeights(scores, rule);
          const { weights } = normalizeWeights(raw);
          const sum = weights.reduce((a, b) => a + b, 0);
          const monotone = scores.every((a, i) =>
            scores.every((b, j) => a === null || b === null || !(a < b) || (raw[i] as number) >= (raw[j] as number)),
          );
          return Math.abs(sum - 1) < 1e-12 && monotone;
        },
      ),
    );
  });
});
