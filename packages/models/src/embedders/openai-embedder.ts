import OpenAI, { APIError } from 'openai';
import { EmbeddingError, EmbeddingInputError } from '../errors.js';
import { resolveLlmEndpoint } from '../llm-providers.js';
import { unitNormalize } from '../normalize.js';
import type { Embedder } from '../types.js';

/** Options of {@link createOpenAiEmbedder}. */
export interface OpenAiEmbedderOptions {
  /** @defaultValue 'text-embedding-ada-002' */
  model?: string;
  /** Vector dimension the model returns. @defaultValue 1536 */
  dim?: number;
  /** @defaultValue 'https://api.openai.com/v1' */
  baseURL?: string;
  /** API key; else `env.OPENAI_API_KEY`. */
  apiKey?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** SDK-level retries of 429/5xx/transport errors. @defaultValue 2 */
  maxRetries?: number;
  /** @defaultValue 60000 */
  timeoutMs?: number;
}

/**
 * The production {@link Embedder} of chunking.md §6.1: one embeddings request per call with all texts, through the
 * openai SDK against OpenAI or any compatible base URL.
 * @param options - model, dimension, base URL, key.
 * @returns the embedder, id `openai:<model>`.
 * @throws {ModelsError} DOJO_MODELS_MISSING_API_KEY without a key.
 * @example
 * const embedder = createOpenAiEmbedder({ env: process.env });
 * const [v] = await embedder.embed(['hello']);
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions = {}): Embedder {
  const endpoint = resolveLlmEndpoint({ provider: 'openai', ...options });
  const model = options.model ?? 'text-embedding-ada-002';
  const dim = options.dim ?? 1536;
  const client = new OpenAI({
    apiKey: endpoint.apiKey,
    baseURL: endpoint.baseURL,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
  });
  return {
    id: `openai:${model}`,
    dim,
    async embed(texts) {
      if (texts.length === 0) return [];
      let res: OpenAI.CreateEmbeddingResponse;
      try {
        res = await client.embeddings.create({ model, input: texts });
      } catch (err) {
        // A 400 means this input (one miner's segments) is invalid, e.g. over the token limit: the miner's fault.
        if (err instanceof APIError && err.status === 400) {
          throw new EmbeddingInputError(`embedding input rejected: ${err.message}`, { details: { model }, cause: err });
        }
        const status = err instanceof APIError ? err.status : undefined;
        throw new EmbeddingError(
          `embedding request failed${status ? ` with status ${status}` : ''}: ${(err as Error).message}`,
          {
            details: { model, status },
            cause: err,
          },
        );
      }
      const data = [...(res?.data ?? [])].sort((a, b) => a.index - b.index);
      if (data.length !== texts.length || data.some((d, i) => d.index !== i || d.embedding.length !== dim)) {
        throw new EmbeddingError(`expected ${texts.length} embeddings of dimension ${dim}`, {
          details: { model, got: data.length },
        });
      }
      return data.map((d) => unitNormalize(d.embedding));
    },
  };
}
