import { LabConfigError } from '../errors.js';
import { Stream } from '../rng.js';
import type { DummyMetagraph } from './chain.js';
import { gatingLoss, type LstmCache, LstmLayer } from './lstm.js';
import type { Tokenize } from './tokenizer.js';
import { FrozenRandomValue, RandomValue, type ValueGenerator } from './values.js';

/** A gating model: prompt → one score per uid; `backward` trains on (selected uids, rewards) (lab.md §5.3). */
export interface GatingModel {
  readonly name: string;
  /** FIFO of losses (query loss, completion loss, …). */
  readonly lossHistory: number[];
  /** Whether it has trainable parameters. */
  readonly trainable: boolean;
  attach(metagraph: DummyMetagraph): void;
  forward(prompt: string): number[];
  /** Trains on the scores of the selected uids of the last forward against their rewards; returns the loss or null. */
  backward(uids: readonly number[], scores: readonly number[], rewards: readonly number[]): number | null;
  /** Sees the completions of each forward (used by LongestMessageGatingModel). */
  observe?(uids: readonly number[], completions: readonly string[]): void;
}

const LOSS_HISTORY_MAX = 10_000;

/** Common state: metagraph, loss history (bounded FIFO). */
export abstract class BaseGatingModel implements GatingModel {
  abstract readonly name: string;
  readonly lossHistory: number[] = [];
  get trainable(): boolean {
    return false;
  }
  protected metagraph: DummyMetagraph | null = null;
  attach(metagraph: DummyMetagraph): void {
    this.metagraph = metagraph;
  }
  protected get n(): number {
    if (!this.metagraph) throw new LabConfigError(`${this.name}: no metagraph attached`);
    return this.metagraph.n;
  }
  protected pushLoss(loss: number): void {
    this.lossHistory.push(loss);
    if (this.lossHistory.length > LOSS_HISTORY_MAX) this.lossHistory.shift();
  }
  abstract forward(prompt: string): number[];
  backward(_uids: readonly number[], _scores: readonly number[], _rewards: readonly number[]): number | null {
    return null;
  }
}

/** n copies of `value`; backward is a no-op. */
export class ConstantGatingModel extends BaseGatingModel {
  readonly name = 'ConstantGatingModel';
  constructor(readonly value = 1) {
    super();
  }
  forward(): number[] {
    return new Array<number>(this.n).fill(this.value);
  }
}

/** Random scores per forward (the same vector when frozen); backward no-op and draws nothing. */
export class RandomGatingModel extends BaseGatingModel {
  readonly name = 'RandomGatingModel';
  private readonly gen: ValueGenerator;
  constructor(opts: { frozen?: boolean; seed?: number; distribution?: string; p0?: number; p1?: number } = {}) {
    super();
    const { frozen, ...rest } = opts;
    this.gen = frozen ? new FrozenRandomValue(rest) : new RandomValue(rest);
  }
  forward(): number[] {
    return this.gen.values(this.n);
  }
}

/** Score 1 for the `n` uids whose previous completions were longest (ties by uid), 0 otherwise. */
export class LongestMessageGatingModel extends BaseGatingModel {
  readonly name = 'LongestMessageGatingModel';
  private readonly lengths = new Map<number, number>();
  constructor(readonly top = 10) {
    super();
  }
  observe(uids: readonly number[], completions: readonly string[]): void {
    uids.forEach((u, i) => {
      this.lengths.set(u, (completions[i] ?? '').length);
    });
  }
  forward(): number[] {
    const n = this.n;
    const order = Array.from({ length: n }, (_, u) => u).sort(
      (a, b) => (this.lengths.get(b) ?? 0) - (this.lengths.get(a) ?? 0) || a - b,
    );
    const out = new Array<number>(n).fill(0);
    for (const u of order.slice(0, this.top)) out[u] = 1;
    return out;
  }
}

