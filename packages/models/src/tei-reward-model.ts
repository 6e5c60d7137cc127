import { ModelsError } from './errors.js';
import { chatMlQuestion, runnerLogit, runnerScore } from './hf-reward-model.js';
import type { CompletionInput, RewardModelRunner } from './types.js';

/** Options of {@link TeiRewardModel}. */
export interface TeiRewardModelOptions {
  /** Base URL of a text-embeddings-inference server running the reward model (`--hf.inference_url`). */
  url: string;
  /** Name used in `id` (`hf_model:<modelName>`). @defaultValue the URL */
  modelName?: string;
  /** `Authorization: Bearer <token>` when the server needs one (e.g. `HF_TOKEN` for an Inference Endpoint). */
  token?: string;
  /** Inputs per request (TEI's default `--max-client-batch-size` is 32). @defaultValue 32 */
  batchSize?: number;
  /** Per-request timeout. @defaultValue 60000 ms */
  timeoutMs?: number;
  /** Builds the text paired with each completion. @defaultValue chatMlQuestion (TEI applies no chat template) */
  question?: (prompt: string) => string;
  /** fetch implementation. @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * The HTTP reward-model runner of dojo.md §5.1: sends (question, completion) pairs to a Hugging Face
 * text-embeddings-inference server's `POST /predict` with `raw_scores: true` and `truncate: true`, and takes the single
 * label's raw score as the logit; score = sigmoid(logit).
 */
export class TeiRewardModel implements RewardModelRunner {
  readonly id: string;
  private readonly batchSize: number;
  private readonly fetchFn: typeof fetch;

  /**
   * @param options - server URL, token, batch size, timeout.
   * @throws {ModelsError} DOJO_MODELS_INVALID_INPUT for a malformed URL or batch size.
   * @example
   * const rm = new TeiRewardModel({ url: 'http://127.0.0.1:8080', modelName: 'OpenAssistant/reward-model-deberta-v3-large-v2' });
   * await rm.score('What is 2+2?', [{ cid: 'a', text: '4' }]);
   */
  constructor(private readonly options: TeiRewardModelOptions) {
    if (!URL.canParse(options.url))
      throw new ModelsError('DOJO_MODELS_INVALID_INPUT', 'inference URL is not a valid URL');
    this.batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new ModelsError('DOJO_MODELS_INVALID_INPUT', `batchSize must be a positive integer, got ${this.batchSize}`);
    }
    this.id = `hf_model:${options.modelName ?? options.url}`;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  question(prompt: string): string {
    return (this.options.question ?? chatMlQuestion)(prompt);
  }

  private async predict(inputs: string[][]): Promise<number[]> {
    const endpoint = new URL('predict', this.options.url.endsWith('/') ? this.options.url : `${this.options.url}/`);
    let res: Response;
    try {
      res = await this.fetchFn(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify({ inputs, truncate: true, raw_scores: true }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      throw new ModelsError('DOJO_MODELS_INFERENCE_FAILED', `inference server unreachable: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 200);
      try {
        message = String((JSON.parse(text) as { error?: unknown }).error ?? message);
      } catch {
        // not JSON: keep the raw text
      }
      throw new ModelsError('DOJO_MODELS_INFERENCE_FAILED', `inference server answered ${res.status}: ${message}`, {
        details: { status: res.status },
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new ModelsError('DOJO_MODELS_INFERENCE_FAILED', 'inference server answered with non-JSON', { cause: err });
    }
    if (!Array.isArray(body) || body.length !== inputs.length) {
      throw new ModelsError('DOJO_MODELS_INFERENCE_FAILED', `expected ${inputs.length} predictions`);
    }
    return body.map((predictions) => {
      const only =
        Array.isArray(predictions) && predictions.length === 1 ? (predictions[0] as { score?: unknown }) : undefined;
      if (typeof only?.score !== 'number' || !Number.isFinite(only.score)) {
        throw new ModelsError(
          'DOJO_MODELS_INFERENCE_FAILED',
          'expected exactly one label with a numeric score per input (num_labels = 1)',
        );
      }
      return only.score;
    });
  }

  /**
   * Raw logits of texts or text pairs, `batchSize` inputs per request.
   * @throws {ModelsError} DOJO_MODELS_INVALID_INPUT on a length mismatch; DOJO_MODELS_INFERENCE_FAILED on transport
   *   errors, non-2xx answers or a response that is not one score per input.
   */
  async logits(texts: readonly string[], textPairs?: readonly string[]): Promise<number[]> {
    if (textPairs !== undefined && textPairs.length !== texts.length) {
      throw new ModelsError(
        'DOJO_MODELS_INVALID_INPUT',
        `got ${texts.length} texts but ${textPairs.length} text pairs`,
      );
    }
    const out: number[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const inputs = texts.slice(start, start + this.batchSize).map((t, i) => {
        const pair = textPairs?.[start + i];
        return pair === undefined ? [t] : [t, pair];
      });
      out.push(...(await this.predict(inputs)));
    }
    return out;
  }

  async logit(textA: string, textB?: string): Promise<number> {
    return runnerLogit(this, textA, textB);
  }

  /**
   * Scores completions: sigmoid of the logit of (question(prompt), completion).
   * @returns cid → score in (0, 1).
   * @throws {ModelsError} as {@link TeiRewardModel.logits}; DOJO_MODELS_INVALID_INPUT on duplicate cids.
   */
  async score(prompt: string, completions: readonly CompletionInput[]): Promise<Record<string, number>> {
    return runnerScore(this, prompt, completions);
  }
}
