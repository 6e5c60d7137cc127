import { mulberry32, type Rng } from '@dojo-ts/scoring';

/** FNV-1a 32-bit hash of a string, used to derive fixed sub-seeds (per request and model) from the run seed. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const s = parts.join('\u0000');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A mulberry32 stream seeded from the given parts (deterministic, independent of call order elsewhere). */
export function subRng(...parts: Array<string | number>): Rng {
  return mulberry32(hashSeed(...parts));
}

/** One standard normal draw (Box–Muller) from `rng`. */
export function normal(rng: Rng): number {
  let u = rng.next();
  while (u <= 1e-300) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Clamps `x` into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a;
}
