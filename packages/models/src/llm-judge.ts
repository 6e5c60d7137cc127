import OpenAI, { APIConnectionError, APIError } from 'openai';
import { LlmRequestError, LlmResponseError, ModelsError } from './errors.js';
import {
  PREFERENCE_RESPONSE_SCHEMA,
  preferenceSystemPrompt,
  preferenceUserPrompt,
  SCORES_RESPONSE_SCHEMA,
  type ScoreRange,
  scoringSystemPrompt,
  scoringUserPrompt,
} from './llm-prompts.js';
import { DEFAULT_LLM_MODEL, type LlmEndpointOptions, type LlmProvider, resolveLlmEndpoint } from './llm-providers.js';
import { parsePreferenceResponse, parseScoresResponse } from './llm-response.js';
import { type BackoffOptions, withRetry } from './retry.js';
import type { CompletionInput, Judge, PreferenceOutcome, Rng } from './types.js';
import { validateCompletions } from './validate-input.js';

/** Options of {@link LlmJudge}. */
export interface LlmJudgeOptions extends LlmEndpointOptions {
  /** Model id at the provider. @defaultValue DEFAULT_LLM_MODEL (Mixtral-8x7B-Instruct on TogetherAI) */
  model?: string;
  /** Score range asked for; scores are divided by `upper`. @defaultValue { lower: 0, upper: 1 } */
  range?: ScoreRange;
  /** Attempts and backoff for 429, 5xx, transport errors and invalid JSON. @defaultValue 5 attempts, 4 s..12 s */
  retry?: BackoffOptions;
  /** Sleep used between attempts (tests pass one that records the delays). @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Position source for {@link LlmJudge.prefer} when no rng is passed per call. @defaultValue Math.random */
  rng?: Rng;
  /** Per-request timeout. @defaultValue 60000 ms */
  timeoutMs?: number;
}

type ResponseFormat = { type: 'json_object'; schema?: unknown };

function isRetryable(err: unknown): boolean {
  if (err instanceof LlmResponseError || err instanceof APIConnectionError) return true;
  if (err instanceof APIError) return err.status === 429 || (err.status !== undefined && err.status >= 500);
  return false;
}

/**
 * An `llm_api` judge over any OpenAI-compatible API (TogetherAI, OpenAI, or a custom base URL) through the openai SDK:
 * scores completions with the spec's prompt (dojo.md §5.2) and answers the pairwise preference question of
 * classification accuracy with the chosen text at a random position (§12.4, D16).
 */
export class LlmJudge implements Judge {
  readonly id: string;
  readonly provider: LlmProvider;
  readonly model: string;
  /** The underlying openai client (SDK retries disabled: this class retries itself). */
  readonly client: OpenAI;
  private readonly range: ScoreRange;
  private readonly options: LlmJudgeOptions;

  /**
   * @param options - provider preset or base URL, key (or env), model, range, retry policy, RNG.
   * @throws {ModelsError} DOJO_MODELS_MISSING_API_KEY without a key; DOJO_MODELS_INVALID_INPUT when `lower >= upper`.
   * @example
   * const judge = new LlmJudge({ provider: 'togetherai', env: process.env });
   * const scores = await judge.score('What is 2+2?', [{ cid: 'a', text: '4' }, { cid: 'b', text: '5' }]);
   */
  constructor(options: LlmJudgeOptions = {}) {
    const endpoint = resolveLlmEndpoint(options);
    this.provider = endpoint.provider;
    this.model = options.model ?? DEFAULT_LLM_MODEL;
    this.range = options.range ?? { lower: 0, upper: 1 };
    if (!(this.range.lower < this.range.upper) || this.range.upper === 0) {
      throw new ModelsError(
        'DOJO_MODELS_INVALID_INPUT',
        `score range needs lower < upper and upper != 0, got [${this.range.lower}, ${this.range.upper}]`,
      );
    }
    this.id = `llm_api:${this.provider}:${this.model}`;
    this.options = options;
    this.client = new OpenAI({
      apiKey: endpoint.apiKey,
      baseURL: endpoint.baseURL,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 60_000,
    });
  }

