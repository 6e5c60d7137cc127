import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeWeights } from './normalize-weights.js';

describe('normalizeWeights', () => {
  it('divides by the L1 norm and reports NaN uids (treated as 0)', () => {
    expect(normalizeWeights([1, 3, Number.NaN])).toEqual({ weights: [0.25, 0.75, 0], nanUids: [2] });
    expect(normalizeWeights([0.5, 1, 0.25, 0.75]).weights).toEqual([0.2, 0.4, 0.1, 0.3]);
  });

  it('refuses an all-zero vector with DOJO_SCORING_ALL_ZERO_WEIGHTS', () => {
    expect(() => normalizeWeights([0, Number.NaN])).toThrow(
      expect.objectContaining({ code: 'DOJO_SCORING_ALL_ZERO_WEIGHTS' }),
    );
  });

  // below Σ = 1e-12 the spec's max(Σ|s|, 1e-12) floor makes the sum smaller than 1 on purpose
  it('property: non-negative scores with Σ ≥ 1e-12 give weights in [0, 1] summing to 1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 256 }), (s) => {
        fc.pre(s.reduce((a, b) => a + b, 0) >= 1e-12);
        const { weights } = normalizeWeights(s);
        return Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-12 && weights.every((w) => w >= 0 && w <= 1);
      }),
    );
  });
});
