import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TinyWeights, tinyModelFiles } from '../test-utils/tiny-models.js';
import { createLocalEmbedder, type LocalEmbedder } from './local-embedder.js';

const MODEL_DIR = fileURLToPath(new URL('../../test/fixtures/tiny-embedding-model/', import.meta.url));
const weights = JSON.parse(readFileSync(join(MODEL_DIR, 'weights.json'), 'utf8')) as TinyWeights;
const vocab = (
  JSON.parse(readFileSync(join(MODEL_DIR, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }
).model.vocab;

// Independent: [CLS] words [SEP], hidden = tanh(E[id] + T[0]), mean over tokens, unit-normalise.
function expected(text: string): number[] {
  const ids = [
    2,
    ...text
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => vocab[w] ?? 1),
    3,
  ] as number[];
  const mean = new Array<number>(8).fill(0);
  for (const id of ids) {
    for (let d = 0; d < 8; d++)
      mean[d] =
        (mean[d] as number) +
        Math.tanh((weights.word_embeddings[id]?.[d] as number) + (weights.token_type_embeddings[0]?.[d] as number)) /
          ids.length;
  }
  const norm = Math.hypot(...mean);
  return mean.map((x) => x / norm);
}

describe('createLocalEmbedder on a tiny ONNX model (real transformers.js feature-extraction)', () => {
  let embedder: LocalEmbedder;
  beforeAll(async () => {
    embedder = await createLocalEmbedder({ model: MODEL_DIR, offline: true, batchSize: 2 });
  });
  afterAll(() => embedder.dispose());

  it('committed fixture equals what the generator writes', () => {
    for (const [rel, bytes] of Object.entries(tinyModelFiles('embedding'))) {
      expect(Buffer.compare(readFileSync(join(MODEL_DIR, rel)), Buffer.from(bytes)), rel).toBe(0);
    }
  });

  it('reports id and dim from the model config', () => {
    expect(embedder.dim).toBe(8);
    expect(embedder.id).toBe(`local:${MODEL_DIR}`);
  });

  it('mean-pools and normalises exactly as computed from the weights, across batches with padding', async () => {
    const texts = ['hello world', 'the cat is a good cat', 'red', 'paris is the capital of france'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(4);
    vectors.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(8);
      for (const [d, x] of expected(texts[i] as string).entries()) expect(v[d]).toBeCloseTo(x, 5);
    });
  });

  it('finds the dimension by running the model when config.json does not declare it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-embed-'));
    try {
      cpSync(MODEL_DIR, dir, { recursive: true });
      const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      delete cfg.hidden_size;
      writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
      const probed = await createLocalEmbedder({ model: dir, offline: true });
      expect(probed.dim).toBe(8);
      const [v] = await probed.embed(['red']);
      for (const [d, x] of expected('red').entries()) expect(v?.[d]).toBeCloseTo(x, 5);
      await probed.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns [] for no texts', async () => {
    expect(await embedder.embed([])).toEqual([]);
  });

  it('fails with DOJO_MODELS_LOAD_FAILED for a missing offline model', async () => {
    await expect(createLocalEmbedder({ model: '/nonexistent/model', offline: true })).rejects.toMatchObject({
      code: 'DOJO_MODELS_LOAD_FAILED',
    });
  });
});
