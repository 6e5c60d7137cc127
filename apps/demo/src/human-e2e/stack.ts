/**
 * The aws_mturk human-feedback loop on one machine, for the end-to-end test (issue 7): a LocalChain block producer,
 * one validator and one aws_mturk miner as real processes on Redis, a "production" local MTurk server (the only one
 * the validator and miner talk to), a separate "sandbox" local MTurk server (for the sandbox-HIT attack), a local STS
 * endpoint the miner obtains verification credentials from (`AWS_ENDPOINT_URL_STS`, read by the AWS SDK itself), and
 * the Lambda forwarder loaded from its built zip. Workers are NOT simulated here: the test decides who answers which
 * HIT. Everything binds 127.0.0.1.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet, type Genesis, LocalChain } from '@dojo-ts/chain';
import { type MTurkServer, type StsServer, startMTurkServer, startStsServer } from '@dojo-ts/local-services';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { type ForwarderHandler, loadBundledForwarder } from '../human-loop.js';
import { deleteByPrefix, freePort } from '../redis.js';
import { Supervisor } from '../supervisor.js';

/** Options of {@link startHumanStack}. */
export interface HumanStackOptions {
  /** Checkout root (holds apps/ and packages/). */
  repoRoot: string;
  /** A Redis that answers (the test checks it first). */
  redisUrl: string;
  /** Validator scoring deadline (`--scoring.deadline_s`). */
  deadlineS: number;
  /** Validator loop sleep (`--neuron.query_interval_s`). */
  queryIntervalS: number;
  /** LocalChain block time. @defaultValue 500 */
  blockMs?: number;
  /** Child output goes here (one line per child line, prefixed by its name). */
  logFile: string;
  /** How long to wait for each process to be ready. @defaultValue 150000 */
  readyTimeoutMs?: number;
}

/** What the running stack exposes to the test. */
export interface HumanStack {
  sup: Supervisor;
  redis: Redis;
  chain: LocalChain;
  netuid: number;
  /** The MTurk endpoint both neurons use; the validator pins it as `production`. */
  mturk: MTurkServer;
  /** A second MTurk server standing for the sandbox; no neuron talks to it. */
  sandbox: MTurkServer;
  sts: StsServer;
  /** `AWS_ASSUME_ROLE_ARN` of the miner (the STS server accepts only this role). */
  roleArn: string;
  walletPath: string;
  hotkeys: { validator: string; miner: string };
  ports: { validatorAxon: number; validatorApi: number; minerAxon: number; minerApi: number };
  /** `DOJO_CALLBACK_SECRET` shared by the miner and the forwarder. */
  callbackSecret: string;
  /** Key namespace of the validator (`{prefix}:{netuid}:{hotkey}:`). */
  validatorBase: string;
  /** Key namespace of the miner (`{prefix}:miner:{netuid}:{hotkey}:`). */
  minerBase: string;
  /** The handler exported by apps/lambda-forwarder/dist/lambda.zip. */
  forwarder: ForwarderHandler;
  /** Stops every process, deletes this run's keys, closes servers and removes temp folders. */
  stop(): Promise<{ pids: number[]; alive: number[] }>;
}

const NETUID = 1;
const SNS_ARN = 'arn:aws:sns:us-east-1:123456789012:dojo-human-e2e';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/dojo-mturk-readonly';
// Fake keys: the local MTurk and STS servers require a SigV4 header but never check it against AWS.
const LOCAL_AWS = { AWS_ACCESS_KEY_ID: 'AKIADOJOHUMANE2E', AWS_SECRET_ACCESS_KEY: 'dojo-human-e2e-local-only' };

/**
 * Starts the stack and waits until the validator runs and the miner serves its axon.
 * @param o - paths, Redis, deadline and loop interval.
 * @returns the running stack; call `stop()` in every case.
 * @throws DemoProcessError when a process exits or is not ready in time (everything started is stopped first).
 */
