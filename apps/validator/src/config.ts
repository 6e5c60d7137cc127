/**
 * Validator flags (dojo.md §15, chunking.md §13, plus the issue's `--neuron.query_interval_s`, `--chunking.interval_s`,
 * `--weights.*`, `--validator.role`). Precedence: flag, then env twin (`DOJO_NEURON_SAMPLE_SIZE`), then default.
 * Secrets come from env only. Parsing has no side effects; the result is deep-frozen.
 */
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

/** Every flag the validator accepts, with its default and help line. */
export const FLAGS: readonly FlagSpec[] = [
  { flag: 'netuid', type: 'int', def: 1, min: 0, max: 65535, help: 'subnet id' },
  { flag: 'wallet.name', type: 'string', def: 'default', help: 'wallet (coldkey) name' },
  { flag: 'wallet.hotkey', type: 'string', def: 'default', help: 'hotkey name' },
  {
    flag: 'wallet.path',
    type: 'string',
    def: null,
    help: 'wallets directory (default $BT_WALLET_PATH or ~/.bittensor/wallets)',
  },
  { flag: 'subtensor.network', type: 'string', def: 'finney', help: 'finney | test | archive | local' },
  { flag: 'subtensor.chain_endpoint', type: 'string', def: null, help: 'ws(s) endpoint, overrides the network' },
  { flag: 'localchain.redis_url', type: 'string', def: null, help: 'LocalChain Redis (default: --redis.url)' },
  { flag: 'localchain.chain_id', type: 'string', def: 'local', help: 'LocalChain id (key prefix lc:{id}:)' },
  { flag: 'axon.port', type: 'int', def: 9500, min: 1, max: 65535, help: 'axon port (MTurkResponse)' },
  { flag: 'axon.ip', type: 'string', def: '0.0.0.0', help: 'axon bind address' },
  { flag: 'axon.external_ip', type: 'string', def: null, help: 'IP served on chain' },
  { flag: 'api.port', type: 'int', def: 1888, min: 0, max: 65535, help: 'HTTP API port (metrics, status)' },
  { flag: 'api.host', type: 'string', def: '0.0.0.0', help: 'HTTP API bind address' },
  { flag: 'api.enable_reward_route', type: 'bool', def: false, help: 'enable POST /api/reward_model' },
  {
    flag: 'logging.level',
    type: 'enum',
    def: 'info',
    choices: ['trace', 'debug', 'info', 'warn', 'error', 'silent'],
    help: '',
  },
  {
    flag: 'redis.url',
    type: 'string',
    def: 'redis://127.0.0.1:6379',
    help: 'state store and queues (env also REDIS_URL)',
    envAliases: ['REDIS_URL'],
  },
  { flag: 'redis.prefix', type: 'string', def: 'dojo', help: 'key prefix (namespaced further by netuid+hotkey)' },
  { flag: 'validator.role', type: 'enum', def: 'all', choices: ['all', 'loop', 'worker'], help: 'process role' },
  { flag: 'neuron.sample_size', type: 'int', def: 10, min: 1, help: 'miners per RankingRequest' },
  { flag: 'neuron.moving_average_alpha', type: 'float', def: 0.3, min: 0, max: 1, help: 'ranking EMA alpha' },
  { flag: 'neuron.epoch_length', type: 'int', def: 100, min: 1, help: 'blocks between weight settings' },
  { flag: 'neuron.query_interval_s', type: 'float', def: 24, min: 0, help: 'ranking loop sleep' },
  { flag: 'neuron.query_timeout_s', type: 'float', def: 30, min: 0.1, help: 'RankingRequest timeout' },
  { flag: 'neuron.miner_stake_threshold', type: 'float', def: 1000, min: 0, help: 'TAO; isMiner(uid)' },
  { flag: 'neuron.disable_set_weights', type: 'bool', def: false, help: '' },
  { flag: 'neuron.axon_off', type: 'bool', def: false, help: 'do not serve the axon' },
  { flag: 'scoring.deadline_s', type: 'float', def: 28800, min: 0, help: 'seconds from epoch_timestamp to scoring' },
  { flag: 'scoring.human_feedback_boost', type: 'float', def: 1.2, min: 0, help: 'aws_mturk boost' },
  { flag: 'scoring.result_timeout_s', type: 'float', def: 12, min: 0.1, help: 'RankingResult timeout' },
  { flag: 'audit.fraction', type: 'float', def: 0.1, min: 0, max: 1, help: 'share of model replies re-scored' },
  { flag: 'audit.min_spearman', type: 'float', def: 0.9, min: -1, max: 1, help: '' },
  { flag: 'audit.hf_allowlist', type: 'string', def: null, help: 'comma-separated HF models the audit may load' },
  { flag: 'accuracy.interval_s', type: 'float', def: 1800, min: 1, help: '' },
  { flag: 'accuracy.reset_interval_s', type: 'float', def: 86400, min: 1, help: '' },
  { flag: 'evaluation.num_batches', type: 'int', def: 10, min: 1, help: '' },
  { flag: 'evaluation.batch_size', type: 'int', def: 32, min: 1, help: '' },
  { flag: 'mturk.environment', type: 'enum', def: 'production', choices: ['production', 'sandbox'], help: '' },
  { flag: 'mturk.endpoint', type: 'string', def: null, help: 'override the MTurk endpoint (local MTurk server)' },
  { flag: 'mturk.mean_tolerance', type: 'float', def: 1e-6, min: 0, help: '' },
  { flag: 'mturk.min_workers', type: 'int', def: 2, min: 1, help: '' },
  {
    flag: 'mturk.credentials',
    type: 'enum',
    def: 'miner',
    choices: ['miner', 'validator'],
    help: 'verify with the miner STS credentials or the validator AWS env keys',
  },
  { flag: 'datasets.source', type: 'enum', def: 'hf-rows', choices: ['hf-rows', 'local', 'bundled'], help: '' },
  { flag: 'datasets.dir', type: 'string', def: null, help: 'local <owner>__<name>.jsonl|parquet files' },
  { flag: 'datasets.seed_path', type: 'string', def: null, help: 'local seed prompts JSONL/Parquet' },
  { flag: 'datasets.rows_url', type: 'string', def: 'https://datasets-server.huggingface.co', help: '' },
  { flag: 'hf.cache_size', type: 'int', def: 4, min: 1, help: '' },
  { flag: 'hf.offline', type: 'bool', def: false, help: 'load HF models from local files only (never download)' },
  { flag: 'hf.local_model_path', type: 'string', def: null, help: 'folder holding <org>/<name>/ model copies' },
  { flag: 'chunking.interval_s', type: 'float', def: 35, min: 0, help: 'chunking round interval' },
  { flag: 'chunking.group_size', type: 'int', def: 25, min: 1, help: 'tournament group size' },
  { flag: 'chunking.moving_average_alpha', type: 'float', def: 0.15, min: 0, max: 1, help: '' },
  { flag: 'reward.variant', type: 'enum', def: 'v1', choices: ['v1', 'v1.1'], help: '' },
  { flag: 'reward.num_embeddings', type: 'int', def: 50, min: 1, help: '' },
  { flag: 'embedder', type: 'enum', def: 'openai', choices: ['openai', 'local', 'deterministic'], help: '' },
  { flag: 'embedder.model', type: 'string', def: null, help: '' },
  { flag: 'task.chunk_size', type: 'int', def: 4096, min: 1, help: '' },
  { flag: 'task.time_soft_max', type: 'float', def: 5, min: 0, help: '' },
  { flag: 'task.timeout', type: 'float', def: 12, min: 0.1, help: '' },
  { flag: 'synthetic.source', type: 'enum', def: 'bundled', choices: ['bundled', 'wikipedia'], help: '' },
  { flag: 'synthetic.corpus_path', type: 'string', def: null, help: 'JSONL of {id, text}' },
  { flag: 'synthetic.refresh_every_steps', type: 'int', def: 100, min: 1, help: '' },
  { flag: 'weights.ranking_share', type: 'float', def: 0.5, min: 0, max: 1, help: '' },
  { flag: 'weights.chunking_share', type: 'float', def: 0.5, min: 0, max: 1, help: '0 turns chunking off' },
  { flag: 'weights.rule', type: 'enum', def: 'halving', choices: ['halving', 'linear'], help: 'chunking rule' },
  { flag: 'jobs.concurrency', type: 'int', def: 8, min: 1, help: 'deadline jobs scored in parallel' },
  { flag: 'jobs.lock_ms', type: 'int', def: 30000, min: 500, help: 'BullMQ lock duration' },
  { flag: 'jobs.stalled_interval_ms', type: 'int', def: 30000, min: 200, help: 'BullMQ stalled-job check' },
  { flag: 'history.max_len', type: 'int', def: 10000, min: 1, help: 'results stream cap' },
  { flag: 'seed', type: 'int', def: null, help: 'RNG seed (random when absent)' },
];

