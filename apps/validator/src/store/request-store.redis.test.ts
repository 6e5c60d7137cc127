import { ema } from '@dojo-ts/scoring';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIdOf, type ScoreJobData } from '../jobs/queues.js';
import { openScoringQueue } from '../jobs/workers.js';
import { deleteKeys, makeEntry, newRedis, testPrefix } from '../test-utils/helpers.js';
import { storeKeys } from './keys.js';
import { applyScores, attachReply, loadRequest, pendingCount, reconcilePending, saveRequest } from './request-store.js';
import { getRankingState, resyncRankingScores } from './state-store.js';
import type { HistoryRecord } from './types.js';

const prefix = testPrefix();
const keys = storeKeys(prefix, 7, '5Validator');
let redis: Redis;
let queue: Queue<ScoreJobData>;

const history = (id: string): HistoryRecord => ({
  request_id: id,
  scored_at: 0,
  modality: 'text',
  prompt: 'p',
  num_completions: 1,
  consensus_scores: [0.5],
  best_completion: 'x',
  num_responses: 1,
  hotkey_to_score: {},
  hotkey_to_accuracy: {},
  audit_failed: [],
});

beforeAll(async () => {
  redis = newRedis();
  queue = openScoringQueue(redis, keys.bullPrefix);
  await resyncRankingScores(redis, keys, ['hk0', 'hk1', 'hk2', 'hk3']);
});

afterAll(async () => {
  await queue.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('request store', () => {
  it('saves a request together with its delayed deadline job (job id = request id)', async () => {
    const now = Date.now();
    const entry = makeEntry('req-save', ['hk1', 'hk2'], { deadlineMs: now + 60_000 });
    await saveRequest(redis, keys, queue, entry, now);
    const loaded = await loadRequest(redis, keys, 'req-save');
    expect(loaded?.request).toEqual(entry.request);
    expect(loaded?.responses.map((r) => r.hotkey)).toEqual(['hk1', 'hk2']);
    expect(loaded?.version).toBe(0);
    const job = await queue.getJob(jobIdOf('req-save'));
    expect(job?.data).toEqual({ requestId: 'req-save' });
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(60_000);
    expect(await pendingCount(redis, keys)).toBeGreaterThanOrEqual(1);
  });

  it('applies scores exactly once: the second application finds the marker and changes nothing', async () => {
    const entry = makeEntry('req-once', ['hk1', 'hk3']);
    await saveRequest(redis, keys, queue, entry, Date.now());
    const before = await getRankingState(redis, keys);
    const rewards = { hk1: 0.7, hk3: 0.3, unknown: 1 };
    const args = {
      requestId: 'req-once',
      alpha: 0.3,
      rewards,
      history: history('req-once'),
      historyMaxLen: 100,
      version: 0,
    };
    expect(await applyScores(redis, keys, args)).toBe('applied');
    const after = await getRankingState(redis, keys);
    const expected = ema(before.scores, [0, 0.7, 0, 0.3], 0.3);
    for (const [i, s] of after.scores.entries()) expect(s).toBeCloseTo(expected[i] as number, 15);
    expect(after.scored).toBe(before.scored + 1);
    expect(await applyScores(redis, keys, args)).toBe('already-applied');
    expect(await getRankingState(redis, keys)).toEqual(after);
    expect(await loadRequest(redis, keys, 'req-once')).toBeNull();
    expect(await redis.xlen(keys.history)).toBeGreaterThanOrEqual(1);
  });

  it('refuses to apply scores computed from a stale version after a reply was attached', async () => {
    const entry = makeEntry('req-race', ['hk1']);
    await saveRequest(redis, keys, queue, entry, Date.now());
    const loaded = await loadRequest(redis, keys, 'req-race');
    const attached = await attachReply(redis, keys, 'req-race', {
      hotkey: 'hk2',
      scoring_method: 'aws_mturk',
      model_config: null,
      ranks: [{ cid: 'req-race-c0', score: 7 }],
      mturk_hit_id: 'HIT1',
      verified: true,
    });
    expect(attached).toBe(true);
    const args = {
      requestId: 'req-race',
      alpha: 0.3,
      rewards: { hk1: 1 },
      history: history('req-race'),
      historyMaxLen: 100,
    };
    expect(await applyScores(redis, keys, { ...args, version: loaded?.version ?? 0 })).toBe('changed');
    const reloaded = await loadRequest(redis, keys, 'req-race');
    expect(reloaded?.responses.map((r) => r.hotkey)).toEqual(['hk1', 'hk2']);
    expect(await applyScores(redis, keys, { ...args, version: reloaded?.version ?? 0 })).toBe('applied');
    expect(await attachReply(redis, keys, 'req-race', reloaded?.responses[0] as never)).toBe(false);
  });

  it('reconcile re-adds the deadline job of a pending request whose job was lost', async () => {
    const now = Date.now();
    await saveRequest(redis, keys, queue, makeEntry('req-lost', ['hk1'], { deadlineMs: now + 5000 }), now);
    await (await queue.getJob('req-lost'))?.remove();
    expect(await queue.getJobState('req-lost')).toBe('unknown');
    expect(await reconcilePending(redis, keys, queue, now)).toBe(1);
    expect(await queue.getJobState('req-lost')).toBe('delayed');
    expect(await reconcilePending(redis, keys, queue, now)).toBe(0);
  });
});

describe('metagraph resync of ranking scores', () => {
  it('carries scores of unchanged hotkeys over and resets replaced and new uids to 0', async () => {
    const k = storeKeys(prefix, 8, '5Other');
    await resyncRankingScores(redis, k, ['a', 'b', 'c']);
    await redis.hset(k.scores, '0', '0.5', '1', '0.25', '2', '0.125');
    const changed = await resyncRankingScores(redis, k, ['a', 'x', 'c', 'd']);
    expect(changed).toBe(2);
    const state = await getRankingState(redis, k);
    expect(state.hotkeys).toEqual(['a', 'x', 'c', 'd']);
    expect(state.scores).toEqual([0.5, 0, 0.125, 0]);
  });
});
