import type { Embedder } from '../index.js';

// chunking.md §6.1 DeterministicEmbedder, written here for tests and the bench (the real one lives in @dojo-ts/models).
export function deterministicEmbedder(dim = 256): Embedder & { calls: string[][] } {
  const enc = new TextEncoder();
  const calls: string[][] = [];
  const embedOne = (text: string): Float32Array => {
    const v = new Float32Array(dim);
    for (const tok of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (tok === '') continue;
      let h = 0x811c9dc5;
      for (const byte of enc.encode(tok)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
      v[h % dim] = (v[h % dim] as number) + ((h & 0x80000000) === 0 ? 1 : -1);
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    if (norm > 0) for (let i = 0; i < dim; i++) v[i] = (v[i] as number) / Math.sqrt(norm);
    return v;
  };
  return {
    id: 'deterministic',
    dim,
    calls,
    async embed(texts: string[]) {
      calls.push(texts);
      return texts.map(embedOne);
    },
  };
}

/** Every text maps to the same unit vector, so every similarity is exactly 1. */
export function constantEmbedder(): Embedder {
  return {
    id: 'constant',
    dim: 2,
    async embed(texts: string[]) {
      return texts.map(() => Float32Array.from([1, 0]));
    },
  };
}
