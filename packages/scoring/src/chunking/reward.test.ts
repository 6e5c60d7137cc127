import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../rng.js';
import { constantEmbedder, deterministicEmbedder } from '../test-utils/deterministic-embedder.js';
import type { Embedder } from './embedder.js';
import {
  type ChunkTask,
  checkChunks,
  codePointLength,
  defaultChunkQty,
  getRewards,
  rewardV1,
  rewardV11,
  timePenalty,
} from './reward.js';

const sentences = Array.from({ length: 9 }, (_, i) => `Sentence number ${i} talks about topic ${i % 3}.`);
const document = sentences.join(' ');
const task: ChunkTask = { document, chunk_size: 4096, time_soft_max: 5 };
const rng = () => mulberry32(1234);
const pairs = (k: number) => (k * (k - 1)) / 2;

describe('checkChunks (sure-fail checks)', () => {
  it('fails empty responses', () => {
    expect(checkChunks(task, null)).toEqual({ ok: false, failure: 'empty' });
    expect(checkChunks(task, [])).toEqual({ ok: false, failure: 'empty' });
  });

  it('fails a chunk whose words are not a contiguous run of document words', () => {
    expect(checkChunks(task, [document, 'Sentence number 1 talks about topic 2.'])).toMatchObject({
      ok: false,
      failure: 'order',
      chunkIndex: 1,
    });
  });

  it('fails a chunk that has the document characters but other word boundaries (token check after the pre-check)', () => {
    expect(checkChunks({ ...task, document: 'the cat sat' }, ['thecat sat'])).toMatchObject({
      ok: false,
      failure: 'order',
    });
  });

  it('fails when a word triplet of the document is missing from the chunks', () => {
    const chunks = [sentences.slice(0, 4).join(' '), sentences.slice(5).join(' ')];
    expect(checkChunks(task, chunks)).toEqual({ ok: false, failure: 'coverage' });
  });

  it('accepts overlapping, repeated and reordered chunks, empty chunks and partial words at the edges (E6)', () => {
    const a = sentences.slice(0, 5).join(' ');
    const b = sentences.slice(4).join(' ');
    expect(checkChunks(task, [b, a, a, '']).ok).toBe(true);
    expect(
      checkChunks({ ...task, document: 'the cat sat on the mat' }, ['the cat sat on the mat', 'at on th']).ok,
    ).toBe(true);
    expect(checkChunks({ ...task, document: 'the cat sat' }, ['he cat sat', 'the']).ok).toBe(false); // triplet missing
  });

  it('makes ⌈n/3⌉ segments of up to three sentences per chunk, in chunk order', () => {
    const r = checkChunks(task, [sentences.slice(0, 4).join(' '), sentences.slice(4).join(' ')]);
    expect(r.ok && r.segments.map((s) => s.sourceChunk)).toEqual([0, 0, 1, 1]);
    expect(r.ok && r.segments[1]?.text).toBe(sentences[3]);
  });
});

describe('penalties', () => {
  it('time: (2/3)^(t − t_soft) only past the task soft maximum', () => {
    expect(timePenalty(7, 5)).toBeCloseTo(0.4444444444, 9);
    expect(timePenalty(5, 5)).toBe(1);
    expect(timePenalty(null, 5)).toBe(1);
    expect(timePenalty(9, null)).toBe(1);
  });

  it('size: one 5000-character chunk at chunk_size 4096 costs factor 0.409', async () => {
    const doc = `${'word '.repeat(999)}word.`;
    expect(codePointLength(doc)).toBe(5000);
    const r = await rewardV1(
      { document: doc, chunk_size: 4096, time_soft_max: 5 },
      { chunks: [doc], processTimeS: 1 },
      constantEmbedder(),
      50,
      rng(),
    );
    expect(r).toBeCloseTo(1.01 ** 0 * (2 / 3) ** (10 * (5000 / 4096 - 1)), 12);
    expect(r).toBeCloseTo(0.409, 3);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('😀😀')).toBe(2);
    expect(codePointLength('\ud800x')).toBe(2);
  });

  it('v1.1 default chunk_qty is ceil(ceil(len / chunk_size) × 1.5)', () => {
    expect(defaultChunkQty('x'.repeat(10_000), 4096)).toBe(5);
    expect(defaultChunkQty('x'.repeat(100), 4096)).toBe(2);
  });
});

