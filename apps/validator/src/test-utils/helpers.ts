/** Shared test helpers: unique Redis prefixes, key cleanup, silent logger, synthetic request entries. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { RequestEntry, StoredReply } from '../store/types.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testPrefix(): string {
  return `test:validator:${randomUUID()}`;
}

export function newRedis(url = REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Deletes every key starting with `prefix` (never FLUSHDB: other suites share Redis). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export const silentLog = pino({ level: 'silent' });

/** A request with `nCompletions` completions and one hf_model reply per hotkey, scores from `scoreOf`. */
export function makeEntry(
  requestId: string,
  hotkeys: readonly string[],
  opts: { nCompletions?: number; deadlineMs?: number; scoreOf?: (h: number, c: number) => number } = {},
): Omit<RequestEntry, 'version'> {
  const n = opts.nCompletions ?? 4;
  const completions = Array.from({ length: n }, (_, i) => ({ cid: `${requestId}-c${i}`, text: `completion ${i}` }));
  const scoreOf = opts.scoreOf ?? ((h, c) => (((h + 1) * (c + 3)) % 7) / 7);
  const responses: StoredReply[] = hotkeys.map((hotkey, h) => ({
    hotkey,
    scoring_method: 'hf_model',
    model_config: { provider: null, model_name: 'OpenAssistant/reward-model-deberta-v3-large-v2' },
    ranks: completions.map((c, i) => ({ cid: c.cid, score: scoreOf(h, i) })),
    mturk_hit_id: null,
  }));
  return {
    request: {
      request_id: requestId,
      epoch_timestamp: Date.now() / 1000,
      prompt: 'Explain why the sky is blue.',
      n_completions: n,
      completions,
      modality: 'text',
    },
    responses,
    queried_hotkeys: [...hotkeys],
    created_at: Date.now(),
    deadline_ms: opts.deadlineMs ?? Date.now(),
  };
}
