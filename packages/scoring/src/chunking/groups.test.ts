import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../rng.js';
import { buildRankings, pickGroup, tournamentGroups } from './groups.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('buildRankings', () => {
  it('orders by score ascending, ties by uid, unscored uids last by uid', () => {
    expect(buildRankings([2, null, 0.5, 2, null, 0])).toEqual([5, 2, 0, 3, 1, 4]);
    expect(buildRankings([null, null, null])).toEqual([0, 1, 2]);
  });
});

describe('tournamentGroups', () => {
  it('uses windows of min(n, 25) with stride 12 and extends the last one to n (256 → 20 groups, tail reachable)', () => {
    const g = tournamentGroups(range(256));
    expect(g).toHaveLength(20);
    expect(g.map((x) => x.offset)).toEqual(range(20).map((i) => i * 12));
    expect(g[19]?.uids).toEqual(range(28).map((i) => 228 + i));
    expect(g[0]?.uids).toEqual(range(25));
  });

  it('handles n = 30, n = 25, small n and n < 2', () => {
    expect(tournamentGroups(range(30)).map((x) => [x.offset, x.uids.length])).toEqual([[0, 30]]);
    expect(tournamentGroups(range(37)).map((x) => [x.offset, x.uids.length])).toEqual([
      [0, 25],
      [12, 25],
    ]);
    expect(tournamentGroups(range(3)).map((x) => x.uids)).toEqual([[0, 1, 2]]);
    expect(tournamentGroups(range(3), 2).map((x) => x.uids)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(tournamentGroups([7])).toEqual([{ offset: 0, uids: [7] }]);
    expect(tournamentGroups([])).toEqual([{ offset: 0, uids: [] }]);
    expect(() => tournamentGroups(range(3), 0)).toThrow(/sampleSize/);
  });

  it('property: windows cover every rank position and each holds rankings[offset..]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.integer({ min: 1, max: 40 }), (n, size) => {
        const rankings = range(n).reverse();
        const groups = tournamentGroups(rankings, size);
        const covered = new Set(groups.flatMap((g) => g.uids));
        const slices = groups.every((g) => g.uids.every((u, i) => u === rankings[g.offset + i]));
        const sizes = groups.slice(0, -1).every((g) => g.uids.length === Math.min(n, size));
        return covered.size === n && slices && sizes;
      }),
    );
  });
});

describe('pickGroup', () => {
  const groups = tournamentGroups(range(60));
  it('picks the group holding the first organic uid found, group 0 included', () => {
    expect(pickGroup(groups, mulberry32(1), [999, 3])).toBe(0);
    expect(pickGroup(groups, mulberry32(1), [59])).toBe(groups.length - 1);
  });

  it('otherwise picks uniformly with the injected RNG', () => {
    const rng = mulberry32(2);
    const counts = new Array(groups.length).fill(0);
    for (let i = 0; i < 4000; i++) counts[pickGroup(groups, rng)]++;
    for (const c of counts) expect(c).toBeGreaterThan(4000 / groups.length / 2);
  });
});
