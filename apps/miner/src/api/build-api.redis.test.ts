import { createHmac, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HumanFeedbackDeps } from '../handlers/human-feedback.js';
import { createDeliveryQueue, type DeliveryQueue } from '../jobs/mturk-response-queue.js';
import { createMetrics } from '../metrics.js';
import { FeedbackStore } from '../store/feedback-store.js';
import { RoutingStore } from '../store/routing-store.js';
import { buildApi } from './build-api.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'test-callback-secret-0123456789';
const NOW = 1_700_000_000;
const CIDS = ['c1', 'c2'];
const VALIDATOR = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

let redis: Redis;
let prefix: string;
let queue: DeliveryQueue;
let maxDepth = 100;

function sign(body: string, ts = NOW, secret = SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-dojo-timestamp': String(ts),
    'x-dojo-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

function assignment(hit: string, worker: string, scores: Record<string, number>, id = `${hit}-${worker}`) {
  return { HITId: hit, AssignmentId: id, WorkerId: worker, Answer: [{ taskAnswers: [scores] }] };
}

async function build(allowIp?: (ip: string) => Promise<boolean>) {
  const ttl = 3600;
  const routing = new RoutingStore(redis, prefix, ttl);
  const feedback = new FeedbackStore(redis, prefix, ttl);
  const deps: HumanFeedbackDeps = {
    secret: SECRET,
    nowS: () => NOW,
    minWorkers: 2,
    routing,
    feedback,
    delivery: { hasRoom: async () => (await queue.depth()) < maxDepth, enqueue: queue.enqueue },
    log: { info: () => {}, warn: () => {}, error: () => {} },
  };
  const metrics = createMetrics(false);
  const app = buildApi({
    callback: deps,
    metrics,
    health: async () => ({ ok: true, redis: 'up' }),
    ...(allowIp ? { allowIp } : {}),
  });
  await routing.saveRequest({
    validator_hotkey: VALIDATOR,
    request_id: 'req-1',
    prompt: 'p',
    completions: CIDS.map((cid) => ({ cid, text: cid })),
    epoch_timestamp: NOW,
    received_at: NOW,
  });
  await routing.saveHit('HIT1', 'req-1');
  return { app, metrics, routing };
}

async function keysUnder(suffix: string): Promise<string[]> {
  return redis.keys(`${prefix}${suffix}*`);
}

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(() => {
  prefix = `test:miner:${randomUUID()}:`;
  maxDepth = 100;
  queue = createDeliveryQueue({ connection: redis, prefix: `${prefix}bull`, maxDepth: 1000, attempts: 3 });
});
afterEach(async () => {
  await queue.queue.obliterate({ force: true });
  await queue.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
});

async function post(app: Awaited<ReturnType<typeof build>>['app'], body: string, headers: Record<string, string>) {
  return app.inject({ method: 'POST', url: '/api/human_feedback/callback', payload: body, headers });
}

describe('POST /api/human_feedback/callback', () => {
  it('two distinct workers → one MTurkResponse job with per-cid means for the validator that asked', async () => {
    const { app } = await build();
    const one = JSON.stringify([assignment('HIT1', 'W1', { c1: 5, c2: 8 })]);
    const r1 = await post(app, one, sign(one));
    expect(r1.statusCode).toBe(200);
    expect(r1.body).toBe('null');
    expect(await queue.depth()).toBe(0);
    const two = JSON.stringify([
      assignment('HIT1', 'W1', { c1: 5, c2: 8 }),
      assignment('HIT1', 'W2', { c1: 6, c2: 7.5 }),
    ]);
    expect((await post(app, two, sign(two))).statusCode).toBe(200);
    const jobs = await queue.queue.getJobs(['waiting']);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toEqual({
      request_id: 'req-1',
      hit_id: 'HIT1',
      validator_hotkey: VALIDATOR,
      completion_id_to_score: { c1: 5.5, c2: 7.75 },
    });
  });

  it('is idempotent: a repeated body and a re-ordered body with the same assignments queue nothing new', async () => {
    const { app } = await build();
    const a = assignment('HIT1', 'W1', { c1: 1, c2: 2 });
    const b = assignment('HIT1', 'W2', { c1: 3, c2: 4 });
    const body = JSON.stringify([a, b]);
    await post(app, body, sign(body));
    const again = await post(app, body, sign(body));
    expect(again.statusCode).toBe(200);
    const reordered = JSON.stringify([b, a]);
    await post(app, reordered, sign(reordered));
    expect(await queue.depth()).toBe(1);
    // A third worker is new information: one more response.
    const three = JSON.stringify([a, b, assignment('HIT1', 'W3', { c1: 5, c2: 6 })]);
    await post(app, three, sign(three));
    const datas = (await queue.queue.getJobs(['waiting'])).map((j) => j.data.completion_id_to_score);
    expect(datas).toContainEqual({ c1: 3, c2: 4 });
    expect(await queue.depth()).toBe(2);
  });

  it('a worker answering twice counts once: one worker is below min_workers', async () => {
    const { app } = await build();
    const body = JSON.stringify([assignment('HIT1', 'W1', { c1: 1 }, 'A1'), assignment('HIT1', 'W1', { c1: 9 }, 'A2')]);
    expect((await post(app, body, sign(body))).statusCode).toBe(200);
    expect(await queue.depth()).toBe(0);
  });

  it('unknown HITs are skipped (200) and nothing is stored for them', async () => {
    const { app } = await build();
    const body = JSON.stringify([assignment('NOHIT', 'W1', { c1: 1 }), assignment('NOHIT', 'W2', { c1: 1 })]);
    expect((await post(app, body, sign(body))).statusCode).toBe(200);
    expect(await keysUnder('asg:')).toEqual([]);
    expect(await queue.depth()).toBe(0);
  });

  describe('refused callbacks store nothing', () => {
    const body = JSON.stringify([assignment('HIT1', 'W1', { c1: 1 }), assignment('HIT1', 'W2', { c1: 2 })]);
    const cases: Array<[string, () => Record<string, string>, number, RegExp]> = [
      [
        'unsigned',
        () => ({ 'content-type': 'application/json', 'x-dojo-timestamp': String(NOW) }),
        401,
        /missing x-dojo-signature/,
      ],
      [
        'without timestamp',
        () => ({ 'content-type': 'application/json', 'x-dojo-signature': sign(body)['x-dojo-signature'] as string }),
        401,
        /missing x-dojo-timestamp/,
      ],
      ['stale (301 s old)', () => sign(body, NOW - 301), 401, /stale/],
      ['from the future (301 s)', () => sign(body, NOW + 301), 401, /stale/],
      ['signed with another secret', () => sign(body, NOW, 'another-secret-0123456789'), 401, /signature mismatch/],
      ['with a malformed signature', () => ({ ...sign(body), 'x-dojo-signature': 'md5=abc' }), 401, /sha256=<64 hex>/],
    ];
    for (const [name, headers, status, message] of cases) {
      it(name, async () => {
        const { app, metrics } = await build();
        const res = await post(app, body, headers());
        expect(res.statusCode).toBe(status);
        expect(res.json().message).toMatch(message);
        expect(await keysUnder('asg:')).toEqual([]);
        expect(await keysUnder('cbody:')).toEqual([]);
        expect(await queue.depth()).toBe(0);
        expect(await metrics.registry.getSingleMetricAsString('dojo_miner_callbacks_total')).toContain(
          `outcome="rejected_${status}"`,
        );
      });
    }

    it('oversized (> 1 MiB) gets 413', async () => {
      const { app } = await build();
      const big = JSON.stringify([{ ...assignment('HIT1', 'W1', { c1: 1 }), pad: 'x'.repeat(1_048_576) }]);
      const res = await post(app, big, sign(big));
      expect(res.statusCode).toBe(413);
      expect(res.json().message).toMatch(/larger than 1048576/);
      expect(await keysUnder('asg:')).toEqual([]);
    });

    it('signed but not JSON, or the wrong shape, gets 400', async () => {
      const { app } = await build();
      const notJson = '{nope';
      expect((await post(app, notJson, sign(notJson))).statusCode).toBe(400);
      const wrong = JSON.stringify([{ HITId: 'HIT1', AssignmentId: 'A', WorkerId: 'W', Answer: 'x' }]);
      const res = await post(app, wrong, sign(wrong));
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe('[0].Answer: expected a list of objects');
      expect(await keysUnder('asg:')).toEqual([]);
    });

    it('a full retry queue answers 503 so the forwarder retries', async () => {
      const { app } = await build();
      maxDepth = 0;
      const res = await post(app, body, sign(body));
      expect(res.statusCode).toBe(503);
      expect(await keysUnder('asg:')).toEqual([]);
      expect(await keysUnder('cbody:')).toEqual([]);
    });
  });
});

describe('operations routes', () => {
  it('/health answers the probe and /metrics exposes prom-client text', async () => {
    const { app } = await build();
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true, redis: 'up' });
    const m = await app.inject({ method: 'GET', url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('# TYPE dojo_miner_callbacks_total counter');
    const withQueue = buildApi({
      callback: null,
      metrics: createMetrics(false, async () => 3),
      health: async () => ({ ok: true }),
    });
    expect((await withQueue.inject({ method: 'GET', url: '/metrics' })).body).toContain(
      'dojo_miner_retry_queue_depth 3',
    );
  });

  it('with the AWS IP filter on, a client outside the ranges gets 403 and nothing is stored', async () => {
    const { app } = await build(async (ip) => ip === '3.5.1.2');
    const body = JSON.stringify([assignment('HIT1', 'W1', { c1: 1 }), assignment('HIT1', 'W2', { c1: 2 })]);
    const url = '/api/human_feedback/callback';
    const outside = await app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: sign(body),
      remoteAddress: '8.8.8.8',
    });
    expect(outside.statusCode).toBe(403);
    expect(await keysUnder('asg:')).toEqual([]);
    const inside = await app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: sign(body),
      remoteAddress: '3.5.1.2',
    });
    expect(inside.statusCode).toBe(200);
    expect(await queue.depth()).toBe(1);
  });

  it('the callback route answers 404 on a miner without aws_mturk', async () => {
    const app = buildApi({ callback: null, metrics: createMetrics(false), health: async () => ({ ok: true }) });
    const res = await app.inject({
      method: 'POST',
      url: '/api/human_feedback/callback',
      payload: '[]',
      headers: sign('[]'),
    });
    expect(res.statusCode).toBe(404);
  });
});
