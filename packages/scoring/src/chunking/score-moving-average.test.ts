import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resyncRankScores, updateRankScores } from './score-moving-average.js';

describe('updateRankScores', () => {
  it('lets a new miner join at its first rank (K4) and moves others by α = 0.15', () => {
    const out = updateRankScores([null, 4, 10], [0, 1], [2, 0]);
    expect(out[0]).toBe(2);
    expect(out[1]).toBeCloseTo(3.4, 15);
    expect(out[2]).toBe(10);
  });

  it('rejects mismatched lengths, unknown uids and a bad α', () => {
    expect(() => updateRankScores([1], [0], [1, 2])).toThrow(
      expect.objectContaining({ code: 'DOJO_SCORING_LENGTH_MISMATCH' }),
    );
    expect(() => updateRankScores([1], [3], [1])).toThrow(/unknown uid/);
    expect(() => updateRankScores([1], [0], [1], -0.1)).toThrow(/alpha/);
  });

  it('property: an updated score stays between the old score and the new rank', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 300, noNaN: true }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (old, g, a) => {
          const v = updateRankScores([old], [0], [g], a)[0] as number;
          return v >= Math.min(old, g) - 1e-9 && v <= Math.max(old, g) + 1e-9;
        },
      ),
    );
  });
});

describe('resyncRankScores', () => {
  it('keeps unchanged hotkeys, clears replaced and new uids (no score), drops removed uids', () => {
    expect(resyncRankScores(['a', 'b', 'c'], [1, 2, 3], ['a', 'x', 'c', 'd'])).toEqual([1, null, 3, null]);
    expect(resyncRankScores(['a', 'b'], [1, 2], ['a'])).toEqual([1]);
  });
});
