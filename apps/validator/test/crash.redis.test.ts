/**
 * Crash safety of the deadline worker on real Redis: a worker process is SIGKILLed while deadline jobs run (one job
 * right after its committed transaction, before BullMQ completes it; others inside the window before their
 * transaction); a restarted worker scores every request exactly once and loses none.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreJobData } from '../src/jobs/queues.js';
import { openScoringQueue } from '../src/jobs/workers.js';
import { storeKeys } from '../src/store/keys.js';
import { pendingCount, saveRequest } from '../src/store/request-store.js';
import { getRankingState, resyncRankingScores } from '../src/store/state-store.js';
import { deleteKeys, makeEntry, newRedis, REDIS_URL, testPrefix } from '../src/test-utils/helpers.js';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const HOTKEYS = Array.from({ length: 10 }, (_, i) => `miner-${i}`);

export function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/test-utils/worker-process.ts'], {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export async function waitFor(cond: () => Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function historyIds(redis: Redis, key: string): Promise<string[]> {
  const entries = await redis.xrange(key, '-', '+');
  return entries.map(([, fields]) => (JSON.parse(fields[1] as string) as { request_id: string }).request_id);
}

describe('deadline worker crash safety (SIGKILL)', () => {
  const prefix = testPrefix();
  const keys = storeKeys(prefix, 1, 'validator-hk');
  let redis: Redis;
  let queue: Queue<ScoreJobData>;
  const children: ChildProcess[] = [];
  const N = 40;

  beforeAll(async () => {
    redis = newRedis();
    queue = openScoringQueue(redis, keys.bullPrefix);
    await resyncRankingScores(redis, keys, HOTKEYS);
    const now = Date.now();
    for (let i = 0; i < N; i++) {
      const miners = HOTKEYS.filter((_, h) => (h + i) % 3 !== 0);
      await saveRequest(redis, keys, queue, makeEntry(`crash-${i}`, miners, { deadlineMs: now }), now);
    }
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await queue.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const env = { REDIS_URL, PREFIX: prefix, HOTKEY: 'validator-hk', NETUID: '1' };
  const scored = async () => (await getRankingState(redis, keys)).scored;

  it('a worker SIGKILLed right after a committed transaction, with other jobs mid-flight: none lost, none twice', async () => {
    // concurrency 4 with a sleep inside the crash window: when the 5th transaction commits and the process dies,
    // up to three other jobs are between loading their request and applying it, and the 5th job is not completed
    const w1 = spawnWorker({ ...env, CRASH_AFTER_APPLIED: '5', CONCURRENCY: '4', DELAY_MS: '30' });
    children.push(w1);
    await exited(w1);
    expect(w1.signalCode).toBe('SIGKILL');
    const afterCrash = await scored();
    expect(afterCrash).toBeGreaterThanOrEqual(5);
    expect(afterCrash).toBeLessThan(N);
    // the dead worker's jobs are still marked active (its locks have not expired yet)
    expect((await queue.getJobCounts('active')).active).toBeGreaterThanOrEqual(1);

    // two workers share the rest, as in the scale-out layout (separate worker processes on one Redis)
    const w2 = spawnWorker({ ...env, CONCURRENCY: '4' });
    const w3 = spawnWorker({ ...env, CONCURRENCY: '4', DELAY_MS: '5' });
    children.push(w2, w3);
    await waitFor(async () => (await pendingCount(redis, keys)) === 0, 'all requests scored');
    await waitFor(async () => (await queue.getJobCounts('active', 'wait', 'delayed')).active === 0, 'queue drained');
    w2.kill('SIGTERM');
    w3.kill('SIGTERM');
    await Promise.all([exited(w2), exited(w3)]);

    const state = await getRankingState(redis, keys);
    expect(state.scored).toBe(N);
    expect(state.dropped).toBe(0);
    const ids = await historyIds(redis, keys.history);
    expect(ids.length).toBe(N);
    expect(new Set(ids).size).toBe(N);
    const outcomes = await redis.hgetall(`${prefix}:test:outcomes`);
    // (this test counter is bumped after the commit, so a job whose process died in between is counted by its rerun
    // as already-applied; the counter inside the transaction, state.scored, is the exact one)
    expect(Number(outcomes.applied)).toBeLessThanOrEqual(N);
    // the job whose worker died after its commit ran again and found the marker
    expect(Number(outcomes['already-applied'] ?? '0')).toBeGreaterThanOrEqual(1);
    expect(Number(outcomes.applied) + Number(outcomes['already-applied'])).toBeGreaterThanOrEqual(N);
    const counts = await queue.getJobCounts('active', 'wait', 'delayed', 'failed');
    expect(counts).toEqual({ active: 0, wait: 0, delayed: 0, failed: 0 });
  });
});
