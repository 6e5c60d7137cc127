import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ListAssignmentsForHITCommand } from '@aws-sdk/client-mturk';
import { STSClient } from '@aws-sdk/client-sts';
import {
  dojoChatResponder,
  type MTurkServer,
  type StsServer,
  startMTurkServer,
  startOpenAiCompatibleServer,
  startStsServer,
} from '@dojo-ts/local-services';
import {
  type Axon,
  buildAxon,
  createSr25519Signer,
  Dendrite,
  type Signer,
  signSynapse,
  verifySr25519,
} from '@dojo-ts/neuron';
import {
  ChunkSynapseDef,
  emptyTerminalInfo,
  encodeHeaders,
  type MTurkResponse,
  MTurkResponseDef,
  PROTOCOL_VERSION,
  RankingRequestDef,
  RankingResultDef,
  type Synapse,
  stringifyJson,
} from '@dojo-ts/protocol';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from './api/build-api.js';
import { attachMinerRoutes } from './attach-routes.js';
import { loadConfig, type MinerConfig } from './config.js';
import type { MetagraphView } from './handlers/blacklist.js';
import type { Scorer } from './handlers/ranking-request.js';
import { createDeliverMTurkResponse } from './jobs/deliver-mturk-response.js';
import { createDeliveryQueue, type DeliveryQueue, startDeliveryWorker } from './jobs/mturk-response-queue.js';
import { createMetrics } from './metrics.js';
import { createMTurkClient, createRankingHit } from './mturk/create-hit.js';
import { createCredentialsProvider } from './mturk/sts-credentials.js';
import { createScorer } from './scorers/create-scorer.js';
import { FeedbackStore } from './store/feedback-store.js';
import { RoutingStore } from './store/routing-store.js';
import { ScoreHistory } from './store/score-history.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'integration-callback-secret-0123';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:mturk_sns_topic';
const silent = { info: () => {}, warn: () => {}, error: () => {} };

interface Harness {
  axon: Axon;
  target: { ip: string; port: number; hotkey: string };
  close(): Promise<void>;
}

let redis: Redis;
let workerRedis: Redis;
let miner: Signer;
let validator: Signer;
let lowStake: Signer;
let otherMiner: Signer;
let dendrite: Dendrite;
let prefix: string;
const cleanups: Array<() => Promise<void>> = [];

function metagraph(): MetagraphView {
  const hotkeys = [validator.address, miner.address, lowStake.address, otherMiner.address];
  return {
    S: [30_000, 0, 5_000, 10],
    validatorPermit: [true, false, true, false],
    uidOf: (h) => {
      const i = hotkeys.indexOf(h);
      return i < 0 ? null : i;
    },
  };
}

// The models engineer's tiny ONNX reward model, found through package resolution (no path across packages).
function tinyRewardModelDir(): string {
  const roots = createRequire(import.meta.url).resolve.paths('@dojo-ts/models') ?? [];
  const dir = roots.map((r) => join(r, '@dojo-ts/models/test/fixtures/tiny-reward-model')).find((d) => existsSync(d));
  if (!dir) throw new Error('tiny reward model fixture of @dojo-ts/models not found');
  return dir;
}

function minerConfig(argv: string[], env: Record<string, string> = {}): MinerConfig {
  const c = loadConfig(['--subtensor.network', 'local', ...argv], env);
  if ('help' in c) throw new Error('help');
  return c;
}

async function startMiner(o: {
  method: 'hf_model' | 'llm_api' | 'aws_mturk';
  scorer?: Scorer;
  modelConfig?: { provider: 'openai' | 'togetherai' | null; model_name: string };
  mturk?: MTurkServer;
  timeoutMs?: number;
}) {
  const metrics = createMetrics(false);
  const routing = new RoutingStore(redis, prefix, 3600);
  const client = o.mturk
    ? createMTurkClient({ environment: 'sandbox', endpoint: o.mturk.endpoint, accessKeyId: 'a', secretAccessKey: 'b' })
    : null;
  const notified = new Set<string>();
  const axon = buildAxon({ signer: miner, externalIp: '127.0.0.1' });
  attachMinerRoutes(axon, {
    signer: miner,
    metagraph,
    ranking: {
      method: o.method,
      modelConfig:
        o.modelConfig ??
        (o.method === 'aws_mturk'
          ? null
          : { provider: o.method === 'llm_api' ? 'openai' : null, model_name: 'test-model' }),
      scorer: o.scorer ?? null,
      createHit: client
        ? (r) =>
            createRankingHit(client, {
              ...r,
              reward: '0.01',
              snsArn: TOPIC,
              environment: 'sandbox',
              notifiedHitTypes: notified,
            })
        : null,
      routing: o.method === 'aws_mturk' ? routing : null,
      timeoutMs: o.timeoutMs ?? 5000,
    },
    history: new ScoreHistory(redis, prefix, 5),
    blacklist: {
      minerStakeThreshold: 1000,
      minValidatorStake: 20_000,
      minimumStake: 0,
      allowNonRegistered: false,
      forceValidatorPermit: false,
    },
    nowS: () => Date.now() / 1000,
    log: silent,
    metrics,
  });
  const address = await axon.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(address).port);
  const h: Harness & { metrics: typeof metrics; routing: RoutingStore } = {
    axon,
    target: { ip: '127.0.0.1', port, hotkey: miner.address },
    metrics,
    routing,
    close: async () => {
      await axon.close();
      client?.destroy();
    },
  };
  cleanups.push(h.close);
  return h;
}

