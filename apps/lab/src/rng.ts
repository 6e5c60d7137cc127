import { mulberry32, type Rng } from '@dojo-ts/scoring';

/** A seeded random stream (mulberry32) with the draws the lab needs. */
export class Stream implements Rng {
  private readonly rng: Rng;
  private spare: number | null = null;
  constructor(readonly seed: number) {
    this.rng = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.rng.next();
  }
  /** Standard normal (Box–Muller, caching the second draw). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.rng.next();
    const v = this.rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.rng.next() * n);
  }
  /** k distinct items without replacement (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const a = items.slice();
    const m = Math.min(k, a.length);
    for (let i = 0; i < m; i++) {
      const j = i + this.int(a.length - i);
      const t = a[i] as T;
      a[i] = a[j] as T;
      a[j] = t;
    }
    return a.slice(0, m);
  }
}
