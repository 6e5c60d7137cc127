import { describe, expect, it } from 'vitest';
import { combinedWeights, specVersion, weightsDue } from './set-weights.js';

describe('combinedWeights', () => {
  it('combines the normalised ranking scores and chunking halving weights by the shares', () => {
    // chunking ranks by uid [2, 0, 3, 1] → halving [0.25, 1, 0.125, 0.5] → normalised [2/15, 8/15, 1/15, 4/15]
    const w = combinedWeights([1, 1, 1, 1], [2, 0, 3, 1], { rankingShare: 0.5, chunkingShare: 0.5, rule: 'halving' });
    const expected = [0.25 / 1.875, 1 / 1.875, 0.125 / 1.875, 0.5 / 1.875].map((c) => 0.5 * 0.25 + 0.5 * c);
    for (const [i, x] of (w ?? []).entries()) expect(x).toBeCloseTo(expected[i] as number, 12);
    expect(w?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('uses the linear rule when asked', () => {
    const w = combinedWeights([0, 0, 0, 0], [2, 0, 3, 1], { rankingShare: 0.5, chunkingShare: 0.5, rule: 'linear' });
    expect(w?.map((x) => Number(x.toFixed(10)))).toEqual([0.2, 0.4, 0.1, 0.3]);
  });

  it('gives the whole weight to the mechanism that has scores when the other has none', () => {
    expect(
      combinedWeights([0.2, 0.6, 0.2], [null, null, null], { rankingShare: 0.5, chunkingShare: 0.5, rule: 'halving' }),
    ).toEqual([0.2, 0.6, 0.2]);
  });

  it('treats NaN ranking scores as 0 and returns null when nothing has a score', () => {
    const w = combinedWeights([Number.NaN, 1], [null, null], { rankingShare: 1, chunkingShare: 0, rule: 'halving' });
    expect(w).toEqual([0, 1]);
    expect(
      combinedWeights([0, 0], [null, null], { rankingShare: 0.5, chunkingShare: 0.5, rule: 'halving' }),
    ).toBeNull();
  });

  it('a zero share turns a mechanism off', () => {
    expect(combinedWeights([1, 0], [1, 0], { rankingShare: 1, chunkingShare: 0, rule: 'halving' })).toEqual([1, 0]);
  });
});

describe('weight cadence and version key', () => {
  it('is due only after step 0 and when block − last_update > epoch_length', () => {
    expect(weightsDue(201, 100, 100, 1)).toBe(true);
    expect(weightsDue(200, 100, 100, 1)).toBe(false);
    expect(weightsDue(500, 100, 100, 0)).toBe(false);
  });

  it('version_key = 1000·major + 10·minor + patch', () => {
    expect(specVersion('0.0.1')).toBe(1);
    expect(specVersion('1.0.0')).toBe(1000);
    expect(specVersion('0.1.0')).toBe(10);
  });
});
