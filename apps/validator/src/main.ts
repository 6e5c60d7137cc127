/**
 * Validator entry point: the only file that reads argv/env, opens connections, listens and handles signals.
 * Roles (`--validator.role`): `all` (default: loops, axon, API, deadline and accuracy workers), `loop` (no workers),
 * `worker` (deadline and accuracy workers plus the API, sharing Redis with a `loop` process elsewhere).
 */
import { readFileSync } from 'node:fs';
import { type Chain, LocalChain, loadHotkeyPair, SubtensorChain } from '@dojo-ts/chain';
import { buildAxon, Dendrite } from '@dojo-ts/neuron';
import { MTurkResponseDef, versionAsInt } from '@dojo-ts/protocol';
import { mulberry32, type WeightRule } from '@dojo-ts/scoring';
import type { Worker } from 'bullmq';
import dotenv from 'dotenv';
import { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { createMetrics } from './api/metrics.js';
import { buildApi } from './api/server.js';
import { runChunkRound } from './chunking.js';
import { bool, helpText, loadConfig, num, redactedConfig, str, type ValidatorConfig } from './config.js';
import { registerDashboard } from './dashboard/register.js';
import { corpusFromFile, type DocumentSource, wikipediaSource } from './datasets/corpus.js';
import { BUNDLED_CORPUS_PATH, BUNDLED_PREFERENCE_PATH, BUNDLED_SEED_PATH } from './datasets/paths.js';
import {
  bundledPreferenceSource,
  localPreferenceSource,
  type PreferenceSource,
  rowsApiPreferenceSource,
} from './datasets/preference-source.js';
import { type SeedSource, seedSourceFromFile, seedSourceFromRowsApi } from './datasets/seed-source.js';
import { type ForwardDeps, sendRequest } from './forward.js';
import { handleMTurkResponse, mturkBlacklist } from './handlers/mturk-response.js';
import { verifyMTurkResponse } from './handlers/mturk-verify.js';
import { createVerifiedCallers } from './handlers/verified-callers.js';
import { ensureAccuracySchedulers, openAccuracyQueue, startAccuracyWorker } from './jobs/accuracy.js';
import { createResultSender } from './jobs/send-results.js';
import { openScoringQueue, startScoringWorker } from './jobs/workers.js';
import { runLoop, sleep } from './loop.js';
import { createEmbedder, createModelAccess, isMinerFault } from './models.js';
import { emptyView, type NeuronView } from './neuron-view.js';
import { specVersion } from './set-weights.js';
import { storeKeys } from './store/keys.js';
import { pendingCount, reconcilePending } from './store/request-store.js';
import { getAccuracyCache, getAccuracyKeys, getRankingState } from './store/state-store.js';
import { refreshView, sync } from './sync.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

async function openChain(cfg: ValidatorConfig, log: Logger): Promise<{ chain: Chain; close: () => Promise<void> }> {
  const network = str(cfg, 'subtensor.network') ?? 'finney';
  const endpoint = str(cfg, 'subtensor.chain_endpoint');
  if (network === 'local' && !endpoint) {
    const url = str(cfg, 'localchain.redis_url') ?? (str(cfg, 'redis.url') as string);
    const chainRedis = new Redis(url, { maxRetriesPerRequest: null });
    chainRedis.on('error', (err) => log.debug({ err: err.message }, 'localchain redis error'));
    const chain = await LocalChain.connect({
      redis: chainRedis,
      namespace: `lc:${str(cfg, 'localchain.chain_id')}:`,
      onError: (err) => log.debug({ err: (err as Error).message }, 'localchain block producer error'),
    });
    return {
      chain,
      close: async () => {
        await chain.close().catch(() => {});
        chainRedis.disconnect();
      },
    };
  }
  const chain = await SubtensorChain.connect({ network, ...(endpoint ? { chainEndpoint: endpoint } : {}) });
  return { chain, close: () => chain.close() };
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const loaded = loadConfig(process.argv.slice(2), process.env);
  if ('help' in loaded) {
    process.stdout.write(helpText());
    return;
  }
  const cfg = loaded;
  const log = pino({
    level: str(cfg, 'logging.level') ?? 'info',
    base: { app: 'validator' },
    // belt and braces: nothing logs these, but a future log line with a synapse in it must not leak them
    redact: ['*.aws_credentials', '*.secret_access_key', '*.session_token', '*.authorization', 'secrets.*'],
  });
  process.on('unhandledRejection', (err) => log.error({ err: (err as Error)?.message }, 'unhandled rejection'));
  log.info(redactedConfig(cfg), 'configuration');
  const role = str(cfg, 'validator.role') as 'all' | 'loop' | 'worker';
  const runsLoop = role !== 'worker';
  const runsWorkers = role !== 'loop';
  const netuid = num(cfg, 'netuid');
  const seed = cfg.flags.seed === null ? Math.floor(Math.random() * 2 ** 31) : num(cfg, 'seed');

  const signer = await loadHotkeyPair({
    walletPath: str(cfg, 'wallet.path') ?? undefined,
    name: str(cfg, 'wallet.name') ?? 'default',
    hotkey: str(cfg, 'wallet.hotkey') ?? 'default',
  });
  const hotkey = signer.address;
  const keys = storeKeys(str(cfg, 'redis.prefix') as string, netuid, hotkey);
  const redis = new Redis(str(cfg, 'redis.url') as string, { maxRetriesPerRequest: null });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const { chain, close: closeChain } = await openChain(cfg, log);

  let view: NeuronView = emptyView(netuid);
  const syncDeps = {
    chain,
    netuid,
    redis,
    keys,
    log,
    ownHotkey: hotkey,
    getView: () => view,
    setView: (v: NeuronView) => {
      view = v;
    },
    epochLength: num(cfg, 'neuron.epoch_length'),
  };
  await refreshView(syncDeps);
  log.info({ hotkey, netuid, uid: view.uidOf.get(hotkey), n: view.n, role }, 'validator registered');

  const dendrite = new Dendrite(signer, { externalIp: str(cfg, 'axon.external_ip') ?? '127.0.0.1' });
  const scoringQueue = openScoringQueue(redis, keys.bullPrefix);
  const accuracyQueue = openAccuracyQueue(redis, keys.bullPrefix);
  for (const q of [scoringQueue, accuracyQueue]) q.on('error', (err) => log.warn({ err: err.message }, 'queue error'));
  const metrics = createMetrics(() => pendingCount(redis, keys));
  const stakeThreshold = num(cfg, 'neuron.miner_stake_threshold');
  const modelAccess = createModelAccess({
    hfCacheSize: num(cfg, 'hf.cache_size'),
    hfOffline: bool(cfg, 'hf.offline'),
    hfLocalModelPath: str(cfg, 'hf.local_model_path'),
    hfAllowlist:
      str(cfg, 'audit.hf_allowlist')
        ?.split(',')
        .map((s) => s.trim()) ?? null,
    keys: { togetherai: cfg.secrets.togetherApiKey, openai: cfg.secrets.openaiApiKey },
    log,
  });
  const accuracyInterval = num(cfg, 'accuracy.interval_s') * 1000;
  const accuracyReset = num(cfg, 'accuracy.reset_interval_s') * 1000;
  const abort = new AbortController();
  const loops: Array<Promise<void>> = [];
  const workers: Worker[] = [];
  let lastWeights: unknown = null;
  let forwardRef: ForwardDeps | null = null;
  let step = 0;

  // ---- workers (deadline scoring, accuracy) ----
  if (runsWorkers) {
    const scoringWorker = startScoringWorker(
      redis,
      keys.bullPrefix,
      {
        redis,
        keys,
        log,
        alpha: num(cfg, 'neuron.moving_average_alpha'),
        historyMaxLen: num(cfg, 'history.max_len'),
        scoring: {
          humanBoost: num(cfg, 'scoring.human_feedback_boost'),
          auditFraction: num(cfg, 'audit.fraction'),
          minSpearman: num(cfg, 'audit.min_spearman'),
          rescore: modelAccess.rescore,
          seed,
        },
        sendResults: createResultSender(dendrite, () => view, num(cfg, 'scoring.result_timeout_s'), log),
        afterApply: async (_id, outcome) => {
          metrics.requestsScored.inc({ outcome });
        },
      },
      {
        concurrency: num(cfg, 'jobs.concurrency'),
        lockDurationMs: num(cfg, 'jobs.lock_ms'),
        stalledIntervalMs: num(cfg, 'jobs.stalled_interval_ms'),
      },
    );
    workers.push(scoringWorker);
    const source = str(cfg, 'datasets.source');
    let preferences: PreferenceSource;
    if (source === 'local') preferences = await localPreferenceSource(str(cfg, 'datasets.dir') ?? '.');
    else if (source === 'hf-rows') {
      preferences = rowsApiPreferenceSource({
        baseUrl: str(cfg, 'datasets.rows_url') as string,
        token: cfg.secrets.hfToken,
      });
    } else preferences = await bundledPreferenceSource(BUNDLED_PREFERENCE_PATH);
    workers.push(
      startAccuracyWorker(
        redis,
        keys.bullPrefix,
        {
          redis,
          keys,
          log,
          preferences,
          scorerFor: modelAccess.scorerFor,
          numBatches: num(cfg, 'evaluation.num_batches'),
          batchSize: num(cfg, 'evaluation.batch_size'),
          intervalMs: accuracyInterval,
          seed,
        },
        accuracyReset,
      ),
    );
    await ensureAccuracySchedulers(accuracyQueue, await getAccuracyKeys(redis, keys), accuracyInterval, accuracyReset);
    if (!runsLoop) {
      // a worker-only process still needs fresh axons to deliver RankingResults
      loops.push(runLoop('metagraph', 60_000, abort.signal, log, async () => void (await refreshView(syncDeps))));
    }
  }

  // ---- loop side: axon, ranking loop, chunking loop, sync/weights ----
  let axonClose: (() => Promise<void>) | null = null;
  if (runsLoop) {
    const reAdded = await reconcilePending(redis, keys, scoringQueue, Date.now());
    if (reAdded > 0) log.warn({ reAdded }, 'deadline jobs restored for pending requests');
    const mturkEnv = str(cfg, 'mturk.environment') as 'production' | 'sandbox';
    const callers = createVerifiedCallers(hotkey);
    const axon = buildAxon({ signer, externalPort: num(cfg, 'axon.port'), bodyLimitBytes: 1024 * 1024 }).attach(
      MTurkResponseDef,
      {
        blacklist: mturkBlacklist(() => view, stakeThreshold),
        verify: callers.verify,
        forward: (s) =>
          handleMTurkResponse(
            {
              redis,
              keys,
              log,
              verify: (claim, cids) =>
                verifyMTurkResponse(claim, cids, {
                  environment: mturkEnv,
                  endpoint: str(cfg, 'mturk.endpoint'),
                  minWorkers: num(cfg, 'mturk.min_workers'),
                  meanTolerance: num(cfg, 'mturk.mean_tolerance'),
                  credentialsMode: str(cfg, 'mturk.credentials') as 'miner' | 'validator',
                  validatorCredentials:
                    cfg.secrets.awsAccessKeyId && cfg.secrets.awsSecretAccessKey
                      ? { accessKeyId: cfg.secrets.awsAccessKeyId, secretAccessKey: cfg.secrets.awsSecretAccessKey }
                      : null,
                }),
              onOutcome: (status) => metrics.mturkResponses.inc({ status: String(status) }),
            },
            s,
            callers.take(s.dendrite),
          ),
      },
    );
    if (!bool(cfg, 'neuron.axon_off')) {
      await axon.listen({ host: str(cfg, 'axon.ip') as string, port: num(cfg, 'axon.port') });
      axonClose = () => axon.close();
      const network = str(cfg, 'subtensor.network');
      const ip = str(cfg, 'axon.external_ip') ?? (network === 'local' ? '127.0.0.1' : null);
      if (ip === null) throw new Error('--axon.external_ip is required to serve the axon on a public network');
      let served = false;
      for (let attempt = 0; attempt < 10 && !served; attempt++) {
        const res = await chain
          .serveAxon(signer, netuid, { ip, port: num(cfg, 'axon.port'), version: versionAsInt(VERSION) })
          .catch((err: unknown) => ({ ok: false, error: (err as Error).message }));
        served = res.ok;
        if (!served) {
          log.warn({ attempt, res }, 'serve_axon failed; retrying');
          await sleep(Math.min(24_000, 6000 * 2 ** attempt) * (0.5 + Math.random() / 2), abort.signal);
        }
      }
      if (!served) throw new Error('could not serve the axon on chain after 10 attempts');
      log.info({ ip, port: num(cfg, 'axon.port') }, 'axon served');
    }

    const seedPath = str(cfg, 'datasets.seed_path');
    const source = str(cfg, 'datasets.source');
    const seeds: SeedSource = seedPath
      ? await seedSourceFromFile(seedPath)
      : source === 'hf-rows'
        ? seedSourceFromRowsApi({ baseUrl: str(cfg, 'datasets.rows_url') as string, token: cfg.secrets.hfToken })
        : await seedSourceFromFile(BUNDLED_SEED_PATH);
    const forwardDeps: ForwardDeps = {
      redis,
      keys,
      queue: scoringQueue,
      log,
      dendrite,
      view: () => view,
      ownHotkey: hotkey,
      seeds,
      rng: mulberry32(seed),
      sampleSize: num(cfg, 'neuron.sample_size'),
      stakeThresholdTao: stakeThreshold,
      timeoutS: num(cfg, 'neuron.query_timeout_s'),
      deadlineS: num(cfg, 'scoring.deadline_s'),
      onNewAccuracyKeys: (fresh) => ensureAccuracySchedulers(accuracyQueue, fresh, accuracyInterval, accuracyReset),
    };
    forwardRef = forwardDeps;
    const weightsDisabled = bool(cfg, 'neuron.disable_set_weights');
    const fullSync = {
      ...syncDeps,
      ...(weightsDisabled
        ? {}
        : {
            weights: {
              signer,
              rankingShare: num(cfg, 'weights.ranking_share'),
              chunkingShare: num(cfg, 'weights.chunking_share'),
              rule: str(cfg, 'weights.rule') as WeightRule,
              versionKey: specVersion(VERSION),
              onResult: (res: { ok: boolean } | null) => {
                lastWeights = res;
                if (res) metrics.weightsSet.inc({ ok: String(res.ok) });
              },
            },
          }),
    };
    loops.push(
      runLoop(
        'ranking',
        num(cfg, 'neuron.query_interval_s') * 1000,
        abort.signal,
        log,
        async (i) => {
          step = i;
          try {
            const entry = await sendRequest(forwardDeps);
            if (entry) {
              metrics.requestsSent.inc();
              metrics.validReplies.inc(entry.responses.length);
            }
          } finally {
            await sync(fullSync, i);
          }
        },
        () => metrics.loopErrors.inc({ loop: 'ranking' }),
      ),
    );

    if (num(cfg, 'weights.chunking_share') > 0) {
      const documents: DocumentSource & { refresh?: () => void } =
        str(cfg, 'synthetic.source') === 'wikipedia'
          ? wikipediaSource()
          : await corpusFromFile(str(cfg, 'synthetic.corpus_path') ?? BUNDLED_CORPUS_PATH);
      const embedder = await createEmbedder(
        str(cfg, 'embedder') as 'openai' | 'local' | 'deterministic',
        str(cfg, 'embedder.model'),
        cfg.secrets.openaiApiKey,
      );
      const chunkRng = mulberry32((seed + 1) >>> 0);
      const refreshEvery = num(cfg, 'synthetic.refresh_every_steps');
      loops.push(
        runLoop(
          'chunking',
          num(cfg, 'chunking.interval_s') * 1000,
          abort.signal,
          log,
          async (i) => {
            if (i > 0 && i % refreshEvery === 0) documents.refresh?.();
            const res = await runChunkRound({
              redis,
              keys,
              log,
              dendrite,
              view: () => view,
              ownHotkey: hotkey,
              documents,
              embedder,
              rng: chunkRng,
              groupSize: num(cfg, 'chunking.group_size'),
              alpha: num(cfg, 'chunking.moving_average_alpha'),
              variant: str(cfg, 'reward.variant') as 'v1' | 'v1.1',
              numEmbeddings: num(cfg, 'reward.num_embeddings'),
              chunkSize: num(cfg, 'task.chunk_size'),
              timeSoftMax: num(cfg, 'task.time_soft_max'),
              timeoutS: num(cfg, 'task.timeout'),
              isMinerFault,
            });
            metrics.chunkRounds.inc({ outcome: res ? 'scored' : 'no-miners' });
          },
          () => metrics.chunkRounds.inc({ outcome: 'aborted' }),
        ),
      );
    }
  }

  // ---- HTTP API ----
  const startedAt = Date.now();
  const api = buildApi({
    registry: metrics.registry,
    status: async () => {
      const ranking = await getRankingState(redis, keys);
      return {
        version: VERSION,
        role,
        hotkey,
        netuid,
        uid: view.uidOf.get(hotkey) ?? null,
        metagraph: { n: view.n, block: view.block },
        step,
        pending: await pendingCount(redis, keys),
        scored: ranking.scored,
        dropped: ranking.dropped,
        accuracy: await getAccuracyCache(redis, keys),
        lastWeights,
        uptimeS: Math.round((Date.now() - startedAt) / 1000),
      };
    },
    ...(bool(cfg, 'api.enable_reward_route') && cfg.secrets.apiToken
      ? {
          rewardRoute: {
            token: cfg.secrets.apiToken,
            handle: async (req) => {
              if (!forwardRef) return null;
              return sendRequest(forwardRef, { prompt: req.prompt, completions: req.completions });
            },
          },
        }
      : {}),
  });
  registerDashboard(api, {
    redis,
    keys,
    queues: [scoringQueue, accuracyQueue],
    token: cfg.secrets.dashboardToken,
    lastWeights: () => lastWeights,
  });
  const apiAddress = await api.listen({ host: str(cfg, 'api.host') as string, port: num(cfg, 'api.port') });
  log.info({ api: apiAddress, role }, 'validator running');
  const heartbeat = setInterval(() => log.info({ step, role }, 'Validator running...'), 20_000);
  heartbeat.unref();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    clearInterval(heartbeat);
    abort.abort();
    await Promise.allSettled(loops);
    await Promise.allSettled(workers.map((w) => w.close()));
    await Promise.allSettled([axonClose?.(), api.close()]);
    await Promise.allSettled([scoringQueue.close(), accuracyQueue.close(), dendrite.close()]);
    await closeChain().catch(() => {});
    await redis.quit().catch(() => {});
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  process.stderr.write(`validator failed to start: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
  process.exit(1);
});