/** Keeps a subset of a base model's scores (top-k, random k or a fixed list); the rest get `fill`. */
export class MaskedGatingModel extends BaseGatingModel {
  readonly name = 'MaskedGatingModel';
  readonly mode: 'topk' | 'random' | 'fixed';
  private kept = new Set<number>();
  constructor(
    readonly base: GatingModel,
    readonly mask: number | number[],
    mode: string | undefined,
    readonly fill: number,
    private readonly stream: Stream,
  ) {
    super();
    const m = mode ?? (Array.isArray(mask) ? 'fixed' : 'topk');
    if (m !== 'topk' && m !== 'random' && m !== 'fixed')
      throw new LabConfigError(`MaskedGatingModel: unknown mode "${m}"`);
    if (m === 'fixed' && !Array.isArray(mask))
      throw new LabConfigError('MaskedGatingModel: mode fixed needs a list of uids');
    if (m !== 'fixed' && (typeof mask !== 'number' || !Number.isInteger(mask) || mask < 0)) {
      throw new LabConfigError('MaskedGatingModel: modes topk/random need an integer mask');
    }
    this.mode = m;
  }
  override get trainable(): boolean {
    return this.base.trainable;
  }
  override attach(metagraph: DummyMetagraph): void {
    super.attach(metagraph);
    this.base.attach(metagraph);
  }
  forward(prompt: string): number[] {
    const s = this.base.forward(prompt);
    const all = s.map((_, u) => u);
    let keep: number[];
    if (this.mode === 'fixed') keep = (this.mask as number[]).filter((u) => u >= 0 && u < s.length);
    else if (this.mode === 'random') keep = this.stream.sample(all, this.mask as number);
    else keep = all.sort((a, b) => (s[b] as number) - (s[a] as number) || a - b).slice(0, this.mask as number);
    this.kept = new Set(keep);
    return s.map((v, u) => (this.kept.has(u) ? v : this.fill));
  }
  override backward(uids: readonly number[], scores: readonly number[], rewards: readonly number[]): number | null {
    const idx = uids.map((u, i) => (this.kept.has(u) ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) return null;
    const loss = this.base.backward(
      idx.map((i) => uids[i] as number),
      idx.map((i) => scores[i] as number),
      idx.map((i) => rewards[i] as number),
    );
    if (loss !== null) this.pushLoss(loss);
    return loss;
  }
}

/** Options of {@link SequentialGatingModel}. */
export interface SequentialGatingOptions {
  tokenize: Tokenize;
  hidden_size: number | number[];
  embedding_dim: number;
  learning_rate?: number;
  momentum?: number;
  max_length?: number;
  seed?: number;
}

/**
 * Frozen random embedding → stacked LSTMs → linear to n; the last token's output gives the scores. Trained with the
 * §7 objective by hand-written backpropagation through time and SGD with momentum (gradients zeroed every step).
 */
export class SequentialGatingModel extends BaseGatingModel {
  readonly name = 'SequentialGatingModel';
  override get trainable(): boolean {
    return true;
  }
  private readonly layers: LstmLayer[] = [];
  private linW = new Float64Array(0);
  private linB = new Float64Array(0);
  private readonly velocity = new Map<Float64Array, Float64Array>();
  private readonly embeddingCache = new Map<number, Float64Array>();
  private last: { caches: LstmCache[]; top: Float64Array } | null = null;
  private readonly rng: Stream;
  readonly hidden: number[];
  constructor(private readonly o: SequentialGatingOptions) {
    super();
    this.hidden = Array.isArray(o.hidden_size) ? o.hidden_size : [o.hidden_size];
    if (this.hidden.length === 0 || this.hidden.some((h) => !Number.isInteger(h) || h < 1)) {
      throw new LabConfigError('SequentialGatingModel: hidden_size must be a positive int or list of them');
    }
    this.rng = new Stream(o.seed ?? 0);
    let inp = o.embedding_dim;
    for (const h of this.hidden) {
      this.layers.push(new LstmLayer(inp, h, this.rng));
      inp = h;
    }
  }
  override attach(metagraph: DummyMetagraph): void {
    super.attach(metagraph);
    const h = this.hidden[this.hidden.length - 1] as number;
    const k = 1 / Math.sqrt(h);
    this.linW = Float64Array.from({ length: metagraph.n * h }, () => (this.rng.next() * 2 - 1) * k);
    this.linB = Float64Array.from({ length: metagraph.n }, () => (this.rng.next() * 2 - 1) * k);
  }
  /** Frozen N(0,1) embedding row of a token id, generated from a per-id seed (a lazily materialised table). */
  private embed(id: number): Float64Array {
    let e = this.embeddingCache.get(id);
    if (!e) {
      const s = new Stream(((this.o.seed ?? 0) * 1_000_003 + id * 7919 + 17) >>> 0);
      e = Float64Array.from({ length: this.o.embedding_dim }, () => s.normal());
      if (this.embeddingCache.size < 100_000) this.embeddingCache.set(id, e);
    }
    return e;
  }
  forward(prompt: string): number[] {
    let ids = this.o.tokenize(prompt).slice(0, this.o.max_length ?? 128);
    if (ids.length === 0) ids = [0];
    let xs = ids.map((id) => this.embed(id));
    const caches: LstmCache[] = [];
    for (const layer of this.layers) {
      const c = layer.forward(xs);
      caches.push(c);
      xs = c.hs.slice(1);
    }
    const top = xs[xs.length - 1] as Float64Array;
    this.last = { caches, top };
    const n = this.n;
    const H = top.length;
    const out: number[] = [];
    for (let u = 0; u < n; u++) {
      let s = this.linB[u] as number;
      for (let j = 0; j < H; j++) s += (this.linW[u * H + j] as number) * (top[j] as number);
      out.push(s);
    }
    return out;
  }
  /** Gradients of the §7 loss w.r.t. every parameter for the last forward (exposed for gradient checks). */
  gradients(
    uids: readonly number[],
    scores: readonly number[],
    rewards: readonly number[],
  ): { loss: number; grads: Map<Float64Array, Float64Array> } {
    if (!this.last) throw new LabConfigError('SequentialGatingModel: backward before forward');
    const { loss, grad } = gatingLoss(scores, rewards);
    const { caches, top } = this.last;
    const H = top.length;
    const grads = new Map<Float64Array, Float64Array>();
    const dW = new Float64Array(this.linW.length);
    const dB = new Float64Array(this.linB.length);
    const dTop = new Float64Array(H);
    uids.forEach((u, i) => {
      const g = grad[i] as number;
      dB[u] = (dB[u] as number) + g;
      for (let j = 0; j < H; j++) {
        dW[u * H + j] = (dW[u * H + j] as number) + g * (top[j] as number);
        dTop[j] = (dTop[j] as number) + g * (this.linW[u * H + j] as number);
      }
    });
    grads.set(this.linW, dW);
    grads.set(this.linB, dB);
    const T = caches[0]?.xs.length ?? 0;
    let dhs: Float64Array[] = Array.from({ length: T }, (_, t) => (t === T - 1 ? dTop : new Float64Array(H)));
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l] as LstmLayer;
      const g = layer.params.map((p) => new Float64Array(p.length));
      dhs = layer.backward(caches[l] as LstmCache, dhs, g);
      layer.params.forEach((p, i) => {
        grads.set(p, g[i] as Float64Array);
      });
    }
    return { loss, grads };
  }
  /** Every trainable parameter array (the embedding is frozen). */
  get parameters(): Float64Array[] {
    return [...this.layers.flatMap((l) => l.params), this.linW, this.linB];
  }
  override backward(uids: readonly number[], scores: readonly number[], rewards: readonly number[]): number | null {
    if (uids.length === 0) return null;
    const { loss, grads } = this.gradients(uids, scores, rewards);
    const lr = this.o.learning_rate ?? 0.01;
    const mu = this.o.momentum ?? 0.9;
    for (const [p, g] of grads) {
      let v = this.velocity.get(p);
      if (!v) {
        v = Float64Array.from(g);
        this.velocity.set(p, v);
      } else for (let i = 0; i < v.length; i++) v[i] = mu * (v[i] as number) + (g[i] as number);
      for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) - lr * (v[i] as number);
    }
    this.pushLoss(loss);
    return loss;
  }
}
