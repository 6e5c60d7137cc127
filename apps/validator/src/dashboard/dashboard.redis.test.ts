/**
 * The dashboard against real Redis state written by the validator's own store modules: pending requests with
 * deadlines, EMA scores, history, accuracy, queue counts; and its guard (token or loopback-only).
 */
import type { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScoringQueue } from '../jobs/workers.js';
import { type StoreKeys, storeKeys } from '../store/keys.js';
import { saveRequest } from '../store/request-store.js';
import { setAccuracy } from '../store/state-store.js';
import { deleteKeys, makeEntry, newRedis, testPrefix } from '../test-utils/helpers.js';
import { dashboardAuthorized, registerDashboard } from './register.js';
import type { DashboardState } from './state.js';

const prefix = testPrefix();
const HOTKEYS = ['5MinerAlpha', '5MinerBeta'];
let redis: Redis;
let keys: StoreKeys;
let queue: Queue;
const apps: FastifyInstance[] = [];
const deadline = Date.now() + 3_600_000;

async function app(token: string | null): Promise<FastifyInstance> {
  const a = Fastify();
  registerDashboard(a, { redis, keys, queues: [queue], token, lastWeights: () => ({ ok: true, block: 42 }) });
  await a.ready();
  apps.push(a);
  return a;
}

beforeAll(async () => {
  redis = newRedis();
  keys = storeKeys(prefix, 1, '5Validator');
  queue = openScoringQueue(redis, keys.bullPrefix);
  await saveRequest(redis, keys, queue, makeEntry('req-pending-1', HOTKEYS, { deadlineMs: deadline }), Date.now());
  await redis.hset(keys.hotkeys, '1', HOTKEYS[0] as string, '2', HOTKEYS[1] as string);
  await redis.hset(keys.scores, '1', '0.42', '2', '0.07');
  await redis.hset(keys.meta, 'n', '3', 'scored', '5');
  await redis.hset(keys.chunkScores, '1', '1.5');
  await redis.xadd(
    keys.history,
    '*',
    'r',
    JSON.stringify({
      request_id: 'req-scored-1',
      scored_at: Date.now() / 1000,
      modality: 'text',
      prompt: 'p',
      num_completions: 2,
      consensus_scores: [0.6, 0.4],
      best_completion: 'a',
      num_responses: 2,
      hotkey_to_score: { [HOTKEYS[0] as string]: 0.8, [HOTKEYS[1] as string]: 0.2 },
      hotkey_to_accuracy: { [HOTKEYS[0] as string]: 0.75 },
      audit_failed: [HOTKEYS[1]],
    }),
  );
  await setAccuracy(redis, keys, 'hf_model:tiny-reward-model', { accuracy: 0.75, computed_at: Date.now() });
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await queue.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('dashboard state and page', () => {
  it('lists pending requests with their deadlines, EMA scores, accuracy, history and queue counts', async () => {
    const a = await app(null);
    const res = await a.inject({ method: 'GET', url: '/dashboard/api/state' });
    expect(res.statusCode).toBe(200);
    const s = res.json() as DashboardState;
    expect(s.pending.total).toBe(1);
    expect(s.pending.rows[0]).toMatchObject({
      requestId: 'req-pending-1',
      deadlineMs: deadline,
      queried: 2,
      replies: 2,
    });
    expect(s.pending.rows[0]?.methods).toEqual({ hf_model: 2 });
    expect(s.miners.find((m) => m.hotkey === HOTKEYS[0])).toMatchObject({
      uid: 1,
      ema: 0.42,
      chunk: 1.5,
      accuracy: 0.75,
    });
    expect(s.history[0]).toMatchObject({ request_id: 'req-scored-1', audit_failed: [HOTKEYS[1]] });
    expect(s.accuracy['hf_model:tiny-reward-model']?.accuracy).toBe(0.75);
    expect(s.lastWeights).toEqual({ ok: true, block: 42 });
    expect(s.series.length).toBeGreaterThan(0);
    expect(s.series.at(-1)?.scores[HOTKEYS[0] as string]).toBe(0.42);
    expect(s.queues[0]?.name).toBe(queue.name);
    expect(s.queues[0]?.counts.delayed).toBe(1);
    const page = await a.inject({ method: 'GET', url: '/dashboard/' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Pending requests (1)');
    expect(page.body).toContain(new Date(deadline).toISOString());
    expect(page.body).toContain('<polyline class="series"');
    expect(page.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // self-contained: no external resources
  });

  it('without a token serves loopback callers only', async () => {
    const a = await app(null);
    expect((await a.inject({ url: '/dashboard/', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    const remote = await a.inject({ url: '/dashboard/', remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().message).toMatch(/DOJO_DASHBOARD_TOKEN/);
    expect((await a.inject({ url: '/dashboard/queues/api/queues', remoteAddress: '10.1.2.3' })).statusCode).toBe(403);
  });

  it('with a token requires it (Bearer or Basic password) on the page, the JSON and bull-board', async () => {
    const a = await app('s3cret-token');
    const none = await a.inject({ url: '/dashboard/' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    expect(
      (await a.inject({ url: '/dashboard/api/state', headers: { authorization: 'Bearer wrong' } })).statusCode,
    ).toBe(401);
    expect((await a.inject({ url: '/dashboard/queues/api/queues' })).statusCode).toBe(401);
    const bearer = await a.inject({ url: '/dashboard/api/state', headers: { authorization: 'Bearer s3cret-token' } });
    expect(bearer.statusCode).toBe(200);
    const basic = `Basic ${Buffer.from('anyone:s3cret-token').toString('base64')}`;
    const q = await a.inject({ url: '/dashboard/queues/api/queues', headers: { authorization: basic } });
    expect(q.statusCode).toBe(200);
    expect(JSON.stringify(q.json())).toContain(queue.name);
  });

  it('accepts only the exact token', () => {
    expect(dashboardAuthorized('Bearer abc', 'abc')).toBe(true);
    expect(dashboardAuthorized('Bearer abcd', 'abc')).toBe(false);
    expect(dashboardAuthorized(`Basic ${Buffer.from('u:abc').toString('base64')}`, 'abc')).toBe(true);
    expect(dashboardAuthorized(`Basic ${Buffer.from('abc').toString('base64')}`, 'abc')).toBe(false);
    expect(dashboardAuthorized(undefined, 'abc')).toBe(false);
  });
});