/** Secrets the validator reads from env only (never flags, never logged). */
export interface ValidatorSecrets {
  openaiApiKey: string | null;
  togetherApiKey: string | null;
  hfToken: string | null;
  apiToken: string | null;
  dashboardToken: string | null;
  awsAccessKeyId: string | null;
  awsSecretAccessKey: string | null;
}

/** Resolved configuration: every flag by its dotted name, plus secrets. */
export interface ValidatorConfig {
  flags: Readonly<Record<string, string | number | boolean | null>>;
  secrets: Readonly<ValidatorSecrets>;
}

/**
 * Validator wording: errors name the bare dotted flag (ConfigError adds `--`), booleans are "a boolean", range errors
 * omit the value; help shows only the env twin (aliases are spelled out in the help text) and is trimmed.
 */
const DIALECT: FlagDialect = {
  makeError: (where, message) => new ConfigError(where, message),
  errorsName: 'flag',
  boolExpected: 'a boolean',
  rangeShowsValue: false,
  helpListsAliases: false,
  helpTidy: 'trim',
};

const PROGRAM: ProgramOptions = {
  name: 'dojo-validator',
  description: 'Dojo TS validator: ranking requests, MTurk verification, chunking tournament, weights',
  flags: FLAGS,
  dialect: DIALECT,
};

