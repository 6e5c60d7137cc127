import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRanks, spearman } from './spearman.js';
import { close, golden, nanOf } from './test-utils/golden.js';

const vec = (n: number) => fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: n, maxLength: n });
const pairs = fc.integer({ min: 2, max: 40 }).chain((n) => fc.tuple(vec(n), vec(n)));

describe('spearman', () => {
  it('averages ranks of ties (scipy rankdata)', () => {
    expect([...averageRanks([10, 20, 20, 5])]).toEqual([2, 3.5, 3.5, 1]);
    for (const c of golden.rankdata) expect([...averageRanks(c.values)]).toEqual(c.ranks);
  });

  it('matches scipy.stats.spearmanr on golden vectors to 1e-12 relative, NaN included', () => {
    expect(golden.spearman.length).toBeGreaterThan(20);
    for (const c of golden.spearman) {
      const rho = spearman(nanOf(c.a), nanOf(c.b));
      if (c.rho === null) expect(rho, c.name).toBeNaN();
      else expect(close(rho, c.rho), `${c.name}: ${rho} vs ${c.rho}`).toBe(true);
    }
  });

  it('is NaN for a constant input, fewer than 2 points or a NaN value', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1], [2])).toBeNaN();
    expect(spearman([], [])).toBeNaN();
    expect(spearman([1, Number.NaN, 3], [1, 2, 3])).toBeNaN();
  });

  it('rejects vectors of different length', () => {
    expect(() => spearman([1, 2], [1, 2, 3])).toThrow(
      expect.objectContaining({ code: 'DOJO_SCORING_LENGTH_MISMATCH' }),
    );
  });

  it('property: lies in [-1, 1] or is NaN', () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const r = spearman(a, b);
        return Number.isNaN(r) || (r >= -1 && r <= 1);
      }),
    );
  });

  it('property: is symmetric', () => {
    fc.assert(fc.property(pairs, ([a, b]) => Object.is(spearman(a, b), spearman(b, a))));
  });

  it('property: is 1 for identical non-constant rankings', () => {
    fc.assert(
      fc.property(vec(10), (a) => {
        fc.pre(new Set(a).size > 1);
        return close(spearman(a, a), 1);
      }),
    );
  });

  it('property: is unchanged by a strictly increasing rescaling', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        ([a, b], k, c) => {
          // x ↦ k·x³ + c is strictly increasing; exact ties are preserved only when it is injective in floats, so use a tie-free a
          fc.pre(new Set(a).size === a.length);
          const mapped = a.map((x) => k * Math.atan(x) + c);
          fc.pre(new Set(mapped).size === mapped.length);
          const r1 = spearman(a, b);
          const r2 = spearman(mapped, b);
          return Number.isNaN(r1) ? Number.isNaN(r2) : close(r1, r2, 1e-12, 1e-12);
        },
      ),
    );
  });

  it('property: reversing one ranking negates ρ', () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const r = spearman(a, b);
        const s = spearman(
          a.map((x) => -x),
          b,
        );
        return Number.isNaN(r) ? Number.isNaN(s) : close(r, -s, 1e-12, 1e-12);
      }),
    );
  });
});