  // TogetherAI's JSON mode takes the schema; OpenAI's json_object mode has no schema key, so the prompt states it.
  private responseFormat(schema: unknown): ResponseFormat {
    return this.provider === 'togetherai' ? { type: 'json_object', schema } : { type: 'json_object' };
  }

  private async complete<T>(
    system: string,
    user: string,
    schema: unknown,
    parse: (content: string | null) => T,
  ): Promise<T> {
    try {
      return await withRetry(
        async () => {
          const res = await this.createCompletion(system, user, schema);
          if (!res?.choices) throw new LlmResponseError('response has no choices');
          return parse(res.choices[0]?.message?.content ?? null);
        },
        isRetryable,
        { ...this.options.retry, ...(this.options.sleep ? { sleep: this.options.sleep } : {}) },
      );
    } catch (err) {
      if (err instanceof ModelsError) throw err;
      if (err instanceof APIError) {
        throw new LlmRequestError(
          `LLM request to ${this.provider} failed with status ${err.status ?? 'none'}: ${err.message}`,
          err.status,
          {
            details: { provider: this.provider, model: this.model },
            cause: err,
          },
        );
      }
      throw new LlmRequestError(`LLM request to ${this.provider} failed: ${(err as Error).message}`, undefined, {
        cause: err,
      });
    }
  }

  private async createCompletion(system: string, user: string, schema: unknown): Promise<OpenAI.ChatCompletion> {
    try {
      return await this.client.chat.completions.create({
        model: this.model,
        temperature: 0,
        stream: false,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
        // `schema` is a TogetherAI extension the SDK types do not know.
        response_format: this.responseFormat(schema) as OpenAI.ResponseFormatJSONObject,
      });
    } catch (err) {
      // The SDK parses a JSON content-type body itself; a garbage body surfaces as a SyntaxError.
      if (err instanceof SyntaxError) throw new LlmResponseError('response body is not JSON', { cause: err });
      throw err;
    }
  }

  /**
   * Scores every completion; retries 429/5xx/transport errors and answers that are not valid `ScoresResponse` JSON.
   * @param prompt - the request's prompt.
   * @param completions - unique cids.
   * @returns cid → score / upper, in [lower/upper, 1].
   * @throws {LlmResponseError} DOJO_MODELS_LLM_RESPONSE_INVALID when every attempt returned bad JSON (missing, unknown
   *   or duplicate cids, out-of-range scores).
   * @throws {LlmRequestError} DOJO_MODELS_LLM_REQUEST_FAILED on a non-retryable status or exhausted retries.
   */
  async score(prompt: string, completions: readonly CompletionInput[]): Promise<Record<string, number>> {
    validateCompletions(completions);
    if (completions.length === 0) return {};
    const cids = completions.map((c) => c.cid);
    return this.complete(
      scoringSystemPrompt(this.range, this.provider !== 'togetherai'),
      scoringUserPrompt(prompt, completions),
      SCORES_RESPONSE_SCHEMA,
      (content) => parseScoresResponse(content, cids, this.range),
    );
  }

  /**
   * Asks which of two texts the model prefers, with `chosen` shown as Text 1 or Text 2 uniformly at random
   * (`rng.next() < 0.5` → position 1).
   * @param pair - the dataset row's chosen and rejected texts.
   * @param rng - position source; defaults to the constructor's `rng`.
   * @returns whether the model picked the chosen text, and the positions.
   * @throws {LlmResponseError} / {LlmRequestError} as {@link LlmJudge.score}.
   */
  async prefer(pair: { chosen: string; rejected: string }, rng?: Rng): Promise<PreferenceOutcome> {
    const source = rng ?? this.options.rng ?? { next: Math.random };
    const chosenPosition: 1 | 2 = source.next() < 0.5 ? 1 : 2;
    const [text1, text2] = chosenPosition === 1 ? [pair.chosen, pair.rejected] : [pair.rejected, pair.chosen];
    const preference = await this.complete(
      preferenceSystemPrompt(this.provider !== 'togetherai'),
      preferenceUserPrompt(text1, text2),
      PREFERENCE_RESPONSE_SCHEMA,
      parsePreferenceResponse,
    );
    return { preferredChosen: preference === chosenPosition, chosenPosition, preference };
  }
}
