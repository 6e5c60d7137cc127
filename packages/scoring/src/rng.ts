import { ScoringInputError } from './errors.js';

/** A source of uniform numbers in [0, 1); scoring never calls `Math.random`, callers inject one of these. */
export interface Rng {
  next(): number;
}

/**
 * The mulberry32 generator (32-bit state), the default seeded {@link Rng}.
 * @param seed - any number; only its low 32 bits are used.
 * @returns a deterministic {@link Rng}.
 * @example
 * const rng = mulberry32(42); rng.next(); // 0.6011037519201636
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * Draws `k` items uniformly without replacement, in random order (partial Fisher–Yates over a copy, chunking.md §6.3).
 * @param rng - injected generator.
 * @param items - population (not mutated).
 * @param k - sample size, `0 ≤ k ≤ items.length`.
 * @returns the sampled items.
 * @throws {ScoringInputError} DOJO_SCORING_INVALID_INPUT when k is out of range.
 * @example
 * sample(mulberry32(1), ['a', 'b', 'c'], 2);
 */
export function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  if (!Number.isInteger(k) || k < 0 || k > items.length) {
    throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `sample size ${k} outside [0, ${items.length}]`);
  }
  const copy = items.slice();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (copy.length - i));
    const tmp = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = tmp;
  }
  return copy.slice(0, k);
}
