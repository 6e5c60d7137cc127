export { createDeterministicEmbedder, deterministicEmbedding } from './embedders/deterministic-embedder.js';
export { createLocalEmbedder, type LocalEmbedder, type LocalEmbedderOptions } from './embedders/local-embedder.js';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './embedders/openai-embedder.js';
export {
  EmbeddingError,
  EmbeddingInputError,
  LlmRequestError,
  LlmResponseError,
  ModelsError,
  type ModelsErrorCode,
} from './errors.js';
export {
  chatMlQuestion,
  DEFAULT_HF_REWARD_MODEL,
  HfRewardModel,
  type HfRewardModelOptions,
  sigmoid,
} from './hf-reward-model.js';
export { LlmJudge, type LlmJudgeOptions } from './llm-judge.js';
export {
  PREFERENCE_RESPONSE_SCHEMA,
  preferenceSystemPrompt,
  preferenceUserPrompt,
  SCORES_RESPONSE_SCHEMA,
  type ScoreRange,
  scoringSystemPrompt,
  scoringUserPrompt,
} from './llm-prompts.js';
export {
  DEFAULT_LLM_MODEL,
  LLM_PROVIDERS,
  type LlmEndpointOptions,
  type LlmProvider,
  resolveLlmEndpoint,
} from './llm-providers.js';
export { parsePreferenceResponse, parseScoresResponse } from './llm-response.js';
export { ModelCache } from './model-cache.js';
export { unitNormalize } from './normalize.js';
export { type BackoffOptions, backoffDelayMs, withRetry } from './retry.js';
export { TeiRewardModel, type TeiRewardModelOptions } from './tei-reward-model.js';
export type {
  CompletionInput,
  Embedder,
  Judge,
  PreferenceOutcome,
  RewardModel,
  RewardModelRunner,
  Rng,
} from './types.js';
