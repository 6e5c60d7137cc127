/**
 * The demo run: Redis (found or started), wallets, a LocalChain genesis and its block producer, one validator and five
 * miners as separate processes over real HTTP axons, the local LLM stand-in and MTurk server with the bundled Lambda
 * forwarder, live progress, then a summary (JSON + HTML) and a clean stop of everything it started.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet, type Genesis, LocalChain } from '@dojo-ts/chain';
import {
  dojoChatResponder,
  type MTurkServer,
  type OpenAiServer,
  startMTurkServer,
  startOpenAiCompatibleServer,
} from '@dojo-ts/local-services';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { DemoTimeoutError } from './errors.js';
import { type HumanLoopStats, loadBundledForwarder, startHumanLoop } from './human-loop.js';
import { Observer } from './observe.js';
import { deleteByPrefix, ensureRedis, freePort } from './redis.js';
import { buildSummary, type DemoSummary, renderHtml } from './report.js';
import { type Managed, Supervisor } from './supervisor.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Checkout root (holds apps/ and packages/). */
  repoRoot: string;
  /** Where summary.json, report.html, genesis.yaml and the process logs go. */
  outDir: string;
  /** Validator scoring deadline in seconds. @defaultValue 10 */
  deadlineS?: number;
  /** Block time of the LocalChain. @defaultValue 500 */
  blockMs?: number;
  /** Requests to score before stopping. @defaultValue 3 */
  minScored?: number;
  /** Give up after this many seconds. @defaultValue 240 */
  maxS?: number;
  /** Redis to try first. @defaultValue REDIS_URL or redis://127.0.0.1:6379 */
  redisUrl?: string;
  /** Only progress lines (child logs still go to processes.log). */
  quiet?: boolean;
  /** Environment the neurons inherit (PATH, HOME, provider keys). @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  print?: (line: string) => void;
  /** Registers a callback that aborts the run (SIGINT); everything started is still stopped. */
  abortOn?: (cb: () => void) => void;
}

const NETUID = 1;
const MODEL = 'tiny-reward-model';
const SNS_ARN = 'arn:aws:sns:us-east-1:123456789012:dojo-demo-mturk';
// Fake keys for the local MTurk server (it requires a SigV4 header but never checks it against AWS).
const LOCAL_AWS = { AWS_ACCESS_KEY_ID: 'AKIADOJODEMOLOCAL', AWS_SECRET_ACCESS_KEY: 'dojo-demo-local-only' };
const HIDDEN = /Miner running\.\.\.|Validator running\.\.\.|^\[localchain\] block/;

/** The miners the demo runs: three real apps/miner processes and two demo-only misbehaving ones. */
export const DEMO_MINERS = [
  { name: 'miner-hf', kind: 'hf_model', real: true },
  { name: 'miner-llm', kind: 'llm_api', real: true },
  { name: 'miner-mturk', kind: 'aws_mturk', real: true },
  { name: 'miner-noisy', kind: 'noisy', real: false },
  { name: 'miner-lazy', kind: 'lazy', real: false },
] as const;

/**
 * Runs the demo once.
 * @param opts - paths, timings, output.
 * @returns the summary (also written as summary.json and report.html under `outDir`).
 * @throws DemoTimeoutError when the goals were not reached in time (everything is stopped first).
 */