function request(completions = 3) {
  return RankingRequestDef.create({
    prompt: 'Which answer <b>explains</b> photosynthesis best?',
    n_completions: completions,
    completions: Array.from({ length: completions }, (_, i) => ({ cid: randomUUID(), text: `Completion **${i}**` })),
  });
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  workerRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  miner = await createSr25519Signer(randomBytes(32));
  validator = await createSr25519Signer(randomBytes(32));
  lowStake = await createSr25519Signer(randomBytes(32));
  otherMiner = await createSr25519Signer(randomBytes(32));
  dendrite = new Dendrite(validator, { externalIp: '10.255.255.1' });
  prefix = `test:miner:${randomUUID()}:`;
});

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

afterAll(async () => {
  await dendrite.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await workerRedis.quit();
});

describe('RankingRequest over a real axon and dendrite', () => {
  it('hf_model end to end: the tiny ONNX reward model scores every completion with sigmoid(logit) in (0, 1)', async () => {
    const config = minerConfig([
      '--scoring_method',
      'hf_model',
      '--model_name',
      'tiny/reward',
      '--hf.onnx_repo',
      tinyRewardModelDir(),
      '--hf.offline',
    ]);
    const loaded = await createScorer(config);
    if (!loaded) throw new Error('no scorer');
    cleanups.push(loaded.dispose);
    const h = await startMiner({ method: 'hf_model', scorer: loaded.scorer, modelConfig: loaded.modelConfig });
    const req = request();
    const [res] = await dendrite.query([h.target], req, { timeoutS: 20 });
    expect(res?.dendrite.status_code).toBe(200);
    expect(res?.scoring_method).toBe('hf_model');
    expect(res?.model_config).toEqual({ provider: null, model_name: 'tiny/reward' });
    expect(res?.ranks.map((r) => r.cid)).toEqual(req.completions.map((c) => c.cid));
    const direct = await loaded.scorer.score(req.prompt, req.completions);
    for (const r of res?.ranks ?? []) {
      expect(r.score).toBeGreaterThan(0);
      expect(r.score).toBeLessThan(1);
      expect(r.score).toBe(direct[r.cid]);
    }
  });

  it('llm_api end to end: the openai SDK against the local OpenAI-compatible server, ranks matched by cid', async () => {
    const server = await startOpenAiCompatibleServer({
      apiKey: 'sk-miner-test',
      chat: dojoChatResponder({ score: (_p, c) => Number(c.text.replace(/\D/g, '')) / 10 }),
    });
    cleanups.push(() => server.close());
    const config = minerConfig(
      [
        '--scoring_method',
        'llm_api',
        '--llm_provider',
        'openai',
        '--model_name',
        'gpt-4o-mini',
        '--llm_base_url',
        server.url,
      ],
      { OPENAI_API_KEY: 'sk-miner-test' },
    );
    const loaded = await createScorer(config, { attempts: 1 });
    if (!loaded) throw new Error('no scorer');
    const h = await startMiner({ method: 'llm_api', scorer: loaded.scorer, modelConfig: loaded.modelConfig });
    const req = request(3);
    const [res] = await dendrite.query([h.target], req, { timeoutS: 20 });
    expect(res?.dendrite.status_code).toBe(200);
    expect(res?.scoring_method).toBe('llm_api');
    expect(res?.model_config).toEqual({ provider: 'openai', model_name: 'gpt-4o-mini' });
    expect(res?.ranks).toEqual(req.completions.map((c, i) => ({ cid: c.cid, score: i / 10 })));
    const body = server.requests.at(-1)?.body as {
      model: string;
      temperature: number;
      messages: Array<{ content: string }>;
    };
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.temperature).toBe(0);
  });

  it('hf_model/llm_api replies carry ranks in completion order, scoring_method and model_config', async () => {
    const scorer: Scorer = {
      id: 'fixed',
      score: async (_p, cs) => Object.fromEntries(cs.map((c, i) => [c.cid, (i + 1) / 10])),
    };
    const h = await startMiner({ method: 'llm_api', scorer });
    const req = request();
    const [res] = await dendrite.query([h.target], req, { timeoutS: 10 });
    expect(res?.dendrite.status_code).toBe(200);
    expect(res?.ranks).toEqual(req.completions.map((c, i) => ({ cid: c.cid, score: (i + 1) / 10 })));
    expect(res?.scoring_method).toBe('llm_api');
    expect(res?.model_config).toEqual({ provider: 'openai', model_name: 'test-model' });
  });

  it('a scorer that throws gives a clean 500 with the reason, and the axon keeps serving', async () => {
    const scorer: Scorer = {
      id: 'broken',
      score: async () => {
        throw new Error('CUDA out of memory');
      },
    };
    const h = await startMiner({ method: 'hf_model', scorer });
    const [res] = await dendrite.query([h.target], request(), { timeoutS: 10 });
    expect(res?.dendrite.status_code).toBe(500);
    expect(res?.dendrite.status_message).toBe('Scoring failed: CUDA out of memory');
    expect(res?.ranks).toEqual([]);
    const [again] = await dendrite.query(
      [h.target],
      ChunkSynapseDef.create({ document: 'One. Two.', chunk_size: 100 }),
      { timeoutS: 10 },
    );
    expect(again?.dendrite.status_code).toBe(200);
  });

  it('a scorer that exceeds the time limit gives a clean 408 and no ranks', async () => {
    const scorer: Scorer = { id: 'slow', score: () => new Promise(() => {}) };
    const h = await startMiner({ method: 'hf_model', scorer, timeoutMs: 200 });
    const [res] = await dendrite.query([h.target], request(), { timeoutS: 10 });
    expect(res?.dendrite.status_code).toBe(408);
    expect(res?.dendrite.status_message).toBe('Scoring failed: hf_model scoring timed out after 0.2 s');
    expect(res?.ranks).toEqual([]);
    expect(await h.metrics.registry.getSingleMetricAsString('dojo_miner_requests_total')).toContain(
      'outcome="timeout"',
    );
  });

  it('blacklists unknown hotkeys, miners and low-stake validators with the spec reasons', async () => {
    const h = await startMiner({ method: 'hf_model', scorer: { id: 'x', score: async () => ({}) } });
    const cases: Array<[Signer | null, string]> = [
      [null, 'Unrecognized hotkey'],
      [otherMiner, 'Not a validator'],
      [lowStake, 'Insufficient validator stake'],
    ];
    for (const [signer, reason] of cases) {
      const d = new Dendrite(signer ?? (await createSr25519Signer(randomBytes(32))));
      const [res] = await d.query([h.target], request(), { timeoutS: 10 });
      expect(res?.dendrite.status_code).toBe(403);
      expect(res?.dendrite.status_message).toBe(`Forbidden. Key is blacklisted: ${reason}.`);
      await d.close();
    }
  });
});

