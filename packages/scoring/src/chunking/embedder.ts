/**
 * Turns texts into unit-norm vectors (chunking.md §6.1); a zero vector stays zero. Implementations live in
 * `@dojo-ts/models` (OpenAI ada-002, a local transformers.js model, a deterministic one).
 */
export interface Embedder {
  /** Stable identifier, e.g. `openai:text-embedding-ada-002`. */
  readonly id: string;
  /** Vector dimension. */
  readonly dim: number;
  /** One call per response with all sampled segments; returns one vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
