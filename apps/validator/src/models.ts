/**
 * The validator's model access: audit re-scoring (dojo.md §10), accuracy pair scoring (§12), and the chunking
 * embedder (chunking.md §6), built from @dojo-ts/models. "No access" (no key, model not allowed, load failure) is a
 * normal answer: the reply passes unaudited, the key keeps multiplier 1.
 */
import {
  createDeterministicEmbedder,
  createLocalEmbedder,
  createOpenAiEmbedder,
  EmbeddingInputError,
  HfRewardModel,
  LlmJudge,
  ModelCache,
} from '@dojo-ts/models';
import { type Embedder, hfPairOutcome } from '@dojo-ts/scoring';
import type { Logger } from 'pino';
import type { PairScorerFactory } from './jobs/accuracy.js';
import type { Rescorer } from './scores.js';

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
  const hfCache = new ModelCache<{ model: HfRewardModel | null; dispose: () => Promise<void> }>(opts.hfCacheSize);
  const judges = new Map<string, LlmJudge>();
  const hf = (model: string) =>
    opts.hfAllowlist !== null && !opts.hfAllowlist.includes(model)
      ? Promise.resolve(null)
      : hfCache
          .get(model, async () => {
            try {
              const m = await HfRewardModel.load({
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
  const judge = (provider: string | null, model: string): LlmJudge | null => {
    if (provider !== 'togetherai' && provider !== 'openai') return null;
    const apiKey = opts.keys[provider];
    if (!apiKey) return null;
    const id = `${provider}:${model}`;
    let j = judges.get(id);
    if (!j) {
      j = new LlmJudge({ provider, apiKey, model });
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
      const j = judge(mc.provider, mc.model_name);
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
      const j = judge(provider ?? null, rest.join(':'));
      if (!j) return null;
      return async (pair, rng) => ((await j.prefer(pair, rng)).preferredChosen ? 1 : 0);
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
  if (kind === 'deterministic') return createDeterministicEmbedder();
  if (kind === 'local') return createLocalEmbedder(model ? { model } : {});
  return createOpenAiEmbedder({ apiKey: openaiKey ?? undefined, ...(model ? { model } : {}) });
}

/** Embedder errors caused by a miner's input (HTTP 400): that response gets 0 (chunking.md §6.2). */
export function isMinerFault(err: unknown): boolean {
  return err instanceof EmbeddingInputError;
}