describe('rewardV1', () => {
  it('is 1.01^(intra − inter pairs) with unit similarities, times the time penalty (from the task, K2)', async () => {
    const one = await rewardV1(task, { chunks: [document], processTimeS: 1 }, constantEmbedder(), 50, rng());
    expect(one).toBeCloseTo(1.01 ** pairs(3), 12);
    const two = await rewardV1(
      task,
      { chunks: [sentences.slice(0, 6).join(' '), sentences.slice(6).join(' ')], processTimeS: 7 },
      constantEmbedder(),
      50,
      rng(),
    );
    expect(two).toBeCloseTo(1.01 ** (1 - 2) * (2 / 3) ** 2, 12);
    const spoofed = { chunks: [document], processTimeS: 7, time_soft_max: 100 } as never;
    expect(await rewardV1(task, spoofed, constantEmbedder(), 50, rng())).toBeCloseTo(1.01 ** 3 * (2 / 3) ** 2, 12);
  });

  it('is 0 for a failed check without calling the embedder', async () => {
    const e = deterministicEmbedder();
    expect(await rewardV1(task, { chunks: ['Nothing like the document.'] }, e, 50, rng())).toBe(0);
    expect(e.calls).toEqual([]);
  });

  it('samples numEmbeddings distinct segments with the injected RNG, deterministically', async () => {
    const long = Array.from({ length: 90 }, (_, i) => `Line ${i} is here.`);
    const t: ChunkTask = { document: long.join(' '), chunk_size: 4096, time_soft_max: 5 };
    const chunks = [long.slice(0, 45).join(' '), long.slice(45).join(' ')];
    const e1 = deterministicEmbedder();
    const e2 = deterministicEmbedder();
    const r1 = await rewardV1(t, { chunks }, e1, 7, mulberry32(5));
    const r2 = await rewardV1(t, { chunks }, e2, 7, mulberry32(5));
    expect(r1).toBe(r2);
    expect(e1.calls).toHaveLength(1);
    expect(e1.calls[0]).toHaveLength(7);
    expect(new Set(e1.calls[0]).size).toBe(7);
    expect(e1.calls).toEqual(e2.calls);
  });

  it('rejects an embedder that returns the wrong number of vectors', async () => {
    const bad: Embedder = { id: 'bad', dim: 1, embed: async () => [] };
    await expect(rewardV1(task, { chunks: [document] }, bad, 50, rng())).rejects.toMatchObject({
      code: 'DOJO_SCORING_EMBEDDING_MISMATCH',
    });
  });

  it('property: an honest miner cutting at sentence boundaries is never zeroed and the reward is positive', async () => {
    const word = fc.constantFrom(
      'alpha',
      'beta',
      'gamma',
      "don't",
      'U.S.',
      '3.5',
      'Mr.',
      'café',
      '"quoted"',
      'x-ray',
      '(note)',
      'end,',
    );
    const sentence = fc
      .array(word, { minLength: 2, maxLength: 9 })
      .chain((ws) => fc.constantFrom('.', '!', '?').map((p) => `The ${ws.join(' ')} ends here${p}`));
    await fc.assert(
      fc.asyncProperty(
        fc.array(sentence, { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        async (ss, cuts) => {
          const chunks: string[] = [];
          let cur: string[] = [];
          ss.forEach((s, i) => {
            cur.push(s);
            if (cuts[i]) {
              chunks.push(cur.join(' '));
              cur = [];
            }
          });
          if (cur.length > 0) chunks.push(cur.join(' '));
          const t: ChunkTask = { document: ss.join(' '), chunk_size: 4096, time_soft_max: 5 };
          const r = await rewardV1(t, { chunks, processTimeS: 1 }, deterministicEmbedder(), 50, mulberry32(1));
          return r > 0 && Number.isFinite(r);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('rewardV11', () => {
  it('is e^(mean(intra) − mean(inter)) times penalties, with the quantity penalty 100·(n/qty − 1)', async () => {
    const one = await rewardV11(task, { chunks: [document] }, constantEmbedder(), 50, rng());
    expect(one.reward).toBeCloseTo(Math.E, 12);
    expect(one.info).toMatchObject({
      qtyPenalty: 0,
      sizePenalty: 0,
      embeddingReward: 1,
      timePenalty: 1,
      numSegments: 3,
    });
    const three = sentences
      .map((_, i) => (i % 3 === 0 ? sentences.slice(i, i + 3).join(' ') : null))
      .filter((c): c is string => c !== null);
    const r = await rewardV11(
      { ...task, chunk_qty: 2 },
      { chunks: three, processTimeS: 6 },
      constantEmbedder(),
      50,
      rng(),
    );
    // one segment per chunk: no intra pairs (mean 0), inter mean 1
    expect(r.reward).toBeCloseTo(Math.exp(-1) * (2 / 3) * (2 / 3) ** 50, 12);
    expect(r.info?.qtyPenalty).toBeCloseTo(50, 12);
  });

  it('returns 0 (the fixed early return) for an empty or failing response', async () => {
    expect(await rewardV11(task, { chunks: [] }, constantEmbedder(), 50, rng())).toEqual({ reward: 0, info: null });
    expect((await rewardV11(task, { chunks: ['Unknown words here.'] }, constantEmbedder(), 50, rng())).reward).toBe(0);
  });
});

describe('getRewards', () => {
  it('aligns rewards with responses, gives 0 on miner-fault embedder errors and propagates validator-side ones', async () => {
    const failing: Embedder = {
      id: 'f',
      dim: 2,
      embed: async (texts) => {
        if (texts.some((t) => t.includes('Sentence number 8'))) throw Object.assign(new Error('400'), { status: 400 });
        return texts.map(() => Float32Array.from([1, 0]));
      },
    };
    const responses = [{ chunks: [document] }, { chunks: null }, { chunks: [sentences.slice(0, 8).join(' ')] }];
    const isMinerFault = (e: unknown) => (e as { status?: number }).status === 400;
    const out = await getRewards(task, responses, failing, rng(), { isMinerFault });
    expect(out).toEqual([0, 0, 0]);
    const ok = await getRewards(task, [{ chunks: [document] }, { chunks: null }], constantEmbedder(), rng(), {
      variant: 'v1.1',
    });
    expect(ok[0]).toBeCloseTo(Math.E, 12);
    expect(ok[1]).toBe(0);
    await expect(getRewards(task, responses, failing, rng())).rejects.toThrow('400');
  });
});
