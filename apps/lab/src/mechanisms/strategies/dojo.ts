import type { Rng, ScoringMethod } from '@dojo-ts/scoring';
import type { Obj } from '../config.js';
import type { SimRequest } from '../documents.js';
import type { SimMiner } from '../pool.js';
import { clamp, normal, subRng } from '../random.js';

/** The model honest `hf_model` miners declare by default (dojo.md §15.1). */
export const DEFAULT_HF_MODEL = 'OpenAssistant/reward-model-deberta-v3-large-v2';
/** The model honest `llm_api` miners declare by default. */
export const DEFAULT_LLM_MODEL = 'mistralai/Mixtral-8x7B-Instruct-v0.1';
/** Noise of a real model's answer around the hidden quality (lab.md §9.2 honest). */
export const MODEL_NOISE = 0.05;

/** A simulated miner reply to one ranking request. */
export interface DojoReply {
  hotkey: string;
  method: ScoringMethod;
  /** Declared model (`model_config.model_name`); empty for MTurk. */
  model: string;
  /** Raw scores on the method's range (0..1, or 1..10 for MTurk). */
  scores: Record<string, number>;
  /** MTurk evidence the validator verifies (dojo.md §9.2). */
  mturk?: { environment: 'production' | 'sandbox'; distinctWorkers: number };
}

/** What a strategy can see when answering. */
export interface DojoStrategyInput {
  seed: number;
  request: SimRequest;
  /** The run's seeded stream. */
  rng: Rng;
  /** The honest answer of a declared model for this request (fixed noise seed per request and model). */
  modelAnswer: (model: string) => Record<string, number>;
  /** Mean of the honest miners' scores for this request (the copycat's relay). */
  honestMean: () => Record<string, number>;
}

const str = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
const nbr = (v: unknown, d: number) => (typeof v === 'number' ? v : d);

/** Declared method and model of a model-based strategy. */
export function declared(args: Obj): { method: 'hf_model' | 'llm_api'; model: string } {
  const method = args.method === 'llm_api' ? 'llm_api' : 'hf_model';
  return { method, model: str(args.model, method === 'llm_api' ? DEFAULT_LLM_MODEL : DEFAULT_HF_MODEL) };
}

/** The honest answer of `model` for `request`: `clamp(q + N(0, noise))`, noise seeded per (run, request, model). */
export function modelAnswer(
  seed: number,
  request: SimRequest,
  model: string,
  noise = MODEL_NOISE,
): Record<string, number> {
  const r = subRng(seed, request.id, model);
  const out: Record<string, number> = {};
  for (const c of request.completions) out[c.cid] = clamp(c.q + noise * normal(r), 0, 1);
  return out;
}

function tokens(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((t) => t.length > 0),
  );
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : inter / union;
}

const map = (req: SimRequest, f: (c: SimRequest['completions'][number], j: number) => number) =>
  Object.fromEntries(req.completions.map((c, j) => [c.cid, f(c, j)]));

/** Default cost per request of a Dojo strategy (lab.md §9.1). */
export function dojoDefaultCost(strategy: string, args: Obj): number {
  switch (strategy) {
    case 'honest':
    case 'noisy':
      return declared(args).method === 'llm_api' ? 2 : 1;
    case 'model_spoof':
      return 0.2;
    case 'honest_mturk':
      return nbr(args.workers, 3) * nbr(args.reward_per_assignment, 0.03) * (1 + nbr(args.fee_rate, 0.2));
    default:
      return 0;
  }
}

/**
 * A miner's reply under its strategy (lab.md §9.2 table; `model_spoof` runs a cheap model, noise 0.2, and declares
 * the honest model to borrow its accuracy, dojo.md §16 #18).
 * @param miner - the miner.
 * @param inp - the request and helpers.
 * @returns the reply before any validator processing.
 */
export function dojoReply(miner: SimMiner, inp: DojoStrategyInput): DojoReply {
  const { request: req, rng } = inp;
  const a = miner.args;
  const base = { hotkey: miner.hotkey, ...declared(a) };
  switch (miner.strategy) {
    case 'honest': {
      const noise = nbr(a.noise, MODEL_NOISE);
      return {
        ...base,
        scores: noise === MODEL_NOISE ? inp.modelAnswer(base.model) : modelAnswer(inp.seed, req, base.model, noise),
      };
    }
    case 'noisy':
    case 'model_spoof': {
      const noise = nbr(a.noise, miner.strategy === 'noisy' ? 0.3 : 0.2);
      return { ...base, scores: map(req, (c) => clamp(c.q + noise * normal(rng), 0, 1)) };
    }
    case 'lazy_constant':
      return { ...base, scores: map(req, () => nbr(a.value, 0.5)) };
    case 'random':
      return { ...base, scores: map(req, () => rng.next()) };
    case 'copycat':
      return { ...base, scores: inp.honestMean() };
    case 'colluding': {
      const t = a.target ?? 'reverse';
      if (Array.isArray(t)) return { ...base, scores: map(req, (_, j) => clamp(Number(t[j % t.length]), 0, 1)) };
      if (t === 'random') {
        const shared = subRng(inp.seed, req.id, 'collusion');
        return { ...base, scores: map(req, () => shared.next()) };
      }
      const honest = inp.modelAnswer(DEFAULT_HF_MODEL);
      return { ...base, scores: map(req, (c) => 1 - (honest[c.cid] as number)) };
    }
    case 'length_biased': {
      const longest = Math.max(1, ...req.completions.map((c) => c.text.length));
      return { ...base, scores: map(req, (c) => c.text.length / longest) };
    }
    case 'prompt_echo': {
      const p = tokens(req.prompt);
      return { ...base, scores: map(req, (c) => jaccard(tokens(c.text), p)) };
    }
    case 'sandbox_mturk': {
      const mean = inp.honestMean();
      const rev = a.target === 'reverse';
      return {
        hotkey: miner.hotkey,
        method: 'aws_mturk',
        model: '',
        scores: map(req, (c) => 1 + 9 * (rev ? 1 - (mean[c.cid] as number) : (mean[c.cid] as number))),
        mturk: { environment: 'sandbox', distinctWorkers: nbr(a.workers, 1) },
      };
    }
    case 'honest_mturk': {
      const w = nbr(a.workers, 3);
      const noise = nbr(a.noise, 1);
      return {
        hotkey: miner.hotkey,
        method: 'aws_mturk',
        model: '',
        scores: map(req, (c) => {
          let s = 0;
          for (let i = 0; i < w; i++) s += clamp(1 + 9 * c.q + noise * normal(rng), 1, 10);
          return s / w;
        }),
        mturk: { environment: 'production', distinctWorkers: w },
      };
    }
    default:
      throw new Error(`unreachable: unknown dojo strategy ${miner.strategy}`);
  }
}
