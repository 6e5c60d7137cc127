import { ModelsError } from './errors.js';

/** LLM providers of dojo.md §3.1, both spoken to through the OpenAI-compatible API. */
export type LlmProvider = 'togetherai' | 'openai';

/** Base URL and API-key env var of each provider. */
export const LLM_PROVIDERS: Readonly<Record<LlmProvider, { baseURL: string; apiKeyEnv: string }>> = Object.freeze({
  togetherai: { baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY' },
  openai: { baseURL: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
});

/** Default `llm_api` model (TogetherAI). */
export const DEFAULT_LLM_MODEL = 'mistralai/Mixtral-8x7B-Instruct-v0.1';

/** Where to send LLM requests: a preset provider, optionally with its base URL overridden, plus the key. */
export interface LlmEndpointOptions {
  /** Preset; decides the `response_format` dialect too. @defaultValue 'togetherai' */
  provider?: LlmProvider;
  /** Overrides the preset's base URL (e.g. a local OpenAI-compatible server). */
  baseURL?: string;
  /** API key; when absent it is read from `env[<preset key var>]`. */
  apiKey?: string;
  /** Where to look up the key (pass `process.env` from `main.ts`). @defaultValue {} */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Resolves provider, base URL and API key.
 * @param options - provider preset, base URL override, key or env.
 * @returns `{ provider, baseURL, apiKey }`.
 * @throws {ModelsError} DOJO_MODELS_MISSING_API_KEY when neither `apiKey` nor the provider's env var is set.
 * @example
 * resolveLlmEndpoint({ provider: 'openai', env: process.env });
 */
export function resolveLlmEndpoint(options: LlmEndpointOptions = {}): {
  provider: LlmProvider;
  baseURL: string;
  apiKey: string;
} {
  const provider = options.provider ?? 'togetherai';
  const preset = LLM_PROVIDERS[provider];
  if (!preset) throw new ModelsError('DOJO_MODELS_INVALID_INPUT', `unknown LLM provider '${String(provider)}'`);
  const apiKey = options.apiKey ?? options.env?.[preset.apiKeyEnv];
  if (!apiKey) {
    throw new ModelsError('DOJO_MODELS_MISSING_API_KEY', `no API key: pass apiKey or set ${preset.apiKeyEnv}`, {
      details: { provider, envVar: preset.apiKeyEnv },
    });
  }
  return { provider, baseURL: options.baseURL ?? preset.baseURL, apiKey };
}
