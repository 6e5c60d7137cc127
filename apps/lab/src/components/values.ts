import { LabConfigError } from '../errors.js';
import { Stream } from '../rng.js';

/** Produces n values per call (lab.md §5.1). */
export interface ValueGenerator {
  values(n: number): number[];
}

/** n copies of `value`. */
export class ConstantValue implements ValueGenerator {
  constructor(readonly value: number) {}
  values(n: number): number[] {
    return new Array<number>(n).fill(this.value);
  }
}

/** Options of {@link RandomValue}. */
export interface RandomValueOptions {
  seed?: number;
  distribution?: string;
  p0?: number;
  p1?: number;
}

/** n draws of `p0·U[0,1) + p1` or `p0·N(0,1) + p1` from one stream that advances across calls. */
export class RandomValue implements ValueGenerator {
  private readonly stream: Stream;
  readonly distribution: 'uniform' | 'normal';
  readonly p0: number;
  readonly p1: number;
  constructor(options: RandomValueOptions = {}) {
    const d = options.distribution ?? 'uniform';
    if (d !== 'uniform' && d !== 'normal') throw new LabConfigError(`unknown distribution "${d}" (uniform or normal)`);
    this.distribution = d;
    this.stream = new Stream(options.seed ?? 0);
    this.p0 = options.p0 ?? 1;
    this.p1 = options.p1 ?? 0;
  }
  values(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const z = this.distribution === 'uniform' ? this.stream.next() : this.stream.normal();
      out.push(this.p0 * z + this.p1);
    }
    return out;
  }
}

/** Draws once and returns the cached vector on every later call, whatever n is. */
export class FrozenRandomValue implements ValueGenerator {
  private readonly inner: RandomValue;
  private cached: number[] | null = null;
  constructor(options: RandomValueOptions = {}) {
    this.inner = new RandomValue(options);
  }
  values(n: number): number[] {
    this.cached ??= this.inner.values(n);
    return this.cached.slice();
  }
}

/** A linspace of `length` points from lo to hi, sliced `[start, start + n)`. */
export class StepValue implements ValueGenerator {
  constructor(
    readonly lo = 0,
    readonly hi = 1,
    readonly length = 10,
    readonly start = 0,
  ) {}
  values(n: number): number[] {
    const pts = Array.from({ length: this.length }, (_, i) =>
      this.length === 1 ? this.lo : this.lo + ((this.hi - this.lo) * i) / (this.length - 1),
    );
    return pts.slice(this.start, this.start + n);
  }
}
