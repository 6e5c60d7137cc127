/**
 * Classification accuracy (dojo.md §12, D10): one repeatable BullMQ job per `(method, model)` key every
 * `--accuracy.interval_s`, skipping keys that already have a cached value, plus a reset job every
 * `--accuracy.reset_interval_s`. All keys evaluated in the same interval use the same batch plan (stored once in
 * Redis), and the dataset cursors advance once per plan.
 */
import { batchAccuracy, mulberry32, planBatches, type Rng, runAccuracy } from '@dojo-ts/scoring';
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PreferencePair, PreferenceSource } from '../datasets/preference-source.js';
import type { StoreKeys } from '../store/keys.js';
import { clearAccuracy, getAccuracyCache, setAccuracy } from '../store/state-store.js';
import {
  ACCURACY_JOB,
  ACCURACY_QUEUE,
  ACCURACY_RESET_JOB,
  ACCURACY_RESET_SCHEDULER,
  type AccuracyJobData,
  accuracySchedulerId,
} from './queues.js';
import { attachErrorLog } from './workers.js';

/**
 * Scores one preference pair for one accuracy key: 1 correct, 0.5 tie, 0 wrong, null failed (excluded, §12.4).
 * Returns null as a whole when the validator has no access to that model (the key is left without value).
 */
export type PairScorerFactory = (key: string) => ((pair: PreferencePair, rng: Rng) => Promise<number | null>) | null;

/** Dependencies of {@link evaluateAccuracyKey}. */
export interface AccuracyDeps {
  redis: Redis;
  keys: StoreKeys;
  log: Logger;
  preferences: PreferenceSource;
  scorerFor: PairScorerFactory;
  numBatches: number;
  batchSize: number;
  intervalMs: number;
  seed: number;
  now?: () => number;
}

interface Plan {
  batches: Array<{ dataset: string; rows: number[] }>;
}

async function planFor(deps: AccuracyDeps, runIndex: number): Promise<Plan> {
  const planKey = `${deps.keys.base}accuracy:plan:${runIndex}`;
  const existing = await deps.redis.get(planKey);
  if (existing) return JSON.parse(existing) as Plan;
  const datasets = await deps.preferences.datasets();
  const rawCursors = await deps.redis.hgetall(deps.keys.cursors);
  const cursors: Record<string, number> = {};
  for (const [k, v] of Object.entries(rawCursors)) cursors[k] = Number(v);
  const rng = mulberry32((deps.seed ^ runIndex) >>> 0);
  const planned = planBatches(rng, datasets, cursors, deps.numBatches, deps.batchSize);
  const plan: Plan = { batches: planned.batches };
  const ttlS = Math.max(60, Math.ceil((2 * deps.intervalMs) / 1000));
  // Only the first job of this interval writes the plan and advances the cursors.
  const created = await deps.redis.set(planKey, JSON.stringify(plan), 'EX', ttlS, 'NX');
  if (created === 'OK') {
    const fields: string[] = [];
    for (const [k, v] of Object.entries(planned.cursors)) fields.push(k, String(v));
    if (fields.length > 0) await deps.redis.hset(deps.keys.cursors, ...fields);
    return plan;
  }
  return JSON.parse((await deps.redis.get(planKey)) as string) as Plan;
}

/**
 * Evaluates one key unless it already has a cached value.
 * @returns the stored accuracy, `cached` when skipped, or null when abandoned or without access
 */
