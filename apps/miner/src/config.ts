/**
 * Miner flags (dojo.md §15, chunking.md §13). Bittensor-style dotted names; each has an env twin
 * (`--axon.port` ↔ `DOJO_AXON_PORT`). Precedence: flag, env twin, default. Secrets come from env only.
 * `loadConfig` is pure: no I/O, no process access; the result is deep-frozen.
 */
import { isIP } from 'node:net';
import {
  envName,
  type FlagDialect,
  type FlagSpec,
  helpText as flagsHelpText,
  type ProgramOptions,
  readFlags,
  readSecret,
  wantsHelp,
} from '@dojo-ts/config';
import { ConfigError } from './errors.js';

export { envName };

export const SCORING_METHODS = ['hf_model', 'llm_api', 'aws_mturk'] as const;
export type MinerScoringMethod = (typeof SCORING_METHODS)[number];
export const DEFAULT_HF_MODEL = 'OpenAssistant/reward-model-deberta-v3-large-v2';
export const DEFAULT_LLM_MODEL = 'mistralai/Mixtral-8x7B-Instruct-v0.1';

/** Every flag the miner accepts. */
export const FLAGS: readonly FlagSpec[] = [
  { flag: 'netuid', type: 'int', def: 1, min: 0, max: 65535, help: 'subnet id' },
  { flag: 'wallet.name', type: 'string', def: 'default', help: 'wallet (coldkey) name' },
  { flag: 'wallet.hotkey', type: 'string', def: 'default', help: 'hotkey name' },
  {
    flag: 'wallet.path',
    type: 'string',
    def: '~/.bittensor/wallets',
    help: 'wallets directory',
    envAliases: ['BT_WALLET_PATH'],
  },
  { flag: 'subtensor.network', type: 'string', def: 'finney', help: 'finney | test | local | ws(s):// URL' },
  {
    flag: 'subtensor.chain_endpoint',
    type: 'string',
    def: null,
    help: 'ws(s) endpoint, overrides the network',
    envAliases: ['BT_SUBTENSOR_CHAIN_ENDPOINT'],
  },
  { flag: 'localchain.redis_url', type: 'string', def: null, help: 'LocalChain Redis (default --redis.url)' },
  { flag: 'localchain.chain_id', type: 'string', def: 'local', help: 'LocalChain id (key prefix lc:{id}:)' },
  { flag: 'axon.port', type: 'int', def: 9599, min: 1, max: 65535, help: 'axon port', envAliases: ['BT_AXON_PORT'] },
  { flag: 'axon.ip', type: 'string', def: '0.0.0.0', help: 'axon bind address' },
  {
    flag: 'axon.external_ip',
    type: 'string',
    def: null,
    help: 'IP published with serve_axon (required unless local; local default 127.0.0.1)',
    envAliases: ['BT_AXON_EXTERNAL_IP'],
  },
  {
    flag: 'axon.external_port',
    type: 'int',
    def: null,
    min: 1,
    max: 65535,
    help: 'port published (default --axon.port)',
  },
  { flag: 'axon.max_concurrent', type: 'int', def: 16, min: 1, help: 'handlers running at once' },
  {
    flag: 'axon.max_queued',
    type: 'int',
    def: 128,
    min: 1,
    help: 'requests waiting for a handler; beyond it 503 at once (load shedding)',
  },
  { flag: 'api.port', type: 'int', def: 1888, min: 0, max: 65535, help: 'HTTP API (callback, /health, /metrics)' },
  { flag: 'api.host', type: 'string', def: '0.0.0.0', help: 'HTTP API bind address' },
  { flag: 'api.aws_ip_filter', type: 'bool', def: false, help: 'also require an AWS us-east-1 client IP' },
  { flag: 'scoring_method', type: 'enum', def: null, choices: SCORING_METHODS, help: 'required' },
  {
    flag: 'model_name',
    type: 'string',
    def: null,
    help: `default ${DEFAULT_HF_MODEL} (hf_model) / ${DEFAULT_LLM_MODEL}`,
  },
  { flag: 'llm_provider', type: 'enum', def: 'togetherai', choices: ['togetherai', 'openai'], help: '' },
  { flag: 'llm_base_url', type: 'string', def: null, help: 'override the provider base URL' },
  { flag: 'scoring.timeout_s', type: 'float', def: 25, min: 0.01, help: 'per-request scorer time limit' },
  {
    flag: 'scoring.deadline_s',
    type: 'float',
    def: 28800,
    min: 0,
    help: 'validator deadline; routing TTL max(d,3600)+3600',
  },
  {
    flag: 'aws_mturk_environment',
    type: 'enum',
    def: null,
    choices: ['sandbox', 'production'],
    help: 'required for aws_mturk',
  },
  { flag: 'mturk.endpoint', type: 'string', def: null, help: 'override the MTurk endpoint (local MTurk server)' },
  { flag: 'mturk.min_workers', type: 'int', def: 2, min: 1, help: 'distinct workers before MTurkResponse' },
  { flag: 'mturk.reward', type: 'string', def: '0.01', help: 'USD per assignment' },
  { flag: 'mturk.response_timeout_s', type: 'float', def: 60, min: 0.1, help: 'MTurkResponse timeout' },
  { flag: 'mturk.retry_attempts', type: 'int', def: 5, min: 1, help: 'MTurkResponse delivery attempts' },
  { flag: 'mturk.retry_queue_max', type: 'int', def: 10000, min: 1, help: 'bound of the retry queue' },
  { flag: 'neuron.epoch_length', type: 'int', def: 100, min: 1, help: 'blocks between metagraph resyncs' },
  { flag: 'neuron.miner_stake_threshold', type: 'float', def: 1000, min: 0, help: 'TAO; isMiner(uid)' },
  { flag: 'blacklist.min_validator_stake', type: 'float', def: 20000, min: 0, help: 'TAO; RankingRequest callers' },
  { flag: 'blacklist.min_stake', type: 'float', def: null, min: 0, help: 'alias of --blacklist.min_validator_stake' },
  { flag: 'blacklist.minimum_stake', type: 'float', def: 0, min: 0, help: 'TAO; chunkSynapse callers' },
  { flag: 'blacklist.allow_non_registered', type: 'bool', def: false, help: 'chunkSynapse only' },
  { flag: 'blacklist.force_validator_permit', type: 'bool', def: false, help: 'chunkSynapse only' },
  { flag: 'hf.onnx_repo', type: 'string', def: null, help: 'hub id or folder of an ONNX export of --model_name' },
  { flag: 'hf.offline', type: 'bool', def: false, help: 'load the HF model from local files only' },
  { flag: 'hf.local_model_path', type: 'string', def: null, help: 'folder holding <org>/<name>/ model copies' },
  {
    flag: 'redis.url',
    type: 'string',
    def: 'redis://127.0.0.1:6379',
    help: 'routing tables, history, retry queue',
    envAliases: ['REDIS_URL'],
  },
  { flag: 'redis.prefix', type: 'string', def: 'dojo:miner', help: 'key prefix (namespaced by netuid+hotkey)' },
  { flag: 'history.max_len', type: 'int', def: 10000, min: 1, help: 'RankingResult score history cap' },
  {
    flag: 'logging.level',
    type: 'enum',
    def: 'info',
    choices: ['trace', 'debug', 'info', 'warn', 'error'],
    help: '',
  },
];

