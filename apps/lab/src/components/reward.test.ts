import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConstantRewardModel,
  CustomRewardModel,
  DummyRewardModel,
  HuggingFaceRewardModel,
  RandomRewardModel,
} from './reward.js';

const dir = mkdtempSync(join(tmpdir(), 'lab-reward-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TINY = new URL('../../../../packages/models/test/fixtures/tiny-reward-model', import.meta.url).pathname;

describe('reward models (lab.md §5.4)', () => {
  it('ConstantRewardModel returns forward_value for every string', async () => {
    expect(await new ConstantRewardModel(3).reward(['a', 'b'])).toEqual([3, 3]);
  });
  it('RandomRewardModel draws one value per string from one seeded stream, backward from a separate one', async () => {
    const a = new RandomRewardModel({
      seed: 2,
      distribution: 'uniform',
      p0: 1,
      p1: 0,
      backward_p0: 10,
      backward_p1: 5,
    });
    const b = new RandomRewardModel({ seed: 2, distribution: 'uniform', p0: 1, p1: 0 });
    const ra = [...(await a.reward(['x', 'y'])), ...(await a.reward(['z']))];
    expect(ra).toEqual(await b.reward(['x', 'y', 'z']));
    const back = a.backwardRewards(2);
    expect(back.map((v) => (v - 5) / 10)).toEqual(ra.slice(0, 2));
    expect(() => new RandomRewardModel({ seed: 0, distribution: 'gamma', p0: 1, p1: 0 })).toThrow(
      /unknown distribution/,
    );
  });
  it('DummyRewardModel measures the whole flattened string (prompt length leaks into the reward)', async () => {
    const t = 'who wrote dune\n\nfrank herbert';
    expect(await new DummyRewardModel('question_length').reward([t])).toEqual([t.length]);
    expect(await new DummyRewardModel('num_words').reward([t])).toEqual([5]);
    expect(await new DummyRewardModel('longest_word').reward([t])).toEqual([7]);
    expect(() => new DummyRewardModel('sentiment')).toThrow(/unknown reward_type/);
  });
  it('CustomRewardModel loads a user module exporting reward() or createRewardModel(options)', async () => {
    const f1 = join(dir, 'plain.mjs');
    writeFileSync(f1, 'export function reward(texts) { return texts.map((t) => t.length * 2); }\n');
    expect(await (await new CustomRewardModel(f1).load()).reward(['ab'])).toEqual([4]);
    const f2 = join(dir, 'factory.mjs');
    writeFileSync(
      f2,
      'export async function createRewardModel(o) { return { reward: async (t) => t.map(() => o.k) }; }\n',
    );
    expect(await (await new CustomRewardModel(f2, { k: 7 }).load()).reward(['a', 'b'])).toEqual([7, 7]);
    const f3 = join(dir, 'bad.mjs');
    writeFileSync(f3, 'export function reward(texts) { return [1]; }\n');
    await expect(new CustomRewardModel(f3).reward(['a', 'b'])).rejects.toThrow(/one number per text/);
    await expect(new CustomRewardModel(join(dir, 'missing.mjs')).load()).rejects.toThrow(/cannot import/);
  });
  it('HuggingFaceRewardModel scores with a local ONNX model through transformers.js, deterministically', async () => {
    const m = await new HuggingFaceRewardModel(TINY, true).load();
    const a = await m.reward(['hello world', 'a much longer completion about capitals']);
    expect(a).toHaveLength(2);
    for (const v of a) expect(Number.isFinite(v)).toBe(true);
    expect(a[0]).not.toBe(a[1]);
    expect(await m.reward(['hello world'])).toEqual([a[0]]);
  });
});
