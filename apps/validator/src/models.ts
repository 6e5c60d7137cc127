/**
 * The validator's model access: audit re-scoring (dojo.md §10), accuracy pair scoring (§12), and the chunking
 * embedder (chunking.md §6), built from @dojo-ts/models. "No access" (no key, model not allowed, load failure) is a
 * normal answer: the reply passes unaudited, the key keeps multiplier 1. @dojo-ts/models (transformers.js,
 * onnxruntime, openai) is imported on first use, so processes that never score with a model start faster.
 */

import type { HfRewardModel, LlmJudge } from '@dojo-ts/models';
import { type Embedder, hfPairOutcome } from '@dojo-ts/scoring';
import type { Logger } from 'pino';
import type { PairScorerFactory } from './jobs/accuracy.js';
import type { Rescorer } from './scores.js';

const loadModels = () => import('@dojo-ts/models');

/** Options of {@link createModelAccess}. */
export interface ModelAccessOptions {
  /** `--hf.cache_size`. */
  hfCacheSize: number;
  /** `--hf.offline`: load local files only, never download. */
  hfOffline: boolean;
  /** `--hf.local_model_path`. */
  hfLocalModelPath: string | null;
  /** `--audit.hf_allowlist` (null = any model). */
  hfAllowlist: readonly string[] | null;
  /** Secrets by provider. */
  keys: { togetherai: string | null; openai: string | null };
  log: Logger;
}

/** Audit re-scorer and accuracy pair scorer sharing one model cache. */
export interface ModelAccess {
  rescore: Rescorer;
  scorerFor: PairScorerFactory;
}

/**
 * Builds model access.
 * @param opts - cache size, allowlist, API keys, logger
 */
export function createModelAccess(opts: ModelAccessOptions): ModelAccess {
  // a failed load is cached too (as `model: null`), so a missing model is not re-downloaded on every request
  type Entry = { model: HfRewardModel | null; dispose: () => Promise<void> };
  let hfCache: { get(name: string, load: () => Promise<Entry>): Promise<Entry> } | null = null;
  const judges = new Map<string, LlmJudge>();
  const hf = async (model: string): Promise<HfRewardModel | null> => {
    if (opts.hfAllowlist !== null && !opts.hfAllowlist.includes(model)) return null;
    const { HfRewardModel: Hf, ModelCache } = await loadModels();
    hfCache ??= new ModelCache<Entry>(opts.hfCacheSize);
    return hfCache
      .get(model, async () => {
        try {
          const m = await Hf.load({
            model,
            offline: opts.hfOffline,
            ...(opts.hfLocalModelPath ? { localModelPath: opts.hfLocalModelPath } : {}),
          });
          return { model: m, dispose: () => m.dispose() };
        } catch (err) {
          opts.log.warn({ model, err: (err as Error).message }, 'HF model not available');
          return { model: null, dispose: async () => {} };
        }
      })
      .then((e) => e.model);
  };
  const judge = async (provider: string | null, model: string): Promise<LlmJudge | null> => {
    if (provider !== 'togetherai' && provider !== 'openai') return null;
    const apiKey = opts.keys[provider];
    if (!apiKey) return null;
    const id = `${provider}:${model}`;
    let j = judges.get(id);
    if (!j) {
      const { LlmJudge: Judge } = await loadModels();
      j = new Judge({ provider, apiKey, model });
      judges.set(id, j);
    }
    return j;
  };
  return {
    rescore: async (request, method, mc) => {
      const completions = request.completions.map((c) => ({ cid: c.cid, text: c.text }));
      if (method === 'hf_model') {
        const m = await hf(mc.model_name);
        return m ? m.score(request.prompt, completions) : null;
      }
      const j = await judge(mc.provider, mc.model_name);
      return j ? j.score(request.prompt, completions) : null;
    },
    scorerFor: (key) => {
      if (key.startsWith('hf_model:')) {
        const model = key.slice('hf_model:'.length);
        if (opts.hfAllowlist !== null && !opts.hfAllowlist.includes(model)) return null;
        return async (pair) => {
          const m = await hf(model);
          if (!m) return null;
          return hfPairOutcome(await m.logit(pair.chosen), await m.logit(pair.rejected));
        };
      }
      const [, provider, ...rest] = key.split(':');
      if ((provider !== 'togetherai' && provider !== 'openai') || !opts.keys[provider]) return null;
      return async (pair, rng) => {
        const j = await judge(provider, rest.join(':'));
        return j ? ((await j.prefer(pair, rng)).preferredChosen ? 1 : 0) : null;
      };
    },
  };
}

/**
 * Builds the configured embedder (`--embedder`).
 * @throws when the OpenAI embedder has no key (a validator-side configuration error)
 */
export async function createEmbedder(
  kind: 'openai' | 'local' | 'deterministic',
  model: string | null,
  openaiKey: string | null,
): Promise<Embedder> {
  const m = await loadModels();
  if (kind === 'deterministic') return m.createDeterministicEmbedder();
  if (kind === 'local') return m.createLocalEmbedder(model ? { model } : {});
  return m.createOpenAiEmbedder({ apiKey: openaiKey ?? undefined, ...(model ? { model } : {}) });
}

/** Embedder errors caused by a miner's input (HTTP 400): that response gets 0 (chunking.md §6.2). */
export function isMinerFault(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'DOJO_MODELS_EMBEDDING_INPUT_REJECTED';
}