/** Secrets, from env only. */
export interface MinerSecrets {
  awsAccessKeyId: string | null;
  awsSecretAccessKey: string | null;
  awsSessionToken: string | null;
  awsSnsArn: string | null;
  awsAssumeRoleArn: string | null;
  togetherApiKey: string | null;
  openaiApiKey: string | null;
  hfToken: string | null;
  callbackSecret: string | null;
}

/** The resolved, typed miner configuration. */
export interface MinerConfig {
  netuid: number;
  wallet: { name: string; hotkey: string; path: string };
  subtensor: { network: string; chainEndpoint: string | null };
  localchain: { redisUrl: string; chainId: string };
  /** `externalIp` defaults to 127.0.0.1 on LocalChain; it is required on real networks. */
  axon: {
    port: number;
    ip: string;
    externalIp: string;
    externalPort: number;
    maxConcurrent: number;
    maxQueued: number;
  };
  api: { port: number; host: string; awsIpFilter: boolean };
  scoringMethod: MinerScoringMethod;
  modelName: string;
  llm: { provider: 'togetherai' | 'openai'; baseUrl: string | null };
  scoring: { timeoutMs: number; deadlineS: number; routingTtlS: number };
  mturk: {
    environment: 'sandbox' | 'production' | null;
    endpoint: string | null;
    minWorkers: number;
    reward: string;
    responseTimeoutS: number;
    retryAttempts: number;
    retryQueueMax: number;
  };
  neuron: { epochLength: number; minerStakeThreshold: number };
  blacklist: {
    minValidatorStake: number;
    minimumStake: number;
    allowNonRegistered: boolean;
    forceValidatorPermit: boolean;
  };
  hf: { onnxRepo: string | null; offline: boolean; localModelPath: string | null };
  redis: { url: string; prefix: string };
  history: { maxLen: number };
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  secrets: MinerSecrets;
}

