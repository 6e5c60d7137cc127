import { unitNormalize } from '../normalize.js';
import type { Embedder } from '../types.js';

function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Hash-based bag-of-words vector of chunking.md §6.1: lower-case, split on runs of characters that are not Unicode
 * letters or digits, each token adds ±1 at `FNV-1a-32(utf8) mod dim` (sign from bit 31), then unit-normalise.
 * @param text - any text.
 * @param dim - dimension. @defaultValue 256
 * @returns a unit-norm vector, or zeros when the text has no tokens.
 * @example
 * deterministicEmbedding('Hello, world!').length; // 256
 */
export function deterministicEmbedding(text: string, dim = 256): Float32Array {
  const v = new Float64Array(dim);
  const encoder = new TextEncoder();
  for (const token of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (token.length === 0) continue;
    const h = fnv1a32(encoder.encode(token));
    v[h % dim] = (v[h % dim] as number) + (h & 0x80000000 ? -1 : 1);
  }
  return unitNormalize(v);
}

/**
 * The deterministic {@link Embedder} for tests and offline demos (no model, no network); similar texts share tokens
 * and so have a higher cosine similarity.
 * @param dim - dimension. @defaultValue 256
 * @returns the embedder, id `deterministic:fnv1a-<dim>`.
 * @example
 * const [a, b] = await createDeterministicEmbedder().embed(['the cat sat', 'the cat ran']);
 */
export function createDeterministicEmbedder(dim = 256): Embedder {
  return {
    id: `deterministic:fnv1a-${dim}`,
    dim,
    embed: async (texts) => texts.map((t) => deterministicEmbedding(t, dim)),
  };
}
