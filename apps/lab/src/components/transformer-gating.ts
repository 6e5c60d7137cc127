import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabConfigError } from '../errors.js';
import { Stream } from '../rng.js';
import type { DummyMetagraph } from './chain.js';
import { BaseGatingModel } from './gating.js';
import { gatingLoss } from './lstm.js';
import type { Tokenize } from './tokenizer.js';

/** Architecture sizes of {@link HuggingFaceGatingModel}. */
export interface TransformerSizes {
  hidden_size: number;
  num_layers: number;
  num_heads: number;
}

/** Sizes of model ids known without a download (their Hugging Face `config.json`). */
export const KNOWN_CONFIGS: Record<string, TransformerSizes> = {
  'EleutherAI/gpt-neo-125m': { hidden_size: 768, num_layers: 12, num_heads: 12 },
  gpt2: { hidden_size: 768, num_layers: 12, num_heads: 12 },
};

/**
 * Reads a model's sizes from a local folder's `config.json` (GPT-2/GPT-Neo/BERT key names) or {@link KNOWN_CONFIGS};
 * explicit overrides win.
 * @throws {LabConfigError} when a size is unknown.
 */
export function transformerSizes(modelName: string, overrides: Partial<TransformerSizes>): TransformerSizes {
  let base: Partial<TransformerSizes> = KNOWN_CONFIGS[modelName] ?? {};
  const file = join(modelName, 'config.json');
  if (existsSync(file)) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number | undefined>;
    base = {
      hidden_size: c.hidden_size ?? c.n_embd ?? c.d_model,
      num_layers: c.num_layers ?? c.n_layer ?? c.num_hidden_layers,
      num_heads: c.num_heads ?? c.n_head ?? c.num_attention_heads,
    };
  }
  const out = {
    ...base,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  } as Partial<TransformerSizes>;
  for (const k of ['hidden_size', 'num_layers', 'num_heads'] as const) {
    const v = out[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new LabConfigError(
        `HuggingFaceGatingModel: ${k} unknown for "${modelName}"; pass it in args or point model_name at a folder with config.json`,
      );
    }
  }
  if ((out.hidden_size as number) % (out.num_heads as number) !== 0)
    throw new LabConfigError('HuggingFaceGatingModel: hidden_size must be divisible by num_heads');
  return out as TransformerSizes;
}

interface Layer {
  wq: Float64Array;
  wk: Float64Array;
  wv: Float64Array;
  wo: Float64Array;
  w1: Float64Array;
  w2: Float64Array;
}

function matVec(w: Float64Array, x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * cols;
    for (let c = 0; c < cols; c++) s += (w[o + c] as number) * (x[c] as number);
    out[r] = s;
  }
  return out;
}

function layerNorm(x: Float64Array): Float64Array {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let v2 = 0;
  for (const v of x) v2 += (v - m) ** 2;
  const sd = Math.sqrt(v2 / x.length + 1e-5);
  return x.map((v) => (v - m) / sd);
}

function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(0.7978845608 * (x + 0.044715 * x ** 3)));
}

/**
 * A decoder-only transformer built from a model's configuration with random weights (never pretrained; lab.md §5.3):
 * frozen token embeddings, sinusoidal positions, pre-LN causal self-attention and GELU MLP blocks; the last token's
 * final hidden state goes through a linear head to n scores. Only the head is trained (SGD with momentum on the §7
 * objective); the random body is a fixed feature extractor.
 */
