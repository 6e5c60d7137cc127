/**
 * Validator state in Redis (dojo.md §8.3, chunking.md §9): ranking EMA scores with the hotkeys they belong to, the
 * accuracy cache, chunking scores, loop counters. Every multi-key change is one Lua script, so the deadline worker
 * (possibly another process) and the loop never see half an update.
 */
import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.js';

/** Resync carrying scores over by hotkey: unchanged uid → kept; replaced or new uid → `reset` (0, or deleted). */
const RESYNC = `
local newHotkeys = cjson.decode(ARGV[1])
local deleteReplaced = ARGV[2] == '1'
local n = #newHotkeys
local old = redis.call('HGETALL', KEYS[2])
local oldByUid = {}
for i = 1, #old, 2 do oldByUid[tonumber(old[i])] = old[i + 1] end
local scores = redis.call('HGETALL', KEYS[1])
local scoreByUid = {}
for i = 1, #scores, 2 do scoreByUid[tonumber(scores[i])] = scores[i + 1] end
local changed = 0
redis.call('DEL', KEYS[1], KEYS[2])
for uid = 0, n - 1 do
  local hk = newHotkeys[uid + 1]
  redis.call('HSET', KEYS[2], tostring(uid), hk)
  if oldByUid[uid] == hk and scoreByUid[uid] ~= nil then
    redis.call('HSET', KEYS[1], tostring(uid), scoreByUid[uid])
  else
    if oldByUid[uid] ~= hk then changed = changed + 1 end
    if not deleteReplaced then redis.call('HSET', KEYS[1], tostring(uid), '0') end
  end
end
if KEYS[3] ~= nil then redis.call('HSET', KEYS[3], 'n', tostring(n)) end
return changed
`;

/** Ranking scores aligned with the hotkeys they belong to. */
export interface RankingState {
  hotkeys: string[];
  scores: number[];
  scored: number;
  dropped: number;
}

function byUid(h: Record<string, string>, n: number): Array<string | undefined> {
  const out: Array<string | undefined> = Array.from({ length: n }, () => undefined);
  for (const [k, v] of Object.entries(h)) {
    const uid = Number(k);
    if (Number.isInteger(uid) && uid >= 0 && uid < n) out[uid] = v;
  }
  return out;
}

/**
 * Reads the ranking scores (dojo.md §11.3).
 * @returns hotkeys and scores by uid (NaN stored values read as 0)
 */
export async function getRankingState(redis: Redis, keys: StoreKeys): Promise<RankingState> {
  const [meta, hk, sc] = await Promise.all([
    redis.hgetall(keys.meta),
    redis.hgetall(keys.hotkeys),
    redis.hgetall(keys.scores),
  ]);
  const n = Number(meta.n ?? '0');
  const hotkeys = byUid(hk, n).map((h) => h ?? '');
  const scores = byUid(sc, n).map((s) => {
    const x = Number(s ?? '0');
    return Number.isFinite(x) ? x : 0;
  });
  return { hotkeys, scores, scored: Number(meta.scored ?? '0'), dropped: Number(meta.dropped ?? '0') };
}

/**
 * Metagraph resync for the ranking scores: scores of unchanged hotkeys carry over, replaced and new uids start at 0.
 * @returns the number of uids whose hotkey changed
 */
export async function resyncRankingScores(redis: Redis, keys: StoreKeys, hotkeys: readonly string[]): Promise<number> {
  return (await redis.eval(RESYNC, 3, keys.scores, keys.hotkeys, keys.meta, JSON.stringify(hotkeys), '0')) as number;
}

/**
 * Metagraph resync for the chunking scores: replaced and new uids get no score (chunking.md §9, K4).
 * @returns the number of uids whose hotkey changed
 */
export async function resyncChunkScores(redis: Redis, keys: StoreKeys, hotkeys: readonly string[]): Promise<number> {
  return (await redis.eval(RESYNC, 2, keys.chunkScores, keys.chunkHotkeys, JSON.stringify(hotkeys), '1')) as number;
}

/**
 * Reads chunking scores (lower is better; null = no score yet).
 * @param n - number of uids
 */
export async function getChunkScores(redis: Redis, keys: StoreKeys, n: number): Promise<Array<number | null>> {
  const h = await redis.hgetall(keys.chunkScores);
  return byUid(h, n).map((s) => (s === undefined ? null : Number(s)));
}

/** Writes chunking scores for the given uids (one writer: the loop process). */
export async function setChunkScores(
  redis: Redis,
  keys: StoreKeys,
  updates: ReadonlyArray<{ uid: number; score: number }>,
): Promise<void> {
  if (updates.length === 0) return;
  const fields: string[] = [];
  for (const u of updates) fields.push(String(u.uid), String(u.score));
  await redis
    .multi()
    .hset(keys.chunkScores, ...fields)
    .hincrby(keys.loop, 'chunk_step', 1)
    .exec();
}

/** A cached accuracy value (D10). */
export interface AccuracyEntry {
  accuracy: number;
  computed_at: number;
}

/** Reads the whole accuracy cache. */
export async function getAccuracyCache(redis: Redis, keys: StoreKeys): Promise<Record<string, AccuracyEntry>> {
  const h = await redis.hgetall(keys.accuracy);
  const out: Record<string, AccuracyEntry> = {};
  for (const [k, v] of Object.entries(h)) {
    try {
      const e = JSON.parse(v) as AccuracyEntry;
      if (Number.isFinite(e.accuracy)) out[k] = e;
    } catch {
      // A corrupt entry counts as "not evaluated" (multiplier 1) and is overwritten by the next evaluation.
    }
  }
  return out;
}

/** Stores one accuracy value. */
export async function setAccuracy(redis: Redis, keys: StoreKeys, key: string, entry: AccuracyEntry): Promise<void> {
  await redis.hset(keys.accuracy, key, JSON.stringify(entry));
}

/** Clears the accuracy cache (the 24 h reset); keys fall back to multiplier 1. */
export async function clearAccuracy(redis: Redis, keys: StoreKeys): Promise<number> {
  return redis.del(keys.accuracy);
}

/** Remembers accuracy keys seen in replies; returns the ones that were new. */
export async function addAccuracyKeys(redis: Redis, keys: StoreKeys, accKeys: readonly string[]): Promise<string[]> {
  const fresh: string[] = [];
  for (const k of new Set(accKeys)) if ((await redis.sadd(keys.accuracyKeys, k)) === 1) fresh.push(k);
  return fresh;
}

/** All accuracy keys seen so far. */
export async function getAccuracyKeys(redis: Redis, keys: StoreKeys): Promise<string[]> {
  return (await redis.smembers(keys.accuracyKeys)).sort();
}

/** Reads and increments a loop counter (seed cursor, step). */
export async function nextCounter(redis: Redis, keys: StoreKeys, field: string): Promise<number> {
  return (await redis.hincrby(keys.loop, field, 1)) - 1;
}

/** Reads a loop field. */
export async function getLoopField(redis: Redis, keys: StoreKeys, field: string): Promise<string | null> {
  return redis.hget(keys.loop, field);
}

/** Writes a loop field. */
export async function setLoopField(redis: Redis, keys: StoreKeys, field: string, value: string): Promise<void> {
  await redis.hset(keys.loop, field, value);
}
