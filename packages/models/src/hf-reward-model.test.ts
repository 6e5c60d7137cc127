import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelsError } from './errors.js';
import { HfRewardModel, sigmoid } from './hf-reward-model.js';
import { type TinyWeights, tinyModelFiles } from './test-utils/tiny-models.js';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const MODEL_DIR = join(FIXTURES, 'tiny-reward-model');
const weights = JSON.parse(readFileSync(join(MODEL_DIR, 'weights.json'), 'utf8')) as TinyWeights;
const vocab = (
  JSON.parse(readFileSync(join(MODEL_DIR, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }
).model.vocab;

// Independent re-implementation of the tiny model: whitespace words → ids with a BERT pair template, then
// mean over tokens of tanh(E[id] + T[type]), dot the classifier weight, plus bias.
function expectedLogit(textA: string, textB?: string): number {
  const ids = (s: string) =>
    s
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => vocab[w] ?? vocab['[UNK]']) as number[];
  const tokens: Array<[number, number]> = [[2, 0], ...ids(textA).map((id): [number, number] => [id, 0]), [3, 0]];
  if (textB !== undefined) tokens.push(...ids(textB).map((id): [number, number] => [id, 1]), [3, 1]);
  const pooled = new Array<number>(8).fill(0);
  for (const [id, type] of tokens) {
    for (let d = 0; d < 8; d++) {
      pooled[d] =
        (pooled[d] as number) +
        Math.tanh((weights.word_embeddings[id]?.[d] as number) + (weights.token_type_embeddings[type]?.[d] as number));
    }
  }
  return pooled.reduce(
    (acc, v, d) => acc + (v / tokens.length) * (weights.classifier_weight[d] as number),
    weights.classifier_bias,
  );
}

describe('HfRewardModel on a tiny ONNX model (real transformers.js + onnxruntime)', () => {
  let rm: HfRewardModel;
  let tmp: string;
  beforeAll(async () => {
    rm = await HfRewardModel.load({ model: MODEL_DIR, offline: true, batchSize: 3 });
    tmp = mkdtempSync(join(tmpdir(), 'dojo-models-'));
  });
  afterAll(async () => {
    await rm.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('committed fixture equals what the generator writes (reproducible weights)', () => {
    for (const [rel, bytes] of Object.entries(tinyModelFiles('reward'))) {
      expect(Buffer.compare(readFileSync(join(MODEL_DIR, rel)), Buffer.from(bytes)), rel).toBe(0);
    }
  });

  it('uses the ChatML fallback when the tokenizer has no chat template', () => {
    expect(rm.question('what is the answer ?')).toBe('<|im_start|>user\nwhat is the answer ?<|im_end|>\n');
  });

  it('score = sigmoid(logit of the (question, completion) text pair) computed from the weights', async () => {
    const prompt = 'what is the answer ?';
    const completions = [
      { cid: 'c-good', text: 'the answer is good' },
      { cid: 'c-bad', text: 'the answer is terrible' },
      { cid: 'c-dog', text: 'a dog' },
      { cid: 'c-unk', text: 'zzz qqq' },
    ];
    const scores = await rm.score(prompt, completions);
    expect(Object.keys(scores).sort()).toEqual(['c-bad', 'c-dog', 'c-good', 'c-unk']);
    for (const c of completions) {
      const expected = sigmoid(expectedLogit(`<|im_start|>user\n${prompt}<|im_end|>\n`, c.text));
      expect(scores[c.cid]).toBeCloseTo(expected, 6);
      expect(scores[c.cid]).toBeGreaterThan(0);
      expect(scores[c.cid]).toBeLessThan(1);
    }
    const values = Object.values(scores);
    expect(new Set(values.map((v) => v.toFixed(6))).size).toBe(values.length);
  });

  it('pair encoding matters: the completion as second segment differs from the concatenated single text', async () => {
    const paired = await rm.logit('what is', 'the answer');
    expect(paired).toBeCloseTo(expectedLogit('what is', 'the answer'), 5);
    expect(paired).not.toBeCloseTo(await rm.logit('what is the answer'), 5);
  });

  it('batched scoring equals one-by-one scoring (padding does not leak)', async () => {
    const completions = [
      'a',
      'the answer is great great great great great',
      'no',
      'hello world',
      'red sun moon',
      'ok',
    ].map((text, i) => ({ cid: `c${i}`, text }));
    const batched = await rm.score('hello ?', completions);
    for (const c of completions) {
      const [one] = Object.values(await rm.score('hello ?', [c]));
      expect(batched[c.cid]).toBeCloseTo(one as number, 6);
    }
  });

  it('single-text logits (accuracy evaluation) match the weights', async () => {
    const logits = await rm.logits(['good', 'bad', 'paris is the capital of france']);
    expect(logits).toHaveLength(3);
    expect(logits[0]).toBeCloseTo(expectedLogit('good'), 5);
    expect(logits[2]).toBeCloseTo(expectedLogit('paris is the capital of france'), 5);
  });

  it('uses the tokenizer chat template when there is one', async () => {
    const dir = join(tmp, 'templated');
    cpSync(MODEL_DIR, dir, { recursive: true });
    const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    cfg.chat_template = "{% for m in messages %}{{ m['role'] + ' ' + m['content'] + ' [SEP]' }}{% endfor %}";
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(cfg));
    const templated = await HfRewardModel.load({ model: dir, offline: true });
    expect(templated.question('what is the answer ?')).toBe('user what is the answer ? [SEP]');
    const scores = await templated.score('what is the answer ?', [{ cid: 'x', text: 'yes' }]);
    expect(scores.x).toBeCloseTo(sigmoid(expectedLogit('user what is the answer ? [SEP]', 'yes')), 6);
    await templated.dispose();
  });

  it('offline mode resolves a model id under localModelPath', async () => {
    const byId = await HfRewardModel.load({ model: 'tiny-reward-model', offline: true, localModelPath: FIXTURES });
    expect(byId.id).toBe('hf_model:tiny-reward-model');
    expect(await byId.logit('good')).toBeCloseTo(expectedLogit('good'), 5);
    await byId.dispose();
  });

  it('offline mode fails with DOJO_MODELS_LOAD_FAILED for a model that is not on disk', async () => {
    const err = await HfRewardModel.load({ model: 'OpenAssistant/not-here', offline: true, localModelPath: tmp }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ModelsError);
    expect(err.code).toBe('DOJO_MODELS_LOAD_FAILED');
  });

  it('rejects duplicate cids', async () => {
    await expect(
      rm.score('p', [
        { cid: 'a', text: 'x' },
        { cid: 'a', text: 'y' },
      ]),
    ).rejects.toMatchObject({
      code: 'DOJO_MODELS_INVALID_INPUT',
    });
  });

  it('rejects a model with more than one label', async () => {
    // The tiny embedding model outputs [batch, seq, 8] hidden states, not one logit per row.
    const dir = join(tmp, 'multi');
    cpSync(join(FIXTURES, 'tiny-embedding-model'), dir, { recursive: true });
    const bad = await HfRewardModel.load({ model: dir, offline: true });
    await expect(bad.logit('good')).rejects.toMatchObject({ code: 'DOJO_MODELS_INFERENCE_FAILED' });
    await bad.dispose();
  });
});
