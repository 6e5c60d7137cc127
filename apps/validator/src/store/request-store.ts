/**
 * Request entries in Redis (dojo.md §8.3, D18). A request is written with one MULTI (entry hash + pending index) and
 * then its deadline job is added; `reconcilePending` re-adds the job of any pending entry that lacks one, so after a
 * crash between the two writes the pair is restored at start-up. Scoring applies through one Lua script.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { StoreError } from '../errors.js';
import { jobIdOf, type ScoreJobData, scheduleScoring } from '../jobs/queues.js';
import type { StoreKeys } from './keys.js';
import { APPLY_SCORES, ATTACH_REPLY, DROP_REQUEST } from './lua.js';
import type { HistoryRecord, RequestEntry, StoredReply } from './types.js';

/** How long the scored marker outlives a request: far longer than any BullMQ retry or stalled-job recovery. */
export const SCORED_MARKER_TTL_S = 7 * 24 * 3600;

/** Outcome of the scoring transaction. */
export type ApplyOutcome = 'applied' | 'already-applied' | 'changed' | 'missing';

/**
 * Persists a new request with its replies, then schedules its deadline job.
 * @param redis - connection
 * @param keys - key layout
 * @param queue - scoring queue
 * @param entry - request, replies, queried hotkeys and deadline
 * @param nowMs - current unix ms
 */
export async function saveRequest(
  redis: Redis,
  keys: StoreKeys,
  queue: Queue<ScoreJobData>,
  entry: Omit<RequestEntry, 'version'>,
  nowMs: number,
): Promise<void> {
  const id = entry.request.request_id;
  if (id.length === 0 || id.length > 128) throw new StoreError('request id must have 1..128 characters');
  const stored = {
    request: entry.request,
    responses: entry.responses,
    queried_hotkeys: entry.queried_hotkeys,
    created_at: entry.created_at,
    deadline_ms: entry.deadline_ms,
  };
  await redis.multi().set(keys.request(id), JSON.stringify(stored)).zadd(keys.pending, entry.deadline_ms, id).exec();
  await scheduleScoring(queue, id, entry.deadline_ms, nowMs);
}

/**
 * Loads a pending request entry.
 * @returns the entry, or null when unknown or already scored
 * @throws StoreError when the stored hash is malformed
 */
export async function loadRequest(redis: Redis, keys: StoreKeys, requestId: string): Promise<RequestEntry | null> {
  const [[, raw], [, extra]] = (await redis
    .multi()
    .get(keys.request(requestId))
    .hgetall(keys.requestExtra(requestId))
    .exec()) as [[unknown, string | null], [unknown, Record<string, string>]];
  if (raw === null) return null;
  try {
    const stored = JSON.parse(raw) as Omit<RequestEntry, 'version'>;
    const byHotkey = new Map<string, StoredReply>();
    for (const r of stored.responses) byHotkey.set(r.hotkey, r);
    for (const [k, v] of Object.entries(extra))
      if (k.startsWith('r:')) byHotkey.set(k.slice(2), JSON.parse(v) as StoredReply);
    const responses = [...byHotkey.values()].sort((a, b) => (a.hotkey < b.hotkey ? -1 : a.hotkey > b.hotkey ? 1 : 0));
    return { ...stored, responses, version: Number(extra.v ?? '0') };
  } catch (err) {
    throw new StoreError(`request ${requestId} is malformed`, { cause: err });
  }
}

/**
 * Attaches or replaces one miner's reply on a pending request.
 * @returns true when stored, false when the request is unknown or already scored
 */
export async function attachReply(
  redis: Redis,
  keys: StoreKeys,
  requestId: string,
  reply: StoredReply,
): Promise<boolean> {
  const v = (await redis.eval(
    ATTACH_REPLY,
    2,
    keys.request(requestId),
    keys.requestExtra(requestId),
    reply.hotkey,
    JSON.stringify(reply),
  )) as number;
  return v > 0;
}

/**
 * Runs the scoring transaction: EMA over all uids with this request's scores, scored marker, history, cleanup.
 * @param args.rewards - per-request score per hotkey (softmax output, audit-failed = 0)
 * @param args.version - the entry version the rewards were computed from
 * @returns what happened; only `applied` changed state
 */
export async function applyScores(
  redis: Redis,
  keys: StoreKeys,
  args: {
    requestId: string;
    alpha: number;
    rewards: Record<string, number>;
    history: HistoryRecord;
    historyMaxLen: number;
    version: number;
  },
): Promise<ApplyOutcome> {
  const r = (await redis.eval(
    APPLY_SCORES,
    8,
    keys.scored(args.requestId),
    keys.request(args.requestId),
    keys.pending,
    keys.scores,
    keys.hotkeys,
    keys.meta,
    keys.history,
    keys.requestExtra(args.requestId),
    args.requestId,
    String(args.alpha),
    JSON.stringify(args.rewards),
    String(SCORED_MARKER_TTL_S),
    JSON.stringify(args.history),
    String(args.historyMaxLen),
    String(args.version),
  )) as number;
  return r === 1 ? 'applied' : r === 0 ? 'already-applied' : r === -1 ? 'changed' : 'missing';
}

/** Drops a request after its last failed attempt; marks it so a later retry does nothing. */
export async function dropRequest(redis: Redis, keys: StoreKeys, requestId: string): Promise<boolean> {
  const r = (await redis.eval(
    DROP_REQUEST,
    5,
    keys.scored(requestId),
    keys.request(requestId),
    keys.pending,
    keys.meta,
    keys.requestExtra(requestId),
    requestId,
    String(SCORED_MARKER_TTL_S),
  )) as number;
  return r === 1;
}

/** True when the request was already scored (or dropped). */
export async function isScored(redis: Redis, keys: StoreKeys, requestId: string): Promise<boolean> {
  return (await redis.exists(keys.scored(requestId))) === 1;
}

/**
 * Re-adds the deadline job of every pending request that has none (crash between entry write and job add).
 * @returns the number of jobs re-added
 */
export async function reconcilePending(
  redis: Redis,
  keys: StoreKeys,
  queue: Queue<ScoreJobData>,
  nowMs: number,
): Promise<number> {
  let added = 0;
  let cursor = 0;
  const batch = 500;
  for (;;) {
    const ids = await redis.zrange(keys.pending, cursor, cursor + batch - 1, 'WITHSCORES');
    if (ids.length === 0) break;
    for (let i = 0; i < ids.length; i += 2) {
      const id = ids[i] as string;
      const deadline = Number(ids[i + 1]);
      const state = await queue.getJobState(jobIdOf(id));
      if (state === 'unknown') {
        await scheduleScoring(queue, id, deadline, nowMs);
        added++;
      }
    }
    cursor += batch;
  }
  return added;
}

/** Number of requests waiting for their deadline. */
export async function pendingCount(redis: Redis, keys: StoreKeys): Promise<number> {
  return redis.zcard(keys.pending);
}
