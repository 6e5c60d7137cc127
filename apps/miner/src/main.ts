/**
 * Entry point of the Dojo TS miner: the only module that reads argv/env, opens connections, listens and handles signals.
 * Run: `node --conditions=source --import tsx apps/miner/src/main.ts --netuid 1 --scoring_method hf_model ...`
 */
import type { Chain } from '@dojo-ts/chain';
import type { AxonTarget } from '@dojo-ts/neuron';
import type { Worker } from 'bullmq';
import dotenv from 'dotenv';
import type { FastifyInstance } from 'fastify';
import type { Redis as RedisClient } from 'ioredis';
import { helpText, loadConfig, type MinerConfig, redactedConfig, redactUrl } from './config.js';
import { ConfigError } from './errors.js';
import type { DeliveryQueue } from './jobs/mturk-response-queue.js';

const SYNC_INTERVAL_MS = 12_000;
const HEARTBEAT_MS = 20_000;

function parseConfig(): MinerConfig | number {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // `.env` fills what the environment does not set (real env wins), without touching process.env.
  dotenv.config({ processEnv: env, quiet: true });
  try {
    const c = loadConfig(process.argv.slice(2), env);
    if ('help' in c) {
      process.stdout.write(helpText());
      return 0;
    }
    return c;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`dojo-miner: ${err.message}\n(run with --help for every flag and its env twin)\n`);
      return 2;
    }
    throw err;
  }
}

