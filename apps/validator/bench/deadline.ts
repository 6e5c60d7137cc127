/**
 * Bench: N pending requests (10 replies × 4 completions each, a 256-uid metagraph) scored at their deadline by the
 * deadline worker, for N = 1 000 (baseline) and N = 10 000. Prints time to score, Redis memory per pending request
 * beyond its payload (INFO used_memory delta and the sum of MEMORY USAGE over the run's key prefix, both minus the
 * payload bytes), and the 10k / 1k scaling ratios. Runs its own throwaway redis-server on a free loopback port so
 * INFO memory sees only this bench.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { openScoringQueue, startScoringWorker } from '../src/jobs/workers.js';
import { storeKeys } from '../src/store/keys.js';
import { pendingCount, saveRequest } from '../src/store/request-store.js';
import { getRankingState, resyncRankingScores } from '../src/store/state-store.js';
import type { RequestEntry, StoredReply } from '../src/store/types.js';

const HOTKEYS = Array.from({ length: 256 }, (_, i) => `5Bench${String(i).padStart(42, '0')}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function entry(i: number, deadlineMs: number): Omit<RequestEntry, 'version'> {
  const id = randomUUID();
  const completions = Array.from({ length: 4 }, (_, c) => ({
    cid: randomUUID(),
    text: `Completion ${c} of request ${i}: ${'lorem ipsum dolor sit amet '.repeat(8)}`,
  }));
  const miners = Array.from({ length: 10 }, (_, k) => HOTKEYS[(i * 7 + k * 13) % 256] as string);
  const responses: StoredReply[] = [...new Set(miners)].map((hotkey, k) => ({
    hotkey,
    scoring_method: 'hf_model',
    model_config: { provider: null, model_name: 'OpenAssistant/reward-model-deberta-v3-large-v2' },
    ranks: completions.map((c, j) => ({ cid: c.cid, score: (((k + 1) * (j + 3)) % 11) / 11 })),
    mturk_hit_id: null,
  }));
  return {
    request: {
      request_id: id,
      epoch_timestamp: Date.now() / 1000,
      prompt: `Prompt ${i}: explain something useful in a few sentences.`,
      n_completions: 4,
      completions,
      modality: 'text',
    },
    responses,
    queried_hotkeys: miners,
    created_at: Date.now(),
    deadline_ms: deadlineMs,
  };
}

function payloadBytes(e: Omit<RequestEntry, 'version'>): number {
  let n = Buffer.byteLength(JSON.stringify(e.request)) + Buffer.byteLength(JSON.stringify(e.queried_hotkeys));
  for (const r of e.responses) n += Buffer.byteLength(JSON.stringify(r));
  return n;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? '0');
}

async function memoryUsageOfPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let total = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const pipe = redis.pipeline();
    for (const k of keys) pipe.memory('USAGE', k, 'SAMPLES', '0');
    for (const [, v] of (await pipe.exec()) ?? []) total += Number(v ?? 0);
  } while (cursor !== '0');
  return total;
}

let runIndex = 0;

async function runOnce(redis: Redis, n: number) {
  runIndex++;
  const keys = storeKeys(`bench${n}r${runIndex}`, 1, 'validator');
  const queue = openScoringQueue(redis, keys.bullPrefix);
  await resyncRankingScores(redis, keys, HOTKEYS);
  const memBefore = await usedMemory(redis);
  const baseBefore = await memoryUsageOfPrefix(redis, keys.base);
  // one common deadline, far enough ahead that every request is still pending when memory is measured
  const deadline = Date.now() + 3000 + n * 3;
  let payload = 0;
  const t0 = performance.now();
  const batch = 200;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, k) => {
        const e = entry(i + k, deadline);
        payload += payloadBytes(e);
        return saveRequest(redis, keys, queue, e, Date.now());
      }),
    );
  }
  const insertMs = performance.now() - t0;
  const pendingAtMeasure = await pendingCount(redis, keys);
  const memAfter = await usedMemory(redis);
  const prefixBytes = (await memoryUsageOfPrefix(redis, keys.base)) - baseBefore;
  const log = pino({ level: 'silent' });
  const worker = startScoringWorker(
    redis,
    keys.bullPrefix,
    {
      redis,
      keys,
      log,
      alpha: 0.3,
      historyMaxLen: 100_000,
      scoring: { humanBoost: 1.2, auditFraction: 0, minSpearman: 0.9, seed: 1 },
    },
    { concurrency: 16, lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
  );
  await worker.waitUntilReady();
  const late = Date.now() > deadline;
  while (Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const t1 = performance.now();
  while ((await getRankingState(redis, keys)).scored < n) await new Promise((r) => setTimeout(r, 20));
  const scoreMs = performance.now() - t1;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  const state = await getRankingState(redis, keys);
  return {
    n,
    pendingAtMeasure,
    insertMs,
    scoreMs,
    perSecond: n / (scoreMs / 1000),
    payloadPerRequest: payload / n,
    usedMemoryPerRequest: (memAfter - memBefore) / n,
    overheadInfoPerRequest: (memAfter - memBefore - payload) / n,
    overheadKeysPerRequest: (prefixBytes - payload) / n,
    scored: state.scored,
    late,
  };
}

async function main() {
  const port = await freePort();
  let server: ChildProcess | null = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    maxRetriesPerRequest: null,
    retryStrategy: (t) => Math.min(t * 50, 500),
  });
  redis.on('error', () => {});
  for (let i = 0; i < 100 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
  try {
    await runOnce(redis, 200); // warm-up (JIT, Lua script cache), not reported
    const results = [];
    // the 1k baseline runs before and after the 10k run; their mean damps load changes on a shared machine
    for (const n of (process.env.BENCH_SIZES ?? '1000,10000,1000').split(',').map(Number)) {
      const r = await runOnce(redis, n);
      results.push(r);
      console.log(
        `N=${r.n}: inserted in ${r.insertMs.toFixed(0)} ms; scored at the deadline in ${r.scoreMs.toFixed(0)} ms ` +
          `(${r.perSecond.toFixed(0)} req/s, scored ${r.scored}/${r.n}); pending when measured ${r.pendingAtMeasure}` +
          (r.late ? ' (worker was ready only after the deadline)' : ''),
      );
      console.log(
        `  memory per pending request: payload ${r.payloadPerRequest.toFixed(0)} B; used_memory +${r.usedMemoryPerRequest.toFixed(0)} B ` +
          `=> beyond payload ${r.overheadInfoPerRequest.toFixed(0)} B (INFO), ${r.overheadKeysPerRequest.toFixed(0)} B (MEMORY USAGE of the prefix); goal <= 2048 B`,
      );
    }
    const small = results.filter((r) => r.n === 1000);
    const large = results.find((r) => r.n === 10_000);
    if (small.length > 0 && large) {
      const perReq1k = small.reduce((acc, r) => acc + r.scoreMs / r.n, 0) / small.length;
      const overhead1k = small.reduce((acc, r) => acc + r.overheadInfoPerRequest, 0) / small.length;
      console.log(
        `scaling 1k -> 10k: requests x10, scoring time x${(large.scoreMs / (perReq1k * 1000)).toFixed(2)}, ` +
          `time per request 10k/1k = ${(large.scoreMs / large.n / perReq1k).toFixed(2)} (1.0 = linear), ` +
          `memory beyond payload per request 10k/1k = ${(large.overheadInfoPerRequest / overhead1k).toFixed(2)}`,
      );
    }
  } finally {
    redis.disconnect();
    server?.kill('SIGKILL');
    server = null;
  }
}

await main();
