import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { type Axon, buildAxon, createSr25519Signer, Dendrite, type Signer } from '@dojo-ts/neuron';
import { type MTurkResponse, MTurkResponseDef, type Synapse } from '@dojo-ts/protocol';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliverMTurkResponse } from './deliver-mturk-response.js';
import { createDeliveryQueue, type DeliveryQueue, startDeliveryWorker } from './mturk-response-queue.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

let redis: Redis;
let workerRedis: Redis;
let miner: Signer;
let validator: Signer;
let dendrite: Dendrite;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  workerRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  miner = await createSr25519Signer(randomBytes(32));
  validator = await createSr25519Signer(randomBytes(32));
  dendrite = new Dendrite(miner, { externalIp: '10.255.255.4' });
});
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
afterAll(async () => {
  await dendrite.close();
  await redis.quit();
  await workerRedis.quit();
});

function setup(port: number, resolve = true): { queue: DeliveryQueue; worker: Worker; outcomes: number[] } {
  const prefix = `test:miner:${randomUUID()}:bull`;
  const queue = createDeliveryQueue({ connection: redis, prefix, maxDepth: 10, attempts: 8, backoffMs: 100 });
  const outcomes: number[] = [];
  const deliver = createDeliverMTurkResponse({
    dendrite,
    resolveValidator: (hk) => (resolve && hk === validator.address ? { ip: '127.0.0.1', port, hotkey: hk } : null),
    credentials: async () => null,
    timeoutS: 5,
  });
  const worker = startDeliveryWorker({
    connection: workerRedis,
    prefix,
    deliver: async (job) => {
      const r = await deliver(job);
      outcomes.push(r.status);
      return r;
    },
  });
  closers.push(async () => {
    await worker.close();
    await queue.queue.obliterate({ force: true });
    await queue.close();
  });
  return { queue, worker, outcomes };
}

const job = { request_id: 'r1', hit_id: 'HIT1', validator_hotkey: '', completion_id_to_score: { c1: 5.5 } };

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('MTurkResponse delivery queue', () => {
  it('retries while the validator axon is down and delivers once it is up', async () => {
    const port = await freePort();
    const { queue, outcomes } = setup(port);
    await queue.enqueue('HIT1-a', { ...job, validator_hotkey: validator.address });
    await until(() => outcomes.length >= 2, 'two failed attempts');
    expect(outcomes.every((s) => s === 503)).toBe(true);
    const received: Array<Synapse<MTurkResponse>> = [];
    const axon: Axon = buildAxon({ signer: validator }).attach(MTurkResponseDef, {
      forward: (s) => {
        received.push(s);
        return s;
      },
    });
    await axon.listen({ host: '127.0.0.1', port });
    closers.push(() => axon.close());
    await until(() => received.length === 1, 'delivery');
    expect(received[0]?.completion_id_to_score).toEqual({ c1: 5.5 });
    await until(() => outcomes.at(-1) === 200, 'the successful attempt to be recorded');
    await until(async () => (await queue.queue.getJobCountByTypes('completed')) === 1, 'completion');
  });

  it('a 4xx answer (here a blacklist 403) fails the job without retries', async () => {
    const port = await freePort();
    const axon = buildAxon({ signer: validator }).attach(MTurkResponseDef, {
      forward: (s) => s,
      blacklist: () => [true, 'Validators not allowed'],
    });
    await axon.listen({ host: '127.0.0.1', port });
    closers.push(() => axon.close());
    const { queue, outcomes } = setup(port);
    await queue.enqueue('HIT1-b', { ...job, validator_hotkey: validator.address });
    await until(async () => (await queue.queue.getJobCountByTypes('failed')) === 1, 'failure');
    expect(outcomes).toEqual([403]);
    const [failed] = await queue.queue.getJobs(['failed']);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toBe('validator answered 403: Forbidden. Key is blacklisted: Validators not allowed.');
  });

  it('a validator that left the metagraph is dropped (410) without retries, and the queue bound is reported', async () => {
    const { queue, outcomes } = setup(1, false);
    await queue.enqueue('HIT1-c', { ...job, validator_hotkey: validator.address });
    await until(async () => (await queue.queue.getJobCountByTypes('failed')) === 1, 'failure');
    expect(outcomes).toEqual([410]);
    expect(await queue.hasRoom()).toBe(true);
  });
});