describe('RankingResult and chunkSynapse', () => {
  it('RankingResult is kept in the bounded score history with this miner’s own score', async () => {
    const h = await startMiner({ method: 'hf_model', scorer: { id: 'x', score: async () => ({}) } });
    for (let i = 0; i < 7; i++) {
      const result = RankingResultDef.create({
        request_id: `r${i}`,
        cid_to_consensus: { a: 0.5 },
        hotkey_to_score: { [miner.address]: i / 10 },
      });
      const [res] = await dendrite.query([h.target], result, { timeoutS: 10 });
      expect(res?.dendrite.status_code).toBe(200);
    }
    const history = new ScoreHistory(redis, prefix, 5);
    expect(await history.size()).toBe(5);
    const recent = await history.recent(2);
    expect(recent.map((e) => [e.request_id, e.score, e.validator_hotkey])).toEqual([
      ['r6', 0.6, validator.address],
      ['r5', 0.5, validator.address],
    ]);
  });

  it('chunkSynapse answers greedy sentence chunks signed by the miner hotkey', async () => {
    const h = await startMiner({ method: 'hf_model', scorer: { id: 'x', score: async () => ({}) } });
    const document = 'The sun rose early. Birds sang in the trees. A long day began. Everyone went to work.';
    const [res] = await dendrite.query(
      [h.target],
      ChunkSynapseDef.create({ document, chunk_size: 45, time_soft_max: 5 }),
      { timeoutS: 10 },
    );
    expect(res?.dendrite.status_code).toBe(200);
    expect(res?.chunks).toEqual([
      'The sun rose early. Birds sang in the trees.',
      'A long day began. Everyone went to work.',
    ]);
    const signed = `{"document": "${document}", "chunk_size": 45, "chunks": ["${res?.chunks?.join('", "')}"]}`;
    expect(verifySr25519(`0x${res?.miner_signature}`, signed, miner.address)).toBe(true);
  });
});

