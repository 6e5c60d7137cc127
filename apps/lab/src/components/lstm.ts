import type { Stream } from '../rng.js';

/** One LSTM layer with PyTorch's gate order (i, f, g, o) and initialisation U(−1/√H, 1/√H). */
export class LstmLayer {
  readonly W: Float64Array; // 4H × I
  readonly U: Float64Array; // 4H × H
  readonly b: Float64Array; // 4H
  constructor(
    readonly input: number,
    readonly hidden: number,
    rng: Stream,
  ) {
    const k = 1 / Math.sqrt(hidden);
    const init = (len: number) => Float64Array.from({ length: len }, () => (rng.next() * 2 - 1) * k);
    this.W = init(4 * hidden * input);
    this.U = init(4 * hidden * hidden);
    this.b = init(4 * hidden);
  }
  get params(): Float64Array[] {
    return [this.W, this.U, this.b];
  }
  /** Runs the sequence; returns per-step caches and outputs. */
  forward(xs: Float64Array[]): LstmCache {
    const H = this.hidden;
    const I = this.input;
    let h = new Float64Array(H);
    let c = new Float64Array(H);
    const cache: LstmCache = { xs, hs: [h], cs: [c], gates: [] };
    for (const x of xs) {
      const z = Float64Array.from(this.b);
      for (let r = 0; r < 4 * H; r++) {
        let s = z[r] as number;
        const wo = r * I;
        for (let j = 0; j < I; j++) s += (this.W[wo + j] as number) * (x[j] as number);
        const uo = r * H;
        for (let j = 0; j < H; j++) s += (this.U[uo + j] as number) * (h[j] as number);
        z[r] = s;
      }
      const g = new Float64Array(4 * H);
      const nc = new Float64Array(H);
      const nh = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        const ig = sig(z[j] as number);
        const fg = sig(z[H + j] as number);
        const gg = Math.tanh(z[2 * H + j] as number);
        const og = sig(z[3 * H + j] as number);
        g[j] = ig;
        g[H + j] = fg;
        g[2 * H + j] = gg;
        g[3 * H + j] = og;
        nc[j] = fg * (c[j] as number) + ig * gg;
        nh[j] = og * Math.tanh(nc[j] as number);
      }
      h = nh;
      c = nc;
      cache.hs.push(h);
      cache.cs.push(c);
      cache.gates.push(g);
    }
    return cache;
  }
  /**
   * Backpropagation through time.
   * @param cache - from {@link forward}.
   * @param dhs - gradient on each step's output (length T).
   * @param grads - accumulators [dW, dU, db].
   * @returns gradients on the inputs.
   */
  backward(cache: LstmCache, dhs: Float64Array[], grads: Float64Array[]): Float64Array[] {
    const H = this.hidden;
    const I = this.input;
    const [dW, dU, db] = grads as [Float64Array, Float64Array, Float64Array];
    const T = cache.xs.length;
    const dxs: Float64Array[] = new Array(T);
    let dhNext = new Float64Array(H);
    let dcNext = new Float64Array(H);
    for (let t = T - 1; t >= 0; t--) {
      const g = cache.gates[t] as Float64Array;
      const c = cache.cs[t + 1] as Float64Array;
      const cPrev = cache.cs[t] as Float64Array;
      const hPrev = cache.hs[t] as Float64Array;
      const x = cache.xs[t] as Float64Array;
      const dz = new Float64Array(4 * H);
      const dcPrev = new Float64Array(H);
      const ext = dhs[t] as Float64Array;
      for (let j = 0; j < H; j++) {
        const dh = (ext[j] as number) + (dhNext[j] as number);
        const ig = g[j] as number;
        const fg = g[H + j] as number;
        const gg = g[2 * H + j] as number;
        const og = g[3 * H + j] as number;
        const tc = Math.tanh(c[j] as number);
        const dc = (dcNext[j] as number) + dh * og * (1 - tc * tc);
        dz[j] = dc * gg * ig * (1 - ig);
        dz[H + j] = dc * (cPrev[j] as number) * fg * (1 - fg);
        dz[2 * H + j] = dc * ig * (1 - gg * gg);
        dz[3 * H + j] = dh * tc * og * (1 - og);
        dcPrev[j] = dc * fg;
      }
      const dx = new Float64Array(I);
      const dhPrev = new Float64Array(H);
      for (let r = 0; r < 4 * H; r++) {
        const d = dz[r] as number;
        if (d === 0) continue;
        db[r] = (db[r] as number) + d;
        const wo = r * I;
        for (let j = 0; j < I; j++) {
          dW[wo + j] = (dW[wo + j] as number) + d * (x[j] as number);
          dx[j] = (dx[j] as number) + d * (this.W[wo + j] as number);
        }
        const uo = r * H;
        for (let j = 0; j < H; j++) {
          dU[uo + j] = (dU[uo + j] as number) + d * (hPrev[j] as number);
          dhPrev[j] = (dhPrev[j] as number) + d * (this.U[uo + j] as number);
        }
      }
      dxs[t] = dx;
      dhNext = dhPrev;
      dcNext = dcPrev;
    }
    return dxs;
  }
}

/** Per-sequence cache of {@link LstmLayer.forward}: hs/cs have T+1 entries (index 0 = zeros). */
export interface LstmCache {
  xs: Float64Array[];
  hs: Float64Array[];
  cs: Float64Array[];
  gates: Float64Array[];
}

function sig(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * The lab's gating objective (lab.md §7): MSE between softmax(rewards) and softmax(scores) over the selected uids.
 * @param scores - gating scores of the selected uids.
 * @param rewards - their rewards (detached).
 * @returns the loss and its gradient on `scores`.
 */
export function gatingLoss(scores: readonly number[], rewards: readonly number[]): { loss: number; grad: number[] } {
  const k = scores.length;
  const p = softmaxArr(scores);
  const t = softmaxArr(rewards);
  let loss = 0;
  const dp: number[] = [];
  for (let j = 0; j < k; j++) {
    const d = (p[j] as number) - (t[j] as number);
    loss += d * d;
    dp.push((2 * d) / k);
  }
  let dot = 0;
  for (let j = 0; j < k; j++) dot += (p[j] as number) * (dp[j] as number);
  return { loss: loss / k, grad: p.map((pj, j) => pj * ((dp[j] as number) - dot)) };
}

function softmaxArr(x: readonly number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
