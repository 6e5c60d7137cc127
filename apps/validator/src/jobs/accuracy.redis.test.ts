import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_PREFERENCE_PATH } from '../datasets/paths.js';
import { bundledPreferenceSource, type PreferencePair } from '../datasets/preference-source.js';
import { storeKeys } from '../store/keys.js';
import { getAccuracyCache, setAccuracy } from '../store/state-store.js';
import { deleteKeys, newRedis, silentLog, testPrefix } from '../test-utils/helpers.js';
import {
  type AccuracyDeps,
  ensureAccuracySchedulers,
  evaluateAccuracyKey,
  openAccuracyQueue,
  startAccuracyWorker,
} from './accuracy.js';
import type { AccuracyJobData } from './queues.js';

const prefix = testPrefix();
const keys = storeKeys(prefix, 1, 'validator');
let redis: Redis;
const seen: Record<string, string[]> = {};

// A stand-in reward model: prefers the longer text (the bundled set's chosen texts are the fuller answers).
const lengthModel = (key: string) => async (pair: PreferencePair) => {
  seen[key] = [...(seen[key] ?? []), pair.chosen];
  return pair.chosen.length > pair.rejected.length ? 1 : pair.chosen.length === pair.rejected.length ? 0.5 : 0;
};

async function deps(over: Partial<AccuracyDeps> = {}): Promise<AccuracyDeps> {
  return {
    redis,
    keys,
    log: silentLog,
    preferences: await bundledPreferenceSource(BUNDLED_PREFERENCE_PATH),
    scorerFor: (key) => (key.startsWith('llm_api:openai') ? null : lengthModel(key)),
    numBatches: 3,
    batchSize: 8,
    intervalMs: 1_800_000,
    seed: 7,
    now: () => 1_700_000_000_000,
    ...over,
  };
}

beforeAll(() => {
  redis = newRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('accuracy evaluation (§12)', () => {
  it('evaluates a key once per cache lifetime, all keys of a run on the same batches, cursors advanced once', async () => {
    const d = await deps();
    const a = await evaluateAccuracyKey(d, 'hf_model:model-a');
    expect(typeof a).toBe('number');
    expect(a as number).toBeGreaterThan(0.5);
    expect(a as number).toBeLessThanOrEqual(1);
    expect(await evaluateAccuracyKey(d, 'hf_model:model-a')).toBe('cached');
    const b = await evaluateAccuracyKey(d, 'llm_api:togetherai:model-b');
    expect(b).toBe(a);
    expect(seen['llm_api:togetherai:model-b']).toEqual(seen['hf_model:model-a']);
    expect(seen['hf_model:model-a']?.length).toBe(24);
    expect(await redis.hget(keys.cursors, 'bundled')).toBe(String(24 % 32));
    const cache = await getAccuracyCache(redis, keys);
    expect(Object.keys(cache).sort()).toEqual(['hf_model:model-a', 'llm_api:togetherai:model-b']);
  });

  it('leaves a key without value when the validator has no access to its model', async () => {
    expect(await evaluateAccuracyKey(await deps(), 'llm_api:openai:gpt')).toBeNull();
    expect((await getAccuracyCache(redis, keys))['llm_api:openai:gpt']).toBeUndefined();
  });

  it('runs as repeatable BullMQ jobs per key, and the reset job clears the cache', async () => {
    const k = storeKeys(prefix, 2, 'validator');
    const d = await deps({ keys: k, now: Date.now });
    const queue: Queue<AccuracyJobData> = openAccuracyQueue(redis, k.bullPrefix);
    const worker: Worker<AccuracyJobData> = startAccuracyWorker(redis, k.bullPrefix, d, 1500);
    const until = async (cond: (c: Record<string, unknown>) => boolean) => {
      const deadline = Date.now() + 15_000;
      while (!cond(await getAccuracyCache(redis, k))) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await ensureAccuracySchedulers(queue, ['hf_model:model-c'], 60_000, 1500);
      await until((c) => c['hf_model:model-c'] !== undefined);
      await setAccuracy(redis, k, 'hf_model:stale', { accuracy: 0.1, computed_at: 0 });
      await until((c) => c['hf_model:stale'] === undefined);
      expect(await redis.hget(k.loop, 'accuracy_reset_at')).not.toBeNull();
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(['acc-aGZfbW9kZWw6bW9kZWwtYw', 'accuracy-reset']);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
