import { describe, expect, it } from 'vitest';
import { ConstantValue, FrozenRandomValue, RandomValue, StepValue } from './values.js';

describe('value generators (lab.md §5.1)', () => {
  it('ConstantValue returns n copies', () => {
    expect(new ConstantValue(0.3).values(3)).toEqual([0.3, 0.3, 0.3]);
  });
  it('RandomValue advances one seeded stream across calls and scales by p0, p1', () => {
    const a = new RandomValue({ seed: 5, p0: 2, p1: 10 });
    const first = a.values(4);
    const second = a.values(4);
    expect(first).not.toEqual(second);
    expect(new RandomValue({ seed: 5, p0: 2, p1: 10 }).values(8)).toEqual([...first, ...second]);
    for (const v of first) expect(v >= 10 && v < 12).toBe(true);
  });
  it('RandomValue normal draws have the configured location and scale', () => {
    const v = new RandomValue({ seed: 1, distribution: 'normal', p0: 3, p1: -1 }).values(4000);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(mean).toBeCloseTo(-1, 0);
    expect(sd).toBeGreaterThan(2.7);
    expect(sd).toBeLessThan(3.3);
  });
  it('RandomValue rejects any other distribution', () => {
    expect(() => new RandomValue({ distribution: 'beta' })).toThrow(/unknown distribution/);
  });
  it('FrozenRandomValue returns the first vector whatever n is', () => {
    const f = new FrozenRandomValue({ seed: 2 });
    const v = f.values(3);
    expect(f.values(10)).toEqual(v);
  });
  it('StepValue slices a linspace', () => {
    expect(new StepValue(0, 1, 5, 1).values(3)).toEqual([0.25, 0.5, 0.75]);
  });
});
