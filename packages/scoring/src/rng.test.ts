import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32, sample } from './rng.js';

describe('mulberry32', () => {
  it('is deterministic per seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43).next()).not.toBe(xs[0]);
  });
});

describe('sample', () => {
  it('property: returns k distinct items of the population without mutating it', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 60 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }), fc.integer())),
        ([n, k, seed]) => {
          const items = Array.from({ length: n }, (_, i) => i);
          const out = sample(mulberry32(seed), items, k);
          return out.length === k && new Set(out).size === k && items.every((v, i) => v === i);
        },
      ),
    );
  });

  it('is roughly uniform over positions', () => {
    const rng = mulberry32(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) {
      const k = sample(rng, [0, 1, 2, 3], 1)[0] as number;
      counts[k] = (counts[k] as number) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it('rejects k out of range', () => {
    expect(() => sample(mulberry32(1), [1], 2)).toThrow(
      expect.objectContaining({ code: 'DOJO_SCORING_INVALID_INPUT' }),
    );
  });
});
