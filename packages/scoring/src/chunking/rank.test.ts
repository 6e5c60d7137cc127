import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globalRanks, rankResponses } from './rank.js';

describe('rankResponses', () => {
  it('ranks the seed notebook rewards descending: [3, 0, 2, 1]', () => {
    expect(rankResponses([0.00392112, 0.00406185, 0.00398069, 0.00400092])).toEqual([3, 0, 2, 1]);
  });

  it('gives zero, negative and NaN rewards −1 and breaks ties by group order', () => {
    const rewards = [0.5, 0, 0.7, 0.5, Number.NaN, -1];
    expect(rankResponses(rewards)).toEqual([1, -1, 0, 2, -1, -1]);
    expect(rewards).toEqual([0.5, 0, 0.7, 0.5, Number.NaN, -1]);
  });

  it('property: positive rewards get a permutation of 0..k−1 ordered by reward', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1, noNaN: true })), { maxLength: 30 }),
        (r) => {
          const ranks = rankResponses(r);
          const pos = ranks.filter((x) => x >= 0).sort((a, b) => a - b);
          const k = r.filter((x) => x > 0).length;
          const perm = pos.every((x, i) => x === i) && pos.length === k;
          const ordered = r.every((a, i) =>
            r.every((b, j) => !(a > 0 && b > 0 && a > b) || (ranks[i] as number) < (ranks[j] as number)),
          );
          return perm && ordered;
        },
      ),
    );
  });
});

describe('globalRanks', () => {
  it('adds the group offset and puts failures last in the group (K3)', () => {
    expect(globalRanks([1, -1, 0], 12)).toEqual([13, 14, 12]);
    expect(globalRanks(rankResponses([0, 0.2, 0, 0.1]), 0)).toEqual([3, 0, 3, 1]);
  });
});
