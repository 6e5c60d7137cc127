import { describe, expect, it } from 'vitest';
import { createDeterministicEmbedder, deterministicEmbedding } from './deterministic-embedder.js';

// Expected indices and signs computed with CPython: FNV-1a-32 over UTF-8, index = h % 256, sign = bit 31.
// hello 0x4f9f2cab → 171 +; world 0x37a3e893 → 147 +; dog 0xe668bd09 → 9 −; über 0x7ba3e4cf → 207 +.
describe('deterministicEmbedding (chunking.md §6.1)', () => {
  it('puts ±1 at FNV-1a-32 mod 256 per token and unit-normalises', () => {
    const v = deterministicEmbedding('Hello, WORLD! dog');
    const s = 1 / Math.sqrt(3);
    expect(v[171]).toBeCloseTo(s, 6);
    expect(v[147]).toBeCloseTo(s, 6);
    expect(v[9]).toBeCloseTo(-s, 6);
    expect(Array.from(v).filter((x) => x !== 0)).toHaveLength(3);
  });

  it('splits on non-letter/digit runs with Unicode letters kept and counts repeats', () => {
    const v = deterministicEmbedding('über--über  hello');
    expect(v[207]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(v[171]).toBeCloseTo(1 / Math.sqrt(5), 6);
  });

  it('returns a zero vector for text without tokens', () => {
    expect(Array.from(deterministicEmbedding(' ,.; ')).every((x) => x === 0)).toBe(true);
  });

  it('embedder is deterministic, 256-d, and similar texts are closer', async () => {
    const e = createDeterministicEmbedder();
    expect([e.id, e.dim]).toEqual(['deterministic:fnv1a-256', 256]);
    const [a, b, c] = await e.embed([
      'the cat sat on the mat',
      'the cat sat on a mat',
      'quantum chromodynamics lecture',
    ]);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((acc, v, i) => acc + v * (y[i] as number), 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 6);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    expect(await e.embed(['the cat sat on the mat'])).toEqual([a]);
  });
});