export async function startHumanStack(o: HumanStackOptions): Promise<HumanStack> {
  const run = `he2e-${randomUUID().slice(0, 8)}`;
  const prefix = `test:demo-human:${run}`;
  const namespace = `lc:${run}:`;
  const blockMs = o.blockMs ?? 500;
  const readyMs = o.readyTimeoutMs ?? 150_000;
  const tmp = mkdtempSync(join(tmpdir(), 'dojo-human-e2e-'));
  const walletPath = join(tmp, 'wallets');
  mkdirSync(walletPath);
  const sup = new Supervisor({ cwd: o.repoRoot, print: () => {}, logFile: o.logFile, show: () => false });
  const lastResort = () => sup.killAllSync();
  process.once('exit', lastResort);
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => {});
  let chain: LocalChain | null = null;
  const servers: Array<{ close(): Promise<void> }> = [];
  let lambdaDir: string | null = null;

  const stop = async (): Promise<{ pids: number[]; alive: number[] }> => {
    await sup.stopAll(15_000).catch(() => []);
    await new Promise((r) => setTimeout(r, 200));
    const alive = sup.alive();
    await chain?.close().catch(() => {});
    await deleteByPrefix(redis, `${prefix}:`).catch(() => 0);
    await deleteByPrefix(redis, namespace).catch(() => 0);
    redis.disconnect();
    for (const s of servers) await s.close().catch(() => {});
    if (lambdaDir) rmSync(lambdaDir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
    process.removeListener('exit', lastResort);
    return { pids: sup.pids(), alive };
  };

  try {
    const hotkeys = { validator: '', miner: '' };
    for (const name of ['validator', 'miner'] as const) {
      hotkeys[name] = (await createWallet({ walletPath, name }, null)).hotkey.ss58Address;
    }
    const genesis: Genesis = {
      chain_id: run,
      block_ms: blockMs,
      subnets: [
        {
          netuid: NETUID,
          weights_rate_limit: 2,
          serving_rate_limit: 0,
          tempo: 20,
          neurons: [
            { wallet: { name: 'validator', path: walletPath }, stake_tao: 50_000, validator_permit: true },
            { wallet: { name: 'miner', path: walletPath }, stake_tao: 10 },
          ],
        },
      ],
    };
    const genesisPath = join(tmp, 'genesis.yaml');
    writeFileSync(genesisPath, stringify(genesis));

    const producer = sup.spawnTs(
      'localchain',
      'packages/chain/src/local-chain/producer-main.ts',
      ['--redis.url', o.redisUrl, '--block_ms', String(blockMs), '--localchain.genesis', genesisPath],
      baseEnv(),
    );
    await producer.waitFor(/competing for the producer lease/, readyMs);
    chain = await LocalChain.connect({ redis, namespace, produceBlocks: false });

    const mturk = await startMTurkServer();
    servers.push(mturk);
    const sandbox = await startMTurkServer();
    servers.push(sandbox);
    const sts = await startStsServer({ allowedRoleArns: [ROLE_ARN] });
    servers.push(sts);

    const ports = {
      validatorAxon: await freePort(),
      validatorApi: await freePort(),
      minerAxon: await freePort(),
      minerApi: await freePort(),
    };
    const callbackSecret = randomBytes(24).toString('hex');
    const chainFlags = ['--netuid', String(NETUID), '--subtensor.network', 'local', '--localchain.chain_id', run];
    const validator = sup.spawnTs(
      'validator',
      'apps/validator/src/main.ts',
      [
        ...chainFlags,
        '--wallet.path',
        walletPath,
        '--wallet.name',
        'validator',
        '--redis.url',
        o.redisUrl,
        '--redis.prefix',
        prefix,
        '--axon.ip',
        '127.0.0.1',
        '--axon.port',
        String(ports.validatorAxon),
        '--api.host',
        '127.0.0.1',
        '--api.port',
        String(ports.validatorApi),
        '--scoring.deadline_s',
        String(o.deadlineS),
        '--neuron.query_interval_s',
        String(o.queryIntervalS),
        '--neuron.query_timeout_s',
        '20',
        '--neuron.epoch_length',
        '4',
        '--neuron.disable_set_weights',
        '--scoring.result_timeout_s',
        '8',
        '--weights.chunking_share',
        '0',
        '--weights.ranking_share',
        '1',
        '--embedder',
        'deterministic',
        '--datasets.source',
        'bundled',
        '--hf.offline',
        '--accuracy.interval_s',
        '3600',
        '--mturk.environment',
        'production',
        '--mturk.endpoint',
        mturk.endpoint,
        '--mturk.credentials',
        'miner',
        '--mturk.min_workers',
        '2',
        '--seed',
        '7',
        '--logging.level',
        'info',
      ],
      baseEnv(),
    );
    const miner = sup.spawnTs(
      'miner',
      'apps/miner/src/main.ts',
      [
        ...chainFlags,
        '--wallet.path',
        walletPath,
        '--wallet.name',
        'miner',
        '--axon.ip',
        '127.0.0.1',
        '--axon.port',
        String(ports.minerAxon),
        '--api.host',
        '127.0.0.1',
        '--api.port',
        String(ports.minerApi),
        '--redis.url',
        o.redisUrl,
        '--redis.prefix',
        `${prefix}:miner`,
        '--neuron.epoch_length',
        '4',
        '--scoring.deadline_s',
        String(o.deadlineS),
        '--scoring_method',
        'aws_mturk',
        '--aws_mturk_environment',
        'production',
        '--mturk.endpoint',
        mturk.endpoint,
        '--mturk.min_workers',
        '2',
        '--mturk.response_timeout_s',
        '15',
        '--logging.level',
        'info',
      ],
      {
        ...baseEnv(),
        ...LOCAL_AWS,
        AWS_SNS_ARN_ID: SNS_ARN,
        AWS_ASSUME_ROLE_ARN: ROLE_ARN,
        // the AWS SDK's own service-specific endpoint variable: STS AssumeRole goes to the local STS server
        AWS_ENDPOINT_URL_STS: sts.endpoint,
        DOJO_CALLBACK_SECRET: callbackSecret,
      },
    );
    await Promise.all([validator.waitFor(/validator running/, readyMs), miner.waitFor(/miner serving/, readyMs)]);

    const fwd = await loadBundledForwarder(o.repoRoot, {
      TARGET_URL: `http://127.0.0.1:${ports.minerApi}/api/human_feedback/callback`,
      MTURK_ENDPOINT_URL: mturk.endpoint,
      DOJO_ALLOW_LOCAL_MTURK: '1',
      DOJO_CALLBACK_SECRET_SOURCE: 'env:DOJO_HUMAN_E2E_CALLBACK_SECRET',
      DOJO_HUMAN_E2E_CALLBACK_SECRET: callbackSecret,
      ...LOCAL_AWS,
    });
    lambdaDir = fwd.dir;

    return {
      sup,
      redis,
      chain,
      netuid: NETUID,
      mturk,
      sandbox,
      sts,
      roleArn: ROLE_ARN,
      walletPath,
      hotkeys,
      ports,
      callbackSecret,
      validatorBase: `${prefix}:${NETUID}:${hotkeys.validator}:`,
      minerBase: `${prefix}:miner:${NETUID}:${hotkeys.miner}:`,
      forwarder: fwd.handler,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The test's environment without provider keys, AWS settings or Dojo flags (each child gets only what it needs). */
function baseEnv(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(OPENAI_API_KEY|TOGETHER_API_KEY|HF_TOKEN|AWS_|DOJO_|TEST_DOJO_)/.test(k)) continue;
    out[k] = v;
  }
  return out;
}
