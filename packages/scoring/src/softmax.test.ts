import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { softmax } from './softmax.js';
import { close, golden } from './test-utils/golden.js';

describe('softmax', () => {
  it('matches scipy.special.softmax on golden vectors to 1e-12 relative', () => {
    for (const c of golden.softmax) {
      const p = softmax(c.x);
      for (const [i, v] of p.entries()) expect(close(v, c.p[i] as number), `${v} vs ${c.p[i]}`).toBe(true);
    }
  });

  it('is uniform for equal logits and empty for no input', () => {
    expect(softmax([0, 0])).toEqual([0.5, 0.5]);
    expect(softmax([])).toEqual([]);
  });

  it('property: sums to 1 with every entry in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -700, max: 700, noNaN: true }), { minLength: 1, maxLength: 300 }), (x) => {
        const p = softmax(x);
        const sum = p.reduce((s, v) => s + v, 0);
        return Math.abs(sum - 1) < 1e-12 && p.every((v) => v >= 0 && v <= 1);
      }),
    );
  });

  it('property: is invariant under adding a constant and preserves order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 20 }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (x, c) => {
          const p = softmax(x);
          const q = softmax(x.map((v) => v + c));
          // shifting rounds x + c, so compare with an absolute tolerance
          const sameShift = p.every((v, i) => close(v, q[i] as number, 1e-9, 1e-12));
          const order = x.every((v, i) => !(v < (x[0] as number)) || (p[i] as number) <= (p[0] as number));
          return sameShift && order;
        },
      ),
    );
  });
});