describe('aws_mturk end to end', () => {
  let mturk: MTurkServer;
  let stsServer: StsServer;
  let stsClient: STSClient;
  let queue: DeliveryQueue;
  let worker: Worker;
  let validatorAxon: Axon;
  let validatorTarget: { ip: string; port: number; hotkey: string };
  const received: Array<Synapse<MTurkResponse>> = [];

  beforeAll(async () => {
    mturk = await startMTurkServer();
    stsServer = await startStsServer();
    stsClient = new STSClient({
      region: 'us-east-1',
      endpoint: stsServer.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    validatorAxon = buildAxon({ signer: validator }).attach(MTurkResponseDef, {
      forward: (s) => {
        received.push(s);
        return s;
      },
    });
    const port = Number(new URL(await validatorAxon.listen({ host: '127.0.0.1', port: 0 })).port);
    validatorTarget = { ip: '127.0.0.1', port, hotkey: validator.address };
    queue = createDeliveryQueue({
      connection: redis,
      prefix: `${prefix}bull`,
      maxDepth: 100,
      attempts: 3,
      backoffMs: 50,
    });
    const minerDendrite = new Dendrite(miner, { externalIp: '10.255.255.2' });
    worker = startDeliveryWorker({
      connection: workerRedis,
      prefix: `${prefix}bull`,
      deliver: createDeliverMTurkResponse({
        dendrite: minerDendrite,
        resolveValidator: (hotkey) => (hotkey === validator.address ? validatorTarget : null),
        credentials: createCredentialsProvider({
          sts: stsClient,
          roleArn: 'arn:aws:iam::123456789012:role/mturk_read_only',
          environment: 'sandbox',
        }),
        timeoutS: 10,
      }),
    });
    worker.on('closed', () => void minerDendrite.close());
  });

  afterAll(async () => {
    await worker.close();
    await queue.queue.obliterate({ force: true });
    await queue.close();
    await validatorAxon.close();
    await mturk.close();
    stsClient.destroy();
    await stsServer.close();
  });

  it('creates a HIT through the MTurk client, then signed callbacks deliver an MTurkResponse to the asking validator', async () => {
    const h = await startMiner({ method: 'aws_mturk', mturk });
    const req = request(2);
    const [res] = await dendrite.query([h.target], req, { timeoutS: 10 });
    expect(res?.dendrite.status_code).toBe(200);
    expect(res?.scoring_method).toBe('aws_mturk');
    expect(res?.ranks).toEqual([]);
    const hitId = res?.mturk_hit_id as string;
    const hit = mturk.getHit(hitId);
    expect(hit?.Question).toContain('&lt;b&gt;explains&lt;/b&gt;');
    for (const c of req.completions) expect(hit?.Question).toContain(`<crowd-slider name="${c.cid}"`);
    expect(await h.routing.getHitRequestId(hitId)).toBe(req.request_id);
    expect(await h.routing.getRequest(req.request_id)).toMatchObject({
      validator_hotkey: validator.address,
      hit_id: hitId,
    });
    expect(await redis.ttl(`${prefix}req:${req.request_id}`)).toBeGreaterThan(3500);

    const [c1, c2] = req.completions.map((c) => c.cid) as [string, string];
    const api = buildApi({
      callback: {
        secret: SECRET,
        nowS: () => Date.now() / 1000,
        minWorkers: 2,
        routing: h.routing,
        feedback: new FeedbackStore(redis, prefix, 3600),
        delivery: { hasRoom: queue.hasRoom, enqueue: queue.enqueue },
        log: silent,
      },
      metrics: h.metrics,
      health: async () => ({ ok: true }),
    });
    // The Lambda forwarder's job: on each AssignmentSubmitted, list all assignments and POST them signed.
    const client = createMTurkClient({
      environment: 'sandbox',
      endpoint: mturk.endpoint,
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    const forward = async () => {
      const n = await mturk.nextNotification();
      const event = n.message.Events[0];
      expect(event?.EventType).toBe('AssignmentSubmitted');
      const listed = await client.send(new ListAssignmentsForHITCommand({ HITId: event?.HITId }));
      const body = JSON.stringify(
        (listed.Assignments ?? []).map((a) => ({
          HITId: a.HITId,
          AssignmentId: a.AssignmentId,
          WorkerId: a.WorkerId,
          Answer: [
            ...(a.Answer ?? '').matchAll(/<QuestionIdentifier>(.*?)<\/QuestionIdentifier><FreeText>(.*?)<\/FreeText>/g),
          ].map((m) => ({
            [m[1] as string]: JSON.parse(
              (m[2] as string).replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'),
            ),
          })),
        })),
      );
      const ts = String(Math.floor(Date.now() / 1000));
      const sig = createHmac('sha256', SECRET).update(body).digest('hex');
      return api.inject({
        method: 'POST',
        url: '/api/human_feedback/callback',
        payload: body,
        headers: { 'content-type': 'application/json', 'x-dojo-timestamp': ts, 'x-dojo-signature': `sha256=${sig}` },
      });
    };
    mturk.submitAssignment(hitId, 'WORKER_A', { taskAnswers: [{ [c1]: 4, [c2]: 9 }] });
    expect((await forward()).statusCode).toBe(200);
    expect(received).toHaveLength(0);
    mturk.submitAssignment(hitId, 'WORKER_B', { taskAnswers: [{ [c1]: 6, [c2]: 8.5 }] });
    expect((await forward()).statusCode).toBe(200);

    for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(received).toHaveLength(1);
    const got = received[0];
    expect(got?.request_id).toBe(req.request_id);
    expect(got?.mturk_hit_id).toBe(hitId);
    expect(got?.scoring_method).toBe('aws_mturk');
    expect(got?.completion_id_to_score).toEqual({ [c1]: 5, [c2]: 8.75 });
    expect(got?.dendrite.hotkey).toBe(miner.address);
    expect(got?.aws_credentials).toMatchObject({
      access_key_id: stsServer.issued.at(-1)?.accessKeyId,
      session_token: stsServer.issued.at(-1)?.sessionToken,
      environment: 'sandbox',
    });
    client.destroy();
    await api.close();
  });

  it('a body whose dendrite.hotkey is not the verified signer is refused (no routing to another validator)', async () => {
    const h = await startMiner({ method: 'aws_mturk', mturk });
    const req = request(2) as Synapse;
    req.timeout = 10;
    req.dendrite = {
      ...emptyTerminalInfo(),
      ip: '10.255.255.1',
      version: PROTOCOL_VERSION,
      uuid: randomUUID(),
      hotkey: validator.address,
      nonce: BigInt(Date.now()) * 1_000_000n,
    };
    req.axon = { ...emptyTerminalInfo(), ip: '127.0.0.1', port: h.target.port, hotkey: miner.address };
    signSynapse(validator, RankingRequestDef, req);
    const headers = encodeHeaders(RankingRequestDef, req);
    // The signature covers the headers and the hashed fields, not the body's dendrite: forge it after signing.
    const body = stringifyJson({ ...req, dendrite: { ...req.dendrite, hotkey: lowStake.address } });
    const res = await fetch(`http://127.0.0.1:${h.target.port}/RankingRequest`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('bt_header_axon_status_message')).toBe(
      'dendrite.hotkey in the body is not the verified caller',
    );
    expect(await h.routing.getRequest(req.request_id as string)).toBeNull();
    expect(
      mturk.listHits().some((x) => x.Question.includes((req.completions as Array<{ cid: string }>)[0]?.cid ?? '?')),
    ).toBe(false);
  });

  it('a HIT creation failure is a clean failed reply', async () => {
    const broken = await startMTurkServer();
    await broken.close();
    const h = await startMiner({ method: 'aws_mturk', mturk: broken });
    const [res] = await dendrite.query([h.target], request(2), { timeoutS: 20 });
    expect(res?.dendrite.status_code).toBe(500);
    expect(res?.dendrite.status_message).toMatch(/^HIT creation failed: /);
  });
});