/** Help text listing every flag with its env twin and default. */
export function helpText(): string {
  return flagsHelpText(
    PROGRAM,
    'Secrets (env only): OPENAI_API_KEY, TOGETHER_API_KEY, HF_TOKEN, DOJO_API_TOKEN, DOJO_DASHBOARD_TOKEN, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY',
  );
}

/**
 * Parses argv (without node and script) and env into a frozen config.
 * @param argv - command-line arguments, e.g. `['--netuid', '1']`
 * @param env - environment variables
 * @returns the validated configuration, or `{help: true}` when `--help`/`-h` was given
 * @throws ConfigError naming the offending flag
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ValidatorConfig | { help: true } {
  if (wantsHelp(argv)) return { help: true };
  const flags = readFlags(
    PROGRAM,
    argv,
    env,
    (message, cause) => new ConfigError(argv.find((a) => a.startsWith('--')) ?? 'argv', message, { cause }),
  );
  if (flags['api.port'] !== 0 && flags['api.port'] === flags['axon.port']) {
    throw new ConfigError('api.port', 'must differ from --axon.port');
  }
  const rs = flags['weights.ranking_share'] as number;
  const cs = flags['weights.chunking_share'] as number;
  if (rs + cs <= 0) throw new ConfigError('weights.ranking_share', 'ranking_share + chunking_share must be > 0');
  const secret = (name: string): string | null => readSecret(env, name);
  const secrets: ValidatorSecrets = {
    openaiApiKey: secret('OPENAI_API_KEY'),
    togetherApiKey: secret('TOGETHER_API_KEY'),
    hfToken: secret('HF_TOKEN'),
    apiToken: secret('DOJO_API_TOKEN'),
    dashboardToken: secret('DOJO_DASHBOARD_TOKEN'),
    awsAccessKeyId: secret('AWS_ACCESS_KEY_ID'),
    awsSecretAccessKey: secret('AWS_SECRET_ACCESS_KEY') ?? secret('AWS_SECRET_KEY'),
  };
  if (flags['api.enable_reward_route'] === true && secrets.apiToken === null) {
    throw new ConfigError('api.enable_reward_route', 'requires DOJO_API_TOKEN in the environment');
  }
  return Object.freeze({ flags: Object.freeze(flags), secrets: Object.freeze(secrets) });
}

/** Typed accessor for a numeric flag. */
export function num(config: ValidatorConfig, flag: string): number {
  const v = config.flags[flag];
  if (typeof v !== 'number') throw new ConfigError(flag, 'not a numeric flag');
  return v;
}

/** Typed accessor for a string flag (null when unset). */
export function str(config: ValidatorConfig, flag: string): string | null {
  const v = config.flags[flag];
  return v === null || v === undefined ? null : String(v);
}

/** Typed accessor for a boolean flag. */
export function bool(config: ValidatorConfig, flag: string): boolean {
  return config.flags[flag] === true;
}

/** Config as printed at start-up: flags plus which secrets are set (values redacted). */
export function redactedConfig(config: ValidatorConfig): Record<string, unknown> {
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.secrets)) secrets[k] = v === null ? 'unset' : '[redacted]';
  const flags: Record<string, unknown> = { ...config.flags };
  const url = flags['redis.url'];
  if (typeof url === 'string') flags['redis.url'] = url.replace(/\/\/[^@/]*@/, '//[redacted]@');
  return { flags, secrets };
}