export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const say = (l: string) => print(`\x1b[1m[demo]\x1b[0m ${l}`);
  const baseEnv: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  const deadlineS = opts.deadlineS ?? 10;
  const blockMs = opts.blockMs ?? 500;
  const minScored = opts.minScored ?? 3;
  const maxS = opts.maxS ?? 240;
  const startedAt = Date.now();
  mkdirSync(opts.outDir, { recursive: true });
  const runId = `demo-${startedAt.toString(36)}-${randomBytes(3).toString('hex')}`;
  const chainId = runId;
  const namespace = `lc:${chainId}:`;
  const prefix = `dojo-demo:${runId}`;
  const wallets = mkdtempSync(join(tmpdir(), 'dojo-demo-wallets-'));
  const fixtures = join(opts.repoRoot, 'packages', 'models', 'test', 'fixtures');
  const sup = new Supervisor({
    cwd: opts.repoRoot,
    print,
    logFile: join(opts.outDir, 'processes.log'),
    show: (_name, line) => !opts.quiet && !HIDDEN.test(line),
  });
  const lastResort = () => sup.killAllSync();
  process.once('exit', lastResort);
  writeFileSync(join(opts.outDir, 'pids.json'), '[]');
  let abortRun: (err: Error) => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    abortRun = reject;
  });
  aborted.catch(() => {});
  opts.abortOn?.(() => abortRun(new DemoTimeoutError('interrupted', {})));
  const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, aborted]);
  const recordPids = () => writeFileSync(join(opts.outDir, 'pids.json'), JSON.stringify(sup.pids()));

  let redis: Redis | null = null;
  let chain: LocalChain | null = null;
  let llm: OpenAiServer | null = null;
  let mturk: MTurkServer | null = null;
  let humanLoop: { stats: HumanLoopStats; close: () => Promise<void> } | null = null;
  let lambdaDir: string | null = null;
  let redisStarted = false;
  let clientsClosed = false;
  // our own Redis clients close before a redis-server we started is stopped (else ioredis reconnects forever)
  const closeClients = async () => {
    if (clientsClosed) return;
    clientsClosed = true;
    await chain?.close().catch(() => {});
    if (redis) {
      if (!redisStarted) {
        await deleteByPrefix(redis, `${prefix}:`).catch(() => 0);
        await deleteByPrefix(redis, namespace).catch(() => 0);
      }
      redis.disconnect();
    }
  };
  try {
    // ---- Redis ----
    const redisInfo = await ensureRedis(sup, opts.redisUrl ?? baseEnv.REDIS_URL ?? 'redis://127.0.0.1:6379');
    recordPids();
    redisStarted = redisInfo.started;
    say(
      redisInfo.started
        ? `no Redis answered: started redis-server at ${redisInfo.url} (persistence off)`
        : `using the Redis at ${redisInfo.url} under the key prefixes ${prefix}: and ${namespace} (removed at the end)`,
    );
    redis = new Redis(redisInfo.url, { maxRetriesPerRequest: null });
    redis.on('error', () => {});

    // ---- wallets and genesis ----
    const hotkeys: Record<string, string> = {};
    for (const name of ['validator', ...DEMO_MINERS.map((m) => m.name)]) {
      const w = await createWallet({ walletPath: wallets, name }, null);
      hotkeys[name] = w.hotkey.ss58Address;
    }
    const genesis: Genesis = {
      chain_id: chainId,
      block_ms: blockMs,
      subnets: [
        {
          netuid: NETUID,
          weights_rate_limit: 2,
          serving_rate_limit: 0,
          tempo: 20,
          neurons: [
            { wallet: { name: 'validator', path: wallets }, stake_tao: 50_000, validator_permit: true },
            ...DEMO_MINERS.map((m) => ({ wallet: { name: m.name, path: wallets }, stake_tao: 10 })),
          ],
        },
      ],
    };
    const genesisPath = join(opts.outDir, 'genesis.yaml');
    writeFileSync(genesisPath, stringify(genesis));
    say(`wallets for 1 validator and ${DEMO_MINERS.length} miners in ${wallets}; genesis ${genesisPath}`);

    // ---- LocalChain block producer ----
    const producer = sup.spawnTs(
      'localchain',
      'packages/chain/src/local-chain/producer-main.ts',
      ['--redis.url', redisInfo.url, '--block_ms', String(blockMs), '--localchain.genesis', genesisPath],
      baseEnv,
    );
    recordPids();
    await guard(producer.waitFor(/competing for the producer lease/, 90_000));
    chain = await LocalChain.connect({ redis, namespace, produceBlocks: false });
    const mg = await chain.metagraph(NETUID);
    say(`LocalChain ${chainId}: netuid ${NETUID}, ${mg.n} neurons registered, ${blockMs} ms blocks`);

    // ---- local services ----
    const realKey = baseEnv.OPENAI_API_KEY ? 'openai' : baseEnv.TOGETHER_API_KEY ? 'togetherai' : null;
    if (realKey === null) {
      llm = await startOpenAiCompatibleServer({
        apiKey: 'sk-dojo-demo-local',
        chat: dojoChatResponder({
          score: (_p, c) => Math.min(1, Math.max(0, Math.min(c.text.length, 800) / 800)),
        }),
      });
      say(
        `LOCAL LLM STAND-IN (not a real model: scores by length) at ${llm.url}; set OPENAI_API_KEY or TOGETHER_API_KEY for a real one`,
      );
    } else say(`llm_api miner uses the real ${realKey} API (key from the environment)`);
    mturk = await startMTurkServer();
    say(`local MTurk requester endpoint (simulated workers) at ${mturk.endpoint}`);

    // ---- validator ----
    const ports = { vAxon: 0, vApi: 0 };
    const validatorEnv: NodeJS.ProcessEnv = {
      ...strip(baseEnv),
      ...LOCAL_AWS,
      ...(realKey === 'openai' ? { OPENAI_API_KEY: baseEnv.OPENAI_API_KEY } : {}),
      ...(realKey === 'togetherai' ? { TOGETHER_API_KEY: baseEnv.TOGETHER_API_KEY } : {}),
    };
    const mturkUrl = mturk.endpoint;
    const spawnValidator = async (): Promise<Managed> => {
      ports.vAxon = await freePort();
      ports.vApi = await freePort();
      return sup.spawnTs(
        'validator',
        'apps/validator/src/main.ts',
        [
          '--netuid',
          String(NETUID),
          '--subtensor.network',
          'local',
          '--localchain.chain_id',
          chainId,
          '--wallet.path',
          wallets,
          '--wallet.name',
          'validator',
          '--redis.url',
          redisInfo.url,
          '--redis.prefix',
          prefix,
          '--axon.ip',
          '127.0.0.1',
          '--axon.port',
          String(ports.vAxon),
          '--api.host',
          '127.0.0.1',
          '--api.port',
          String(ports.vApi),
          '--scoring.deadline_s',
          String(deadlineS),
          '--neuron.query_interval_s',
          '2',
          '--neuron.query_timeout_s',
          '15',
          '--neuron.epoch_length',
          '4',
          '--neuron.sample_size',
          '16',
          '--scoring.result_timeout_s',
          '8',
          '--chunking.interval_s',
          '3',
          '--chunking.group_size',
          '8',
          '--embedder',
          'deterministic',
          '--datasets.source',
          'bundled',
          '--hf.offline',
          '--hf.local_model_path',
          fixtures,
          '--audit.hf_allowlist',
          MODEL,
          '--audit.fraction',
          '1',
          '--accuracy.interval_s',
          '5',
          '--evaluation.num_batches',
          '1',
          '--evaluation.batch_size',
          '8',
          '--mturk.environment',
          'sandbox',
          '--mturk.endpoint',
          mturkUrl,
          '--mturk.credentials',
          'validator',
          '--mturk.min_workers',
          '2',
          '--seed',
          '42',
          '--logging.level',
          'info',
        ],
        validatorEnv,
      );
    };
    for (let attempt = 1; ; attempt++) {
      const validator = await spawnValidator();
      recordPids();
      try {
        await guard(validator.waitFor(/validator running/, 120_000));
        break;
      } catch (err) {
        // a port picked as free can be taken before the validator binds it: new ports, twice at most
        if (attempt >= 3 || !validator.tail.some((l) => l.includes('EADDRINUSE'))) throw err;
        say('validator: its port was taken meanwhile; starting it again on new ports');
      }
    }
    say(`validator up: axon 127.0.0.1:${ports.vAxon}, API http://127.0.0.1:${ports.vApi}/status`);
    // the dashboard answers loopback callers without a token (the validator's API binds 127.0.0.1 here)
    const dashboardUrl = `http://127.0.0.1:${ports.vApi}/dashboard/`;
    const dashboardState = async (): Promise<Record<string, unknown> | null> => {
      const res = await fetch(`${dashboardUrl}api/state`).catch(() => null);
      return res?.ok ? ((await res.json()) as Record<string, unknown>) : null;
    };
    if (await dashboardState()) say(`validator dashboard: ${dashboardUrl} (open it while the demo runs)`);

    // ---- miners ----
    const callbackSecret = randomBytes(24).toString('hex');
    const minerPorts: Record<string, { axon: number; api: number }> = {};
    const mturkEndpoint = mturk.endpoint;
    const spawnMiner = async (m: (typeof DEMO_MINERS)[number]): Promise<Managed> => {
      const p = { axon: await freePort(), api: await freePort() };
      minerPorts[m.name] = p;
      if (!m.real) {
        return sup.spawnTs(
          m.name,
          'apps/demo/src/demo-miner.ts',
          [
            '--mode',
            m.kind,
            '--netuid',
            String(NETUID),
            '--chain_id',
            chainId,
            '--redis.url',
            redisInfo.url,
            '--wallet.path',
            wallets,
            '--wallet.name',
            m.name,
            '--model_name',
            MODEL,
            '--seed',
            String(m.name.length),
          ],
          strip(baseEnv),
        );
      }
      const common = [
        '--netuid',
        String(NETUID),
        '--subtensor.network',
        'local',
        '--localchain.chain_id',
        chainId,
        '--wallet.path',
        wallets,
        '--wallet.name',
        m.name,
        '--axon.ip',
        '127.0.0.1',
        '--axon.port',
        String(p.axon),
        '--api.host',
        '127.0.0.1',
        '--api.port',
        String(p.api),
        '--redis.url',
        redisInfo.url,
        '--redis.prefix',
        `${prefix}:miner`,
        '--neuron.epoch_length',
        '4',
        '--scoring.deadline_s',
        String(deadlineS),
        '--logging.level',
        'info',
      ];
      let args: string[];
      let env: NodeJS.ProcessEnv = strip(baseEnv);
      if (m.kind === 'hf_model') {
        args = [
          ...common,
          '--scoring_method',
          'hf_model',
          '--model_name',
          MODEL,
          '--hf.offline',
          '--hf.local_model_path',
          fixtures,
        ];
      } else if (m.kind === 'llm_api') {
        if (realKey === 'openai') {
          args = [...common, '--scoring_method', 'llm_api', '--llm_provider', 'openai', '--model_name', 'gpt-4o-mini'];
          env = { ...env, OPENAI_API_KEY: baseEnv.OPENAI_API_KEY };
        } else if (realKey === 'togetherai') {
          args = [...common, '--scoring_method', 'llm_api', '--llm_provider', 'togetherai'];
          env = { ...env, TOGETHER_API_KEY: baseEnv.TOGETHER_API_KEY };
        } else {
          args = [
            ...common,
            '--scoring_method',
            'llm_api',
            '--llm_provider',
            'openai',
            '--model_name',
            'gpt-4o-mini',
            '--llm_base_url',
            (llm as OpenAiServer).url,
          ];
          env = { ...env, OPENAI_API_KEY: 'sk-dojo-demo-local' };
        }
      } else {
        args = [
          ...common,
          '--scoring_method',
          'aws_mturk',
          '--aws_mturk_environment',
          'sandbox',
          '--mturk.endpoint',
          mturkEndpoint,
          '--mturk.min_workers',
          '2',
          '--mturk.response_timeout_s',
          '15',
        ];
        env = { ...env, ...LOCAL_AWS, AWS_SNS_ARN_ID: SNS_ARN, DOJO_CALLBACK_SECRET: callbackSecret };
      }
      return sup.spawnTs(m.name, 'apps/miner/src/main.ts', args, env);
    };
    // a port picked as free can be taken before the miner binds it: start again with new ports (twice at most)
    const startMiner = async (m: (typeof DEMO_MINERS)[number]): Promise<Managed> => {
      for (let attempt = 1; ; attempt++) {
        const proc = await spawnMiner(m);
        recordPids();
        try {
          await proc.waitFor(/miner serving|demo-miner \w+ ready/, 150_000);
          return proc;
        } catch (err) {
          if (attempt >= 3 || !proc.tail.some((l) => l.includes('EADDRINUSE'))) throw err;
          say(`${m.name}: its port was taken meanwhile; starting it again on new ports`);
        }
      }
    };
    const miners = await guard(Promise.all(DEMO_MINERS.map(startMiner)));
    say(`${miners.length} miners serving their axons on the LocalChain`);

    // ---- the human loop: simulated workers + the bundled Lambda forwarder ----
    const mturkApi = minerPorts['miner-mturk']?.api as number;
    const forwarder = await loadBundledForwarder(opts.repoRoot, {
      TARGET_URL: `http://127.0.0.1:${mturkApi}/api/human_feedback/callback`,
      MTURK_ENDPOINT_URL: mturk.endpoint,
      DOJO_ALLOW_LOCAL_MTURK: '1',
      DOJO_CALLBACK_SECRET_SOURCE: 'env:DOJO_DEMO_CALLBACK_SECRET',
      DOJO_DEMO_CALLBACK_SECRET: callbackSecret,
      ...LOCAL_AWS,
    });
    lambdaDir = forwarder.dir;
    humanLoop = startHumanLoop({
      mturk,
      handler: forwarder.handler,
      workersPerHit: 3,
      seed: 11,
      print: say,
      lambdaLog: (line) => sup.logLine('lambda', line),
    });
    say(`bundled Lambda forwarder ${forwarder.zip} loaded; it posts HMAC-signed callbacks to miner-mturk`);

    // ---- watch until the goals are reached ----
    const observer = new Observer(redis, chain, {
      prefix,
      netuid: NETUID,
      validatorHotkey: hotkeys.validator as string,
      chainNamespace: namespace,
    });
    const minerHotkeys = DEMO_MINERS.map((m) => hotkeys[m.name] as string);
    const mturkHotkey = hotkeys['miner-mturk'] as string;
    let lastLine = '';
    let fullRoundBlock: number | null = null;
    const goals = async () => {
      const s = await observer.poll();
      const chunk = await observer.chunkScores();
      const weights = await observer.weightsOnChain();
      const queriedAll = minerHotkeys.every((h) => (s.queried.get(h)?.size ?? 0) > 0);
      const mturkScored = s.history.some((r) => r.hotkey_to_score[mturkHotkey] !== undefined);
      const verified = s.mturkVerified.size > 0 || mturkScored;
      const chunked = minerHotkeys.every((h) => chunk.has(h));
      // one request where every miner's reply was scored (the MTurk one only once verified)
      const fullRound = s.history.some((r) => minerHotkeys.every((h) => r.hotkey_to_score[h] !== undefined));
      if (fullRound) fullRoundBlock ??= s.block;
      // weights set after the full round was scored carry every miner's ranking score
      const weightsAfterScores = weights !== null && fullRoundBlock !== null && s.lastUpdate > fullRoundBlock;
      const line =
        `block ${s.block} | requests ${s.requestsSeen.size} (scored ${s.history.length}, pending ${s.pending})` +
        ` | miners queried ${minerHotkeys.filter((h) => s.queried.has(h)).length}/${minerHotkeys.length}` +
        ` | mturk hits ${humanLoop?.stats.hits ?? 0}, verified ${verified ? 'yes' : 'no'}` +
        ` | full round ${fullRound ? 'yes' : 'no'}` +
        ` | chunk-ranked ${minerHotkeys.filter((h) => chunk.has(h)).length}/${minerHotkeys.length}` +
        ` | weights ${s.lastUpdate > 0 ? `set at block ${s.lastUpdate}` : 'not yet'}`;
      if (line !== lastLine) say(line);
      lastLine = line;
      return {
        done: queriedAll && verified && fullRound && chunked && weightsAfterScores && s.history.length >= minScored,
        fullRound,
        queriedAll,
        verified,
        chunked,
        weightsAfterScores,
        scored: s.history.length,
      };
    };
    let status = await goals();
    while (!status.done) {
      if (Date.now() - startedAt > maxS * 1000) {
        throw new DemoTimeoutError(`the demo did not reach its goals within ${maxS} s`, { ...status });
      }
      for (const p of sup.processes) {
        if (p.child.exitCode !== null || p.child.signalCode !== null) {
          throw new DemoTimeoutError(`${p.name} exited early: ${p.tail.slice(-10).join('\n')}`, { process: p.name });
        }
      }
      await guard(new Promise((r) => setTimeout(r, 1000)));
      status = await guard(goals());
    }
    say('goals reached: collecting the summary, then stopping every process');

    // ---- collect, stop, verify, report ----
    const [rankingScores, chunkScores, accuracy, weights, metagraph, statusJson, dashboard] = await Promise.all([
      observer.rankingScores(),
      observer.chunkScores(),
      observer.accuracy(),
      observer.weightsOnChain(),
      chain.metagraph(NETUID),
      fetch(`http://127.0.0.1:${ports.vApi}/status`)
        .then((r) => r.json() as Promise<Record<string, unknown>>)
        .catch(() => null),
      dashboardState(),
    ]);
    const loopStats = { ...humanLoop.stats };
    const mturkCalls: Record<string, number> = {};
    for (const c of mturk.calls) mturkCalls[c] = (mturkCalls[c] ?? 0) + 1;
    await humanLoop.close();
    humanLoop = null;
    const stopped = await sup.stopAll(15_000, closeClients);
    await new Promise((r) => setTimeout(r, 200));
    const leftRunning = sup.alive();
    const summary = buildSummary({
      runId,
      chainId,
      startedAt,
      deadlineS,
      blockMs,
      llmMode: realKey ?? 'local-stand-in',
      redis: { url: redisInfo.url.replace(/\/\/[^@/]*@/, '//[redacted]@'), started: redisInfo.started },
      validatorHotkey: hotkeys.validator as string,
      miners: DEMO_MINERS.map((m) => ({ name: m.name, kind: m.kind, real: m.real, hotkey: hotkeys[m.name] as string })),
      observed: observer.state,
      rankingScores,
      chunkScores,
      accuracy,
      weights,
      metagraph,
      validatorStatus: statusJson,
      dashboard: {
        url: dashboardUrl,
        mounted: dashboard !== null,
        pending: (dashboard?.pending as { total?: number } | undefined)?.total ?? null,
      },
      mturk: { ...loopStats, serverCalls: mturkCalls },
      processes: stopped,
      leftRunning,
    });
    writeFileSync(join(opts.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(join(opts.outDir, 'report.html'), renderHtml(summary));
    return summary;
  } finally {
    await humanLoop?.close().catch(() => {});
    if (sup.alive().length > 0) await sup.stopAll(5000, closeClients).catch(() => {});
    await closeClients();
    await llm?.close().catch(() => {});
    await mturk?.close().catch(() => {});
    if (lambdaDir) rmSync(lambdaDir, { recursive: true, force: true });
    rmSync(wallets, { recursive: true, force: true });
    process.removeListener('exit', lastResort);
    if (existsSync(join(opts.outDir, 'pids.json')))
      writeFileSync(join(opts.outDir, 'pids.json'), JSON.stringify(sup.alive()));
  }
}

/** The environment without provider keys and AWS secrets (each neuron gets only what it needs). */
function strip(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^(OPENAI_API_KEY|TOGETHER_API_KEY|AWS_|DOJO_)/.test(k)) continue;
    out[k] = v;
  }
  return out;
}