async function main(): Promise<number> {
  const parsed = parseConfig();
  if (typeof parsed === 'number') return parsed;
  const config = parsed;
  // Heavy modules (polkadot, onnxruntime, AWS SDK) load only after the flags validated, so --help and config errors are instant.
  const [
    { STSClient },
    { LocalChain, SubtensorChain, createSubtensorApi, loadHotkeyPair, resolveNetwork },
    { Dendrite, buildAxon },
    { PROTOCOL_VERSION },
    { Redis },
    { pino },
    { buildApi },
    { attachMinerRoutes },
    { createDeliverMTurkResponse },
    { createDeliveryQueue, startDeliveryWorker },
    { createMetrics },
    { createMTurkClient, createRankingHit, getBalance },
    { createCredentialsProvider },
    { AWS_IP_RANGES_URL, createAwsIpFilter },
    { createScorer },
    { FeedbackStore },
    { RoutingStore },
    { ScoreHistory },
    { MetagraphSync, requireRegistered, serveAxonWithRetries },
    { fastSigner },
  ] = await Promise.all([
    import('@aws-sdk/client-sts'),
    import('@dojo-ts/chain'),
    import('@dojo-ts/neuron'),
    import('@dojo-ts/protocol'),
    import('ioredis'),
    import('pino'),
    import('./api/build-api.js'),
    import('./attach-routes.js'),
    import('./jobs/deliver-mturk-response.js'),
    import('./jobs/mturk-response-queue.js'),
    import('./metrics.js'),
    import('./mturk/create-hit.js'),
    import('./mturk/sts-credentials.js'),
    import('./mturk/aws-ip-filter.js'),
    import('./scorers/create-scorer.js'),
    import('./store/feedback-store.js'),
    import('./store/routing-store.js'),
    import('./store/score-history.js'),
    import('./sync.js'),
    import('./fast-signer.js'),
  ]);
  const log = pino({
    level: config.logLevel,
    base: { app: 'dojo-miner' },
    redact: {
      paths: ['*.secret', '*.secretAccessKey', '*.apiKey', '*.authorization', 'headers["x-dojo-signature"]'],
      censor: '[redacted]',
    },
  });
  log.info({ config: redactedConfig(config) }, 'resolved configuration');

  const walletLocation = { walletPath: config.wallet.path, name: config.wallet.name, hotkey: config.wallet.hotkey };
  const hotkey = await loadHotkeyPair(walletLocation);
  // The keyring pair signs chain extrinsics; axon, dendrite and miner_signature use the wasm signer of the same key.
  const signer = await fastSigner(walletLocation, hotkey);
  const network = resolveNetwork(config.subtensor.network, config.subtensor.chainEndpoint ?? undefined, {});
  const chain: Chain =
    network.kind === 'local'
      ? await LocalChain.connect({ redis: config.localchain.redisUrl, namespace: `lc:${config.localchain.chainId}:` })
      : new SubtensorChain(await createSubtensorApi({ endpoint: network.url }));
  log.info(
    { network: network.kind === 'local' ? 'local' : redactUrl(network.url), hotkey: hotkey.address },
    'chain connected',
  );
  const { metagraph, uid } = await requireRegistered(chain, config.netuid, hotkey.address);
  log.info({ uid, n: metagraph.n }, 'miner registered');

  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const prefix = `${config.redis.prefix}:${config.netuid}:${hotkey.address}:`;
  let queue: DeliveryQueue | null = null;
  const metrics = createMetrics(true, async () => (queue === null ? 0 : queue.depth()));
  const sync = new MetagraphSync(chain, config.netuid, hotkey.address, config.neuron.epochLength, metagraph, log);
  const routing = new RoutingStore(redis, prefix, config.scoring.routingTtlS);
  const loaded = await createScorer(config);
  const dendrite = new Dendrite(signer, { externalIp: config.axon.externalIp });
  const nowS = () => Date.now() / 1000;

  let worker: Worker | null = null;
  let workerRedis: RedisClient | null = null;
  let createHit: Parameters<typeof attachMinerRoutes>[1]['ranking']['createHit'] = null;
  const mturkClient =
    config.scoringMethod === 'aws_mturk'
      ? createMTurkClient({
          environment: config.mturk.environment ?? 'sandbox',
          endpoint: config.mturk.endpoint,
          accessKeyId: config.secrets.awsAccessKeyId ?? '',
          secretAccessKey: config.secrets.awsSecretAccessKey ?? '',
          sessionToken: config.secrets.awsSessionToken,
        })
      : null;
  if (mturkClient) {
    const environment = config.mturk.environment ?? 'sandbox';
    const notified = new Set<string>();
    createHit = (r: { prompt: string; completions: Array<{ cid: string; text: string }> }) => {
      if (notified.size > 1000) notified.clear();
      return createRankingHit(mturkClient, {
        ...r,
        reward: config.mturk.reward,
        snsArn: config.secrets.awsSnsArn ?? '',
        environment,
        notifiedHitTypes: notified,
      });
    };
    getBalance(mturkClient).then(
      (balance) => log.info({ balance, environment }, 'MTurk account balance'),
      (err) => log.warn({ err: (err as Error).message }, 'could not read the MTurk balance'),
    );
    const bullPrefix = `${prefix}bull`;
    queue = createDeliveryQueue({
      connection: redis,
      prefix: bullPrefix,
      maxDepth: config.mturk.retryQueueMax,
      attempts: config.mturk.retryAttempts,
    });
    workerRedis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
    const sts =
      config.secrets.awsAssumeRoleArn === null
        ? null
        : new STSClient({
            region: 'us-east-1',
            credentials: {
              accessKeyId: config.secrets.awsAccessKeyId ?? '',
              secretAccessKey: config.secrets.awsSecretAccessKey ?? '',
            },
          });
    if (sts === null)
      log.warn({}, 'AWS_ASSUME_ROLE_ARN is not set: MTurkResponses carry no credentials and will not verify');
    const deliver = createDeliverMTurkResponse({
      dendrite,
      resolveValidator: (hk): AxonTarget | null => {
        const vuid = sync.current.uidOf(hk);
        const axon = vuid === null ? undefined : sync.current.axons[vuid];
        return axon ? { ip: axon.ip, port: axon.port, hotkey: hk } : null;
      },
      credentials: createCredentialsProvider({ sts, roleArn: config.secrets.awsAssumeRoleArn, environment }),
      timeoutS: config.mturk.responseTimeoutS,
    });
    worker = startDeliveryWorker({
      connection: workerRedis,
      prefix: bullPrefix,
      deliver: async (job) => {
        const result = await deliver(job);
        metrics.mturkResponses.inc({ outcome: result.status === 200 ? 'delivered' : 'attempt_failed' });
        log[result.status === 200 ? 'info' : 'warn'](
          { requestId: job.request_id, hitId: job.hit_id, ...result },
          'MTurkResponse delivery',
        );
        return result;
      },
      onError: (err) => log.error({ err: err.message }, 'delivery worker error'),
    });
  }

  const axon = buildAxon({
    signer,
    externalIp: config.axon.externalIp,
    externalPort: config.axon.externalPort,
    maxConcurrent: config.axon.maxConcurrent,
    maxQueued: config.axon.maxQueued,
    // fastify logs two lines per request at info; keep per-request logging out of the hot path.
    logger: log.child(
      { component: 'axon' },
      { level: config.logLevel === 'trace' || config.logLevel === 'debug' ? config.logLevel : 'warn' },
    ),
  });
  attachMinerRoutes(axon, {
    signer,
    metagraph: () => sync.current,
    ranking: {
      method: config.scoringMethod,
      modelConfig: loaded?.modelConfig ?? null,
      scorer: loaded?.scorer ?? null,
      createHit,
      routing: config.scoringMethod === 'aws_mturk' ? routing : null,
      timeoutMs: config.scoring.timeoutMs,
    },
    history: new ScoreHistory(redis, prefix, config.history.maxLen),
    blacklist: { minerStakeThreshold: config.neuron.minerStakeThreshold, ...config.blacklist },
    nowS,
    log,
    metrics,
  });

  const api: FastifyInstance = buildApi({
    callback:
      config.scoringMethod === 'aws_mturk' && queue
        ? {
            secret: config.secrets.callbackSecret ?? '',
            nowS,
            minWorkers: config.mturk.minWorkers,
            routing,
            feedback: new FeedbackStore(redis, prefix, config.scoring.routingTtlS),
            delivery: { hasRoom: queue.hasRoom, enqueue: queue.enqueue },
            log,
          }
        : null,
    metrics,
    ...(config.api.awsIpFilter
      ? {
          allowIp: createAwsIpFilter({
            fetchRanges: async () => {
              const res = await fetch(AWS_IP_RANGES_URL, { signal: AbortSignal.timeout(10_000) });
              if (!res.ok) throw new Error(`ip-ranges.json answered HTTP ${res.status}`);
              return res.json();
            },
            onError: (err) => log.warn({ err: (err as Error).message }, 'could not refresh the AWS IP ranges'),
          }),
        }
      : {}),
    health: async () => {
      const redisOk = await redis.ping().then(
        () => true,
        () => false,
      );
      return {
        ok: redisOk,
        redis: redisOk ? 'up' : 'down',
        block: sync.current.block,
        uid: sync.current.uidOf(hotkey.address),
      };
    },
    logger: log.child(
      { component: 'api' },
      { level: config.logLevel === 'trace' || config.logLevel === 'debug' ? config.logLevel : 'warn' },
    ),
  });

  await serveAxonWithRetries(
    chain,
    hotkey,
    config.netuid,
    { ip: config.axon.externalIp, port: config.axon.externalPort, version: PROTOCOL_VERSION },
    { log },
  );
  await axon.listen({ host: config.axon.ip, port: config.axon.port });
  await api.listen({ host: config.api.host, port: config.api.port });
  log.info(
    { axon: `${config.axon.ip}:${config.axon.port}`, api: `${config.api.host}:${config.api.port}` },
    'miner serving',
  );
  sync.start(SYNC_INTERVAL_MS);
  const heartbeat = setInterval(() => log.info({ block: sync.current.block }, 'Miner running...'), HEARTBEAT_MS);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        resolve(1);
        return;
      }
      stopping = true;
      log.info({ signal }, 'shutting down: finishing in-flight requests');
      clearInterval(heartbeat);
      const steps: Array<[string, () => Promise<unknown>]> = [
        ['sync', () => sync.stop()],
        ['axon', () => axon.close()],
        ['api', () => api.close()],
        ['worker', async () => worker?.close()],
        ['queue', async () => queue?.close()],
        ['dendrite', () => dendrite.close()],
        ['scorer', async () => loaded?.dispose()],
        ['chain', () => chain.close()],
        ['redis', async () => Promise.all([redis.quit(), workerRedis?.quit()])],
      ];
      for (const [name, step] of steps) {
        await step().catch((err: unknown) =>
          log.warn({ step: name, err: (err as Error).message }, 'shutdown step failed'),
        );
      }
      mturkClient?.destroy();
      log.info({}, 'miner stopped');
      resolve(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as { code?: string; message?: string };
    process.stderr.write(`dojo-miner: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
    process.exit(1);
  },
);
