import { DojoError, type DojoErrorOptions } from '@dojo-ts/protocol';

/** Every error code `@dojo-ts/models` throws (listed with remedies in the README). */
export type ModelsErrorCode =
  | 'DOJO_MODELS_INVALID_INPUT'
  | 'DOJO_MODELS_LOAD_FAILED'
  | 'DOJO_MODELS_INFERENCE_FAILED'
  | 'DOJO_MODELS_MISSING_API_KEY'
  | 'DOJO_MODELS_LLM_REQUEST_FAILED'
  | 'DOJO_MODELS_LLM_RESPONSE_INVALID'
  | 'DOJO_MODELS_EMBEDDING_INPUT_REJECTED'
  | 'DOJO_MODELS_EMBEDDING_FAILED';

/** Base class of the errors of `@dojo-ts/models`; `code` says which one. */
export class ModelsError extends DojoError {
  override name = 'ModelsError';
  declare readonly code: ModelsErrorCode;
  constructor(code: ModelsErrorCode, message: string, options: DojoErrorOptions = {}) {
    super(code, message, options);
  }
}

/** The LLM answered, but not with the JSON the prompt asked for (after every retry). */
export class LlmResponseError extends ModelsError {
  override name = 'LlmResponseError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_MODELS_LLM_RESPONSE_INVALID', message, options);
  }
}

/** The LLM API call failed: a non-retryable status (400/401/403/404) or retries exhausted on 429/5xx/transport. */
export class LlmRequestError extends ModelsError {
  override name = 'LlmRequestError';
  /** HTTP status when the server answered, else undefined (transport error). */
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined, options: DojoErrorOptions = {}) {
    super('DOJO_MODELS_LLM_REQUEST_FAILED', message, options);
    this.status = status;
  }
}

/**
 * The embedding provider rejected one response's input (HTTP 400, e.g. a segment over the token limit): the chunking
 * validator gives that response reward 0 (chunking.md §6.2). Any other embedding failure is an {@link EmbeddingError}.
 */
export class EmbeddingInputError extends ModelsError {
  override name = 'EmbeddingInputError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_MODELS_EMBEDDING_INPUT_REJECTED', message, options);
  }
}

/** Transport error, 5xx, rate limit or bad output of an embedder: the round is aborted, no miner is penalised. */
export class EmbeddingError extends ModelsError {
  override name = 'EmbeddingError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_MODELS_EMBEDDING_FAILED', message, options);
  }
}