export class HuggingFaceGatingModel extends BaseGatingModel {
  readonly name = 'HuggingFaceGatingModel';
  private readonly layers: Layer[] = [];
  private readonly emb = new Map<number, Float64Array>();
  private head = new Float64Array(0);
  private bias = new Float64Array(0);
  private vHead = new Float64Array(0);
  private vBias = new Float64Array(0);
  private lastHidden: Float64Array | null = null;
  private readonly rng: Stream;
  constructor(
    readonly sizes: TransformerSizes,
    private readonly tokenize: Tokenize,
    private readonly o: { seed?: number; learning_rate?: number; momentum?: number; max_length?: number } = {},
  ) {
    super();
    this.rng = new Stream(o.seed ?? 0);
    const H = sizes.hidden_size;
    const init = (len: number, fanIn: number) =>
      Float64Array.from({ length: len }, () => this.rng.normal() / Math.sqrt(fanIn));
    for (let l = 0; l < sizes.num_layers; l++) {
      this.layers.push({
        wq: init(H * H, H),
        wk: init(H * H, H),
        wv: init(H * H, H),
        wo: init(H * H, H),
        w1: init(4 * H * H, H),
        w2: init(4 * H * H, 4 * H),
      });
    }
  }
  override get trainable(): boolean {
    return true;
  }
  override attach(metagraph: DummyMetagraph): void {
    super.attach(metagraph);
    const H = this.sizes.hidden_size;
    const k = 1 / Math.sqrt(H);
    this.head = Float64Array.from({ length: metagraph.n * H }, () => (this.rng.next() * 2 - 1) * k);
    this.bias = Float64Array.from({ length: metagraph.n }, () => (this.rng.next() * 2 - 1) * k);
    this.vHead = new Float64Array(this.head.length);
    this.vBias = new Float64Array(this.bias.length);
  }
  private embed(id: number, pos: number): Float64Array {
    const H = this.sizes.hidden_size;
    let e = this.emb.get(id);
    if (!e) {
      const s = new Stream(((this.o.seed ?? 0) * 1_000_003 + id * 7919 + 29) >>> 0);
      e = Float64Array.from({ length: H }, () => s.normal());
      if (this.emb.size < 100_000) this.emb.set(id, e);
    }
    return e.map(
      (v, i) => v + (i % 2 === 0 ? Math.sin(pos / 10000 ** (i / H)) : Math.cos(pos / 10000 ** ((i - 1) / H))),
    );
  }
  /** The last token's final hidden state. */
  hiddenState(prompt: string): Float64Array {
    const H = this.sizes.hidden_size;
    const nh = this.sizes.num_heads;
    const dh = H / nh;
    let ids = this.tokenize(prompt).slice(-(this.o.max_length ?? 128));
    if (ids.length === 0) ids = [0];
    let xs = ids.map((id, p) => this.embed(id, p));
    for (const L of this.layers) {
      const ln = xs.map(layerNorm);
      const q = ln.map((x) => matVec(L.wq, x, H, H));
      const k = ln.map((x) => matVec(L.wk, x, H, H));
      const v = ln.map((x) => matVec(L.wv, x, H, H));
      xs = xs.map((x, t) => {
        const att = new Float64Array(H);
        for (let h = 0; h < nh; h++) {
          const sc: number[] = [];
          for (let u = 0; u <= t; u++) {
            let s = 0;
            for (let d = h * dh; d < (h + 1) * dh; d++) s += (q[t]?.[d] as number) * (k[u]?.[d] as number);
            sc.push(s / Math.sqrt(dh));
          }
          const m = Math.max(...sc);
          const e = sc.map((s) => Math.exp(s - m));
          const z = e.reduce((a, b) => a + b, 0);
          for (let u = 0; u <= t; u++) {
            const w = (e[u] as number) / z;
            for (let d = h * dh; d < (h + 1) * dh; d++) att[d] = (att[d] as number) + w * (v[u]?.[d] as number);
          }
        }
        const y = matVec(L.wo, att, H, H).map((a, i) => a + (x[i] as number));
        const hdn = matVec(L.w1, layerNorm(y), 4 * H, H).map(gelu);
        return matVec(L.w2, hdn, H, 4 * H).map((a, i) => a + (y[i] as number));
      });
    }
    return layerNorm(xs[xs.length - 1] as Float64Array);
  }
  forward(prompt: string): number[] {
    const h = this.hiddenState(prompt);
    this.lastHidden = h;
    const H = h.length;
    return Array.from({ length: this.n }, (_, u) => {
      let s = this.bias[u] as number;
      for (let j = 0; j < H; j++) s += (this.head[u * H + j] as number) * (h[j] as number);
      return s;
    });
  }
  override backward(uids: readonly number[], scores: readonly number[], rewards: readonly number[]): number | null {
    if (!this.lastHidden || uids.length === 0) return null;
    const { loss, grad } = gatingLoss(scores, rewards);
    const h = this.lastHidden;
    const H = h.length;
    const lr = this.o.learning_rate ?? 0.01;
    const mu = this.o.momentum ?? 0.9;
    // Gradients are zeroed each step: only this step's gradient enters the momentum buffer.
    const gW = new Float64Array(this.head.length);
    const gB = new Float64Array(this.bias.length);
    uids.forEach((u, i) => {
      gB[u] = grad[i] as number;
      for (let j = 0; j < H; j++) gW[u * H + j] = (grad[i] as number) * (h[j] as number);
    });
    for (const [p, g, v] of [
      [this.head, gW, this.vHead],
      [this.bias, gB, this.vBias],
    ] as const) {
      for (let i = 0; i < p.length; i++) {
        v[i] = mu * (v[i] as number) + (g[i] as number);
        p[i] = (p[i] as number) - lr * (v[i] as number);
      }
    }
    this.pushLoss(loss);
    return loss;
  }
}
