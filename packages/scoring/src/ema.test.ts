import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ema, resyncScores, rewardsFromScores } from './ema.js';

describe('ema', () => {
  it('weights the new value by α = 0.3 by default and decays absent uids by 0.7', () => {
    const [a, b] = ema([1, 0.5], [0, 1]) as [number, number];
    expect(a).toBeCloseTo(0.7, 15);
    expect(b).toBeCloseTo(0.65, 15);
  });

  it('rejects a length mismatch and an α outside [0, 1]', () => {
    expect(() => ema([1], [1, 2])).toThrow(expect.objectContaining({ code: 'DOJO_SCORING_LENGTH_MISMATCH' }));
    expect(() => ema([1], [1], 1.5)).toThrow(expect.objectContaining({ code: 'DOJO_SCORING_INVALID_INPUT' }));
  });

  it('property: every entry stays between its previous value and its reward', () => {
    const v = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(v, v), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (pairs, alpha) => {
          const out = ema(
            pairs.map((p) => p[0]),
            pairs.map((p) => p[1]),
            alpha,
          );
          return out.every((x, i) => {
            const [a, b] = pairs[i] as [number, number];
            const eps = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
            return x >= Math.min(a, b) - eps && x <= Math.max(a, b) + eps;
          });
        },
      ),
    );
  });
});

describe('rewardsFromScores', () => {
  it('places scores at their uid, skips unknown hotkeys and turns NaN into 0', () => {
    expect(rewardsFromScores({ b: 0.4, zz: 0.3, c: Number.NaN }, ['a', 'b', 'c'])).toEqual({
      rewards: [0, 0.4, 0],
      unknownHotkeys: ['zz'],
      nanHotkeys: ['c'],
    });
  });
});

describe('resyncScores', () => {
  it('keeps scores of unchanged uids and resets replaced and new uids to 0', () => {
    expect(resyncScores(['a', 'b', 'c'], [0.5, 0.2, 0.1], ['a', 'x', 'c', 'd'])).toEqual([0.5, 0, 0.1, 0]);
    expect(resyncScores(['a', 'b', 'c'], [0.5, 0.2, 0.1], ['a', 'b'])).toEqual([0.5, 0.2]);
    expect(resyncScores(['a'], [0.5], ['a'])).toEqual([0.5]);
  });
});
