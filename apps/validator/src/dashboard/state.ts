/**
 * What the dashboard shows, read through the validator's own store modules and key layout: pending requests with
 * their deadlines, ranking and chunking scores, the scored-request history, the accuracy cache, queue counts.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.js';
import { loadRequest } from '../store/request-store.js';
import { getAccuracyCache, getRankingState } from '../store/state-store.js';
import type { HistoryRecord } from '../store/types.js';

/** One pending request. */
export interface PendingRow {
  requestId: string;
  deadlineMs: number;
  prompt: string;
  completions: number;
  queried: number;
  replies: number;
  /** Replies by scoring method, e.g. `{hf_model: 2, aws_mturk: 1}`; `aws_mturk (verified)` counts D12-verified ones. */
  methods: Record<string, number>;
}

/** The dashboard's state snapshot (also served as JSON at `/dashboard/api/state`). */
export interface DashboardState {
  now: number;
  pending: { total: number; rows: PendingRow[] };
  miners: Array<{ uid: number; hotkey: string; ema: number; chunk: number | null; accuracy: number | null }>;
  scored: number;
  dropped: number;
  /** Newest first. */
  history: Array<
    Pick<HistoryRecord, 'request_id' | 'scored_at' | 'num_responses' | 'hotkey_to_score' | 'audit_failed'>
  >;
  accuracy: Record<string, { accuracy: number; computed_at: number }>;
  /** EMA samples taken by the dashboard: `t` ms and hotkey → score. */
  series: Array<{ t: number; scores: Record<string, number> }>;
  lastWeights: unknown;
  queues: Array<{ name: string; counts: Record<string, number> }>;
}

/** What {@link readState} needs. */
export interface StateSource {
  redis: Redis;
  keys: StoreKeys;
  queues: readonly Queue[];
  lastWeights?: () => unknown;
  /** Largest number of pending requests and history records listed. */
  limit: number;
}

/**
 * Reads one snapshot.
 * @param src - Redis, key layout, queues, limits.
 * @param series - EMA samples kept by the dashboard.
 * @returns the state.
 */
export async function readState(src: StateSource, series: DashboardState['series']): Promise<DashboardState> {
  const { redis, keys } = src;
  const [ranking, chunkRaw, accuracy, pendingTotal, pendingIds, historyRaw] = await Promise.all([
    getRankingState(redis, keys),
    redis.hgetall(keys.chunkScores),
    getAccuracyCache(redis, keys),
    redis.zcard(keys.pending),
    redis.zrange(keys.pending, 0, src.limit - 1, 'WITHSCORES'),
    redis.xrevrange(keys.history, '+', '-', 'COUNT', src.limit),
  ]);
  const rows: PendingRow[] = [];
  for (let i = 0; i + 1 < pendingIds.length; i += 2) {
    const id = pendingIds[i] as string;
    const deadlineMs = Number(pendingIds[i + 1]);
    const entry = await loadRequest(redis, keys, id).catch(() => null);
    const methods: Record<string, number> = {};
    for (const r of entry?.responses ?? []) {
      const m = r.scoring_method === 'aws_mturk' && r.verified ? 'aws_mturk (verified)' : r.scoring_method;
      methods[m] = (methods[m] ?? 0) + 1;
    }
    rows.push({
      requestId: id,
      deadlineMs,
      prompt: (entry?.request.prompt ?? '').slice(0, 200),
      completions: entry?.request.n_completions ?? 0,
      queried: entry?.queried_hotkeys.length ?? 0,
      replies: entry?.responses.length ?? 0,
      methods,
    });
  }
  const history: DashboardState['history'] = [];
  for (const [, fields] of historyRaw) {
    const json = fields[1];
    if (json === undefined) continue;
    try {
      const r = JSON.parse(json) as HistoryRecord;
      history.push({
        request_id: r.request_id,
        scored_at: r.scored_at,
        num_responses: r.num_responses,
        hotkey_to_score: r.hotkey_to_score,
        audit_failed: r.audit_failed ?? [],
      });
    } catch {
      // a malformed record is skipped, the rest still shows
    }
  }
  const lastAccuracy = (h: string): number | null => {
    for (const r of historyRaw) {
      try {
        const v = (JSON.parse(r[1][1] ?? '{}') as HistoryRecord).hotkey_to_accuracy?.[h];
        if (v !== undefined) return v;
      } catch {
        // skip
      }
    }
    return null;
  };
  const miners: DashboardState['miners'] = [];
  ranking.hotkeys.forEach((hotkey, uid) => {
    if (hotkey === '') return;
    const c = chunkRaw[String(uid)];
    miners.push({
      uid,
      hotkey,
      ema: ranking.scores[uid] ?? 0,
      chunk: c === undefined ? null : Number(c),
      accuracy: lastAccuracy(hotkey),
    });
  });
  const queues = await Promise.all(
    src.queues.map(async (q) => ({
      name: q.name,
      counts: await q
        .getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized')
        .catch(() => ({ error: 1 })),
    })),
  );
  return {
    now: Date.now(),
    pending: { total: pendingTotal, rows },
    miners,
    scored: ranking.scored,
    dropped: ranking.dropped,
    history,
    accuracy,
    series: [...series],
    lastWeights: src.lastWeights?.() ?? null,
    queues,
  };
}