export async function evaluateAccuracyKey(deps: AccuracyDeps, key: string): Promise<number | 'cached' | null> {
  const now = deps.now ?? Date.now;
  const cache = await getAccuracyCache(deps.redis, deps.keys);
  if (cache[key] !== undefined) return 'cached';
  const scorer = deps.scorerFor(key);
  if (!scorer) {
    deps.log.info({ key }, 'accuracy: no access to this model; multiplier stays 1');
    return null;
  }
  const runIndex = Math.floor(now() / deps.intervalMs);
  const plan = await planFor(deps, runIndex);
  const rng = mulberry32((deps.seed ^ runIndex ^ 0x5bd1e995) >>> 0);
  const results: Array<number | null> = [];
  for (const [i, batch] of plan.batches.entries()) {
    const pairs = await deps.preferences.pairs(batch.dataset, batch.rows);
    const outcomes: Array<number | null> = [];
    for (const pair of pairs) outcomes.push(await scorer(pair, rng).catch(() => null));
    const acc = batchAccuracy(outcomes);
    results.push(acc);
    deps.log.info(
      { key, batch: i + 1, of: plan.batches.length, dataset: batch.dataset, rows: outcomes.length, accuracy: acc },
      'accuracy progress',
    );
    if (acc === null) break;
  }
  const accuracy = runAccuracy(results);
  if (accuracy === null) {
    deps.log.warn({ key }, 'accuracy evaluation abandoned for this run');
    return null;
  }
  await setAccuracy(deps.redis, deps.keys, key, { accuracy, computed_at: now() });
  deps.log.info({ key, accuracy }, 'accuracy stored');
  return accuracy;
}

/**
 * The 24 h reset (D10). The scheduler fires its first job at once; that first run only records the reset time, so a
 * (re)start never wipes fresh values. Later runs clear the cache when at least half an interval has passed.
 * @returns `reset`, `initialised` or `not-due`
 */
export async function resetAccuracyIfDue(deps: AccuracyDeps, resetIntervalMs: number): Promise<string> {
  const now = (deps.now ?? Date.now)();
  const last = await deps.redis.hget(deps.keys.loop, 'accuracy_reset_at');
  if (last === null) {
    await deps.redis.hset(deps.keys.loop, 'accuracy_reset_at', String(now));
    return 'initialised';
  }
  if (now - Number(last) < resetIntervalMs / 2) return 'not-due';
  const cleared = await clearAccuracy(deps.redis, deps.keys);
  await deps.redis.hset(deps.keys.loop, 'accuracy_reset_at', String(now));
  deps.log.info({ cleared }, 'accuracy cache reset');
  return 'reset';
}

/** Opens the accuracy queue. */
export function openAccuracyQueue(connection: ConnectionOptions, prefix: string): Queue<AccuracyJobData> {
  return new Queue<AccuracyJobData>(ACCURACY_QUEUE, { connection, prefix });
}

/**
 * Makes sure every key has its repeatable job and the reset job exists (idempotent: schedulers are upserted).
 */
export async function ensureAccuracySchedulers(
  queue: Queue<AccuracyJobData>,
  accKeys: readonly string[],
  intervalMs: number,
  resetIntervalMs: number,
): Promise<void> {
  for (const key of accKeys) {
    await queue.upsertJobScheduler(
      accuracySchedulerId(key),
      { every: intervalMs },
      { name: ACCURACY_JOB, data: { key }, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
  await queue.upsertJobScheduler(
    ACCURACY_RESET_SCHEDULER,
    { every: resetIntervalMs },
    { name: ACCURACY_RESET_JOB, data: { key: '' }, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
}

/**
 * Starts the accuracy worker (concurrency 1, so no evaluation overlaps another).
 */
export function startAccuracyWorker(
  connection: ConnectionOptions,
  prefix: string,
  deps: AccuracyDeps,
  resetIntervalMs: number,
): Worker<AccuracyJobData> {
  const worker = new Worker<AccuracyJobData>(
    ACCURACY_QUEUE,
    async (job: Job<AccuracyJobData>) => {
      if (job.name === ACCURACY_RESET_JOB) return resetAccuracyIfDue(deps, resetIntervalMs);
      const key = job.data?.key;
      if (typeof key !== 'string' || key === '') return 'no-key';
      return evaluateAccuracyKey(deps, key);
    },
    { connection, prefix, concurrency: 1, lockDuration: 10 * 60_000 },
  );
  attachErrorLog(worker, deps.log);
  return worker;
}
