import { HfRewardModel, LlmJudge } from '@dojo-ts/models';
import type { ModelConfig } from '@dojo-ts/protocol';
import type { MinerConfig } from '../config.js';
import type { Scorer } from '../handlers/ranking-request.js';

/** A scorer plus what replies declare and how to release it. */
export interface LoadedScorer {
  scorer: Scorer;
  modelConfig: ModelConfig;
  dispose(): Promise<void>;
}

/**
 * Builds the `hf_model` or `llm_api` scorer through @dojo-ts/models (dojo.md §5.1, §5.2). The declared `model_config`
 * names `--model_name` even when an ONNX copy (`--hf.onnx_repo`) is what runs, so validators audit the real model.
 *
 * @param config - the miner configuration (scoring method, model, provider, base URL, keys, HF options).
 * @param llmRetry - retry policy of the LLM judge (tests shorten it). @defaultValue the models default (5 attempts)
 * @returns the scorer, or null for `aws_mturk`.
 * @throws ModelsError when the HF model cannot be loaded or the LLM key is missing.
 */
export async function createScorer(
  config: MinerConfig,
  llmRetry?: { attempts?: number; minMs?: number; maxMs?: number },
): Promise<LoadedScorer | null> {
  if (config.scoringMethod === 'hf_model') {
    const model = await HfRewardModel.load({
      model: config.hf.onnxRepo ?? config.modelName,
      offline: config.hf.offline,
      ...(config.hf.localModelPath === null ? {} : { localModelPath: config.hf.localModelPath }),
    });
    return {
      scorer: model,
      modelConfig: { provider: null, model_name: config.modelName },
      dispose: () => model.dispose(),
    };
  }
  if (config.scoringMethod === 'llm_api') {
    const provider = config.llm.provider;
    const apiKey = provider === 'openai' ? config.secrets.openaiApiKey : config.secrets.togetherApiKey;
    const judge = new LlmJudge({
      provider,
      model: config.modelName,
      ...(config.llm.baseUrl === null ? {} : { baseURL: config.llm.baseUrl }),
      ...(apiKey === null ? {} : { apiKey }),
      timeoutMs: config.scoring.timeoutMs,
      ...(llmRetry ? { retry: llmRetry } : {}),
    });
    return { scorer: judge, modelConfig: { provider, model_name: config.modelName }, dispose: async () => {} };
  }
  return null;
}
