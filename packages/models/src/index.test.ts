import { describe, expect, it } from 'vitest';
import * as models from './index.js';

describe('@dojo-ts/models public API', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(models).sort()).toEqual([
      'DEFAULT_HF_REWARD_MODEL',
      'DEFAULT_LLM_MODEL',
      'EmbeddingError',
      'EmbeddingInputError',
      'HfRewardModel',
      'LLM_PROVIDERS',
      'LlmJudge',
      'LlmRequestError',
      'LlmResponseError',
      'ModelCache',
      'ModelsError',
      'PREFERENCE_RESPONSE_SCHEMA',
      'SCORES_RESPONSE_SCHEMA',
      'TeiRewardModel',
      'backoffDelayMs',
      'chatMlQuestion',
      'createDeterministicEmbedder',
      'createLocalEmbedder',
      'createOpenAiEmbedder',
      'deterministicEmbedding',
      'parsePreferenceResponse',
      'parseScoresResponse',
      'preferenceSystemPrompt',
      'preferenceUserPrompt',
      'resolveLlmEndpoint',
      'scoringSystemPrompt',
      'scoringUserPrompt',
      'sigmoid',
      'unitNormalize',
      'withRetry',
    ]);
  });

  it('pins the provider presets of dojo.md §3.1', () => {
    expect(models.LLM_PROVIDERS).toEqual({
      togetherai: { baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY' },
      openai: { baseURL: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
    });
    expect(models.DEFAULT_HF_REWARD_MODEL).toBe('OpenAssistant/reward-model-deberta-v3-large-v2');
    expect(models.DEFAULT_LLM_MODEL).toBe('mistralai/Mixtral-8x7B-Instruct-v0.1');
  });
});