/** Miner wording: errors name `--flag` or `ENV (env)`, help lists env aliases. */
const DIALECT: FlagDialect = { makeError: (where, message) => new ConfigError(where, message) };

const PROGRAM: ProgramOptions = {
  name: 'dojo-miner',
  description: 'Dojo TS miner: RankingRequest (hf_model | llm_api | aws_mturk), RankingResult, chunkSynapse',
  flags: FLAGS,
  dialect: DIALECT,
};

/** Env-only secrets listed in `--help`. */
export const SECRET_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY)',
  'AWS_SESSION_TOKEN',
  'AWS_SNS_ARN_ID',
  'AWS_ASSUME_ROLE_ARN',
  'TOGETHER_API_KEY',
  'OPENAI_API_KEY',
  'HF_TOKEN',
  'DOJO_CALLBACK_SECRET',
] as const;

/** Help text: every flag with its default and env twin, then the env-only secrets. */
export function helpText(): string {
  return flagsHelpText(PROGRAM, `Secrets (env only, never flags): ${SECRET_ENV.join(', ')}`);
}

const NETWORKS = new Set(['finney', 'test', 'archive', 'local']);

/**
 * Parses argv (without node and script) and env into a frozen, validated miner configuration.
 *
 * @param argv - command-line arguments, e.g. `['--netuid', '1', '--scoring_method', 'hf_model']`.
 * @param env - environment (after `.env` was merged in by main.ts).
 * @returns the configuration, or `{help: true}` for `--help`/`-h`.
 * @throws ConfigError naming the flag or env var and what to change.
 * @example
 * const config = loadConfig(['--scoring_method', 'hf_model', '--subtensor.network', 'local'], {});
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): MinerConfig | { help: true } {
  if (wantsHelp(argv)) return { help: true };
  const f = readFlags(
    PROGRAM,
    argv,
    env,
    (message, cause) => new ConfigError('argv', `${message} (see --help)`, { cause }),
  );
  const s = (k: string): string | null => (f[k] === null ? null : String(f[k]));
  const n = (k: string): number => f[k] as number;
  const secret = (name: string): string | null => readSecret(env, name);
  const secrets: MinerSecrets = {
    awsAccessKeyId: secret('AWS_ACCESS_KEY_ID'),
    awsSecretAccessKey: secret('AWS_SECRET_ACCESS_KEY') ?? secret('AWS_SECRET_KEY'),
    awsSessionToken: secret('AWS_SESSION_TOKEN'),
    awsSnsArn: secret('AWS_SNS_ARN_ID'),
    awsAssumeRoleArn: secret('AWS_ASSUME_ROLE_ARN'),
    togetherApiKey: secret('TOGETHER_API_KEY'),
    openaiApiKey: secret('OPENAI_API_KEY'),
    hfToken: secret('HF_TOKEN'),
    callbackSecret: secret('DOJO_CALLBACK_SECRET'),
  };

  const method = s('scoring_method') as MinerScoringMethod | null;
  if (method === null) {
    throw new ConfigError(
      '--scoring_method',
      `is required: pass hf_model, llm_api or aws_mturk (or set ${envName('scoring_method')})`,
    );
  }
  const network = s('subtensor.network') as string;
  if (!NETWORKS.has(network) && !/^wss?:\/\/\S+$/.test(network)) {
    throw new ConfigError('--subtensor.network', `must be finney, test, local or a ws(s):// URL, got '${network}'`);
  }
  const endpoint = s('subtensor.chain_endpoint');
  if (endpoint !== null && !/^wss?:\/\/\S+$/.test(endpoint)) {
    throw new ConfigError('--subtensor.chain_endpoint', `must be a ws:// or wss:// URL, got '${endpoint}'`);
  }
  const externalIp = s('axon.external_ip');
  if (externalIp !== null && isIP(externalIp) === 0) {
    throw new ConfigError('--axon.external_ip', `must be an IPv4 or IPv6 address, got '${externalIp}'`);
  }
  const isLocal = network === 'local' && endpoint === null;
  if (externalIp === null && !isLocal) {
    throw new ConfigError(
      '--axon.external_ip',
      'is required on a real network: pass the public IP validators should dial',
    );
  }
  if (n('api.port') !== 0 && n('api.port') === n('axon.port')) {
    throw new ConfigError('--api.port', `must differ from --axon.port (both ${n('api.port')})`);
  }
  const redisUrl = s('redis.url') as string;
  if (!/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('--redis.url', 'must start with redis:// or rediss://');
  const baseUrl = s('llm_base_url');
  if (baseUrl !== null && !/^https?:\/\/\S+$/.test(baseUrl)) {
    throw new ConfigError('--llm_base_url', `must be an http(s) URL, got '${baseUrl}'`);
  }
  const provider = s('llm_provider') as 'togetherai' | 'openai';
  if (method === 'llm_api') {
    const keyName = provider === 'openai' ? 'OPENAI_API_KEY' : 'TOGETHER_API_KEY';
    if ((provider === 'openai' ? secrets.openaiApiKey : secrets.togetherApiKey) === null) {
      throw new ConfigError(
        keyName,
        `is required for --scoring_method llm_api with --llm_provider ${provider}; set it in the environment or .env`,
      );
    }
  }
  const mturkEnv = s('aws_mturk_environment') as 'sandbox' | 'production' | null;
  const mturkEndpoint = s('mturk.endpoint');
  if (mturkEndpoint !== null && !/^https?:\/\/\S+$/.test(mturkEndpoint)) {
    throw new ConfigError('--mturk.endpoint', `must be an http(s) URL, got '${mturkEndpoint}'`);
  }
  const reward = s('mturk.reward') as string;
  if (!/^\d+(\.\d{1,2})?$/.test(reward))
    throw new ConfigError('--mturk.reward', `must be a USD amount like 0.01, got '${reward}'`);
  if (method === 'aws_mturk') {
    if (mturkEnv === null) {
      throw new ConfigError(
        '--aws_mturk_environment',
        'is required for --scoring_method aws_mturk: pass sandbox or production',
      );
    }
    const missing = (
      [
        ['AWS_ACCESS_KEY_ID', secrets.awsAccessKeyId],
        ['AWS_SECRET_ACCESS_KEY', secrets.awsSecretAccessKey],
        ['AWS_SNS_ARN_ID', secrets.awsSnsArn],
        ['DOJO_CALLBACK_SECRET', secrets.callbackSecret],
      ] as const
    ).find(([, v]) => v === null);
    if (missing)
      throw new ConfigError(
        missing[0],
        'is required for --scoring_method aws_mturk; set it in the environment or .env',
      );
    if (!/^arn:aws:sns:us-east-1:\d{12}:[\w-]+$/.test(secrets.awsSnsArn as string)) {
      throw new ConfigError('AWS_SNS_ARN_ID', 'must look like arn:aws:sns:us-east-1:<12-digit account>:<topic>');
    }
    if (
      secrets.awsAssumeRoleArn !== null &&
      !/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(secrets.awsAssumeRoleArn)
    ) {
      throw new ConfigError('AWS_ASSUME_ROLE_ARN', 'must look like arn:aws:iam::<12-digit account>:role/<name>');
    }
    if ((secrets.callbackSecret as string).length < 16) {
      throw new ConfigError(
        'DOJO_CALLBACK_SECRET',
        'must be at least 16 characters (use the same value as the Lambda forwarder)',
      );
    }
  }
  const deadlineS = n('scoring.deadline_s');
  const config: MinerConfig = {
    netuid: n('netuid'),
    wallet: {
      name: s('wallet.name') as string,
      hotkey: s('wallet.hotkey') as string,
      path: s('wallet.path') as string,
    },
    subtensor: { network, chainEndpoint: endpoint },
    localchain: { redisUrl: s('localchain.redis_url') ?? redisUrl, chainId: s('localchain.chain_id') as string },
    axon: {
      port: n('axon.port'),
      ip: s('axon.ip') as string,
      externalIp: externalIp ?? '127.0.0.1',
      externalPort: f['axon.external_port'] === null ? n('axon.port') : n('axon.external_port'),
      maxConcurrent: n('axon.max_concurrent'),
      maxQueued: n('axon.max_queued'),
    },
    api: { port: n('api.port'), host: s('api.host') as string, awsIpFilter: f['api.aws_ip_filter'] === true },
    scoringMethod: method,
    modelName: s('model_name') ?? (method === 'hf_model' ? DEFAULT_HF_MODEL : DEFAULT_LLM_MODEL),
    llm: { provider, baseUrl },
    scoring: {
      timeoutMs: Math.round(n('scoring.timeout_s') * 1000),
      deadlineS,
      routingTtlS: Math.max(deadlineS, 3600) + 3600,
    },
    mturk: {
      environment: mturkEnv,
      endpoint: mturkEndpoint,
      minWorkers: n('mturk.min_workers'),
      reward,
      responseTimeoutS: n('mturk.response_timeout_s'),
      retryAttempts: n('mturk.retry_attempts'),
      retryQueueMax: n('mturk.retry_queue_max'),
    },
    neuron: { epochLength: n('neuron.epoch_length'), minerStakeThreshold: n('neuron.miner_stake_threshold') },
    blacklist: {
      minValidatorStake:
        f['blacklist.min_stake'] === null ? n('blacklist.min_validator_stake') : n('blacklist.min_stake'),
      minimumStake: n('blacklist.minimum_stake'),
      allowNonRegistered: f['blacklist.allow_non_registered'] === true,
      forceValidatorPermit: f['blacklist.force_validator_permit'] === true,
    },
    hf: { onnxRepo: s('hf.onnx_repo'), offline: f['hf.offline'] === true, localModelPath: s('hf.local_model_path') },
    redis: { url: redisUrl, prefix: s('redis.prefix') as string },
    history: { maxLen: n('history.max_len') },
    logLevel: s('logging.level') as MinerConfig['logLevel'],
    secrets,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Strips `user:password@` from a URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//[redacted]@');
}

/**
 * The config as printed at start-up: secrets show only whether they are set; URLs lose their credentials.
 *
 * @param config - the resolved configuration.
 * @returns a plain object safe to log.
 */
export function redactedConfig(config: MinerConfig): Record<string, unknown> {
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.secrets)) secrets[k] = v === null ? 'unset' : '[redacted]';
  return {
    ...config,
    redis: { ...config.redis, url: redactUrl(config.redis.url) },
    localchain: { ...config.localchain, redisUrl: redactUrl(config.localchain.redisUrl) },
    llm: { ...config.llm, baseUrl: config.llm.baseUrl === null ? null : redactUrl(config.llm.baseUrl) },
    secrets,
  };
}
