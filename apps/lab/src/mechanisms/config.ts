import { LabConfigError } from '../errors.js';

/** A plain YAML mapping. */
export type Obj = Record<string, unknown>;

/** Rule preset of a mechanism model: Dojo TS's fixed rules or the upstream ones (lab.md §9, §12). */
export type RuleSet = 'product' | 'upstream';

/** One pool entry after validation (lab.md §9.1). */
export interface PoolEntry {
  strategy: string;
  count: number;
  args: Obj;
  hotkeys?: string[];
}

/** Chain hyperparameters of the simulated subnet (chain.md §8; LocalChain defaults). */
export interface ChainParams {
  min_allowed_weights: number;
  /** `MaxWeightsLimit / 65535`. */
  max_weight_limit: number;
}

/** Resolved `model` section with `kind: dojo` (lab.md §9.2). */
export interface DojoModel {
  id: string;
  kind: 'dojo';
  rules: RuleSet;
  pool: { size: number; strategies: PoolEntry[] };
  scoring: {
    human_feedback_boost: number;
    moving_average_alpha: number;
    audit_fraction: number;
    audit_min_spearman: number;
    min_workers: number;
    mean_tolerance: number;
  };
  /** MTurk verification: `product` = D12, `upstream` = none (sandbox accepted, no worker checks). */
  verification: RuleSet;
  /** Consensus: `product` = D4/D7/D8 via @dojo-ts/scoring; `upstream` = raw scales, boost on ρ never firing, accuracy twice. */
  consensus_rule: RuleSet;
  accuracy: Record<string, number>;
  completions_per_request: number;
  quality: 'synthetic' | 'preference';
  chain: ChainParams;
}

/** Resolved `model` section with `kind: chunking` (lab.md §9.3). */
export interface ChunkingModel {
  id: string;
  kind: 'chunking';
  rules: RuleSet;
  pool: { size: number; strategies: PoolEntry[] };
  reward: { variant: 'v1' | 'v1.1'; num_embeddings: number; embedder: 'deterministic' | 'local' | 'openai' };
  task: { chunk_size: number; time_soft_max: number; timeout: number };
  tournament: { sample_size: number; moving_average_alpha: number };
  weights_rule: 'halving' | 'linear';
  time_soft_max_source: 'task' | 'response';
  failure_rule: 'last' | 'upstream';
  newcomer_rule: 'first_rank' | 'upstream_prior0';
  documents: { count: number; min_sentences: number; max_sentences: number };
  chain: ChainParams;
}

/** Either mechanism model. */
export type MechanismModel = DojoModel | ChunkingModel;

/** Strategy names and the `args` keys each accepts, for `kind: dojo` (lab.md §9.2 plus `model_spoof`). */
export const DOJO_STRATEGY_ARGS: Readonly<Record<string, readonly string[]>> = {
  honest: ['method', 'model', 'noise', 'cost'],
  noisy: ['method', 'model', 'noise', 'cost'],
  lazy_constant: ['method', 'model', 'value', 'cost'],
  random: ['method', 'model', 'cost'],
  copycat: ['method', 'model', 'cost'],
  colluding: ['method', 'model', 'target', 'cost'],
  length_biased: ['method', 'model', 'cost'],
  prompt_echo: ['method', 'model', 'cost'],
  sandbox_mturk: ['workers', 'target', 'cost'],
  honest_mturk: ['workers', 'noise', 'reward_per_assignment', 'fee_rate', 'cost'],
  model_spoof: ['method', 'model', 'noise', 'cost'],
};

/** Strategy names and the `args` keys each accepts, for `kind: chunking` (lab.md §9.3 plus `replaced_hotkey`, `offline`). */
export const CHUNKING_STRATEGY_ARGS: Readonly<Record<string, readonly string[]>> = {
  honest: ['latency_s', 'jitter', 'cost'],
  noisy: ['latency_s', 'jitter', 'cost'],
  lazy_constant: ['latency_s', 'jitter', 'cost', 'window'],
  random: ['latency_s', 'jitter', 'cost'],
  copycat: ['latency_s', 'jitter', 'cost'],
  colluding: ['latency_s', 'jitter', 'cost', 'target_size'],
  length_biased: ['latency_s', 'jitter', 'cost', 'factor'],
  prompt_echo: ['latency_s', 'jitter', 'cost'],
  time_spoof: ['latency_s', 'jitter', 'cost', 'claimed_time_soft_max'],
  replaced_hotkey: ['latency_s', 'jitter', 'cost', 'every'],
  offline: ['latency_s', 'jitter', 'cost', 'after'],
};

const fail = (path: string, msg: string, details: Obj = {}): never => {
  throw new LabConfigError(`model${path ? `.${path}` : ''}: ${msg}`, { details: { path, ...details } });
};

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function checkKeys(obj: Obj, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) fail(path ? `${path}.${k}` : k, `unknown key; allowed keys are ${allowed.join(', ')}`);
  }
}

function section(obj: Obj, key: string, allowed: readonly string[]): Obj {
  const v = obj[key];
  if (v === undefined || v === null) return {};
  if (!isObj(v)) return fail(key, 'must be a mapping');
  checkKeys(v, allowed, key);
  return v;
}

function num(v: unknown, path: string, def: number, check: (x: number) => boolean, what: string): number {
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
    fail(path, `must be ${what}, got ${JSON.stringify(v)}`);
  return v as number;
}

function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[], def: T): T {
  if (v === undefined || v === null) return def;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    fail(path, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

const unit = (x: number) => x >= 0 && x <= 1;
const posInt = (x: number) => Number.isInteger(x) && x >= 1;

function validatePool(raw: unknown, registry: Readonly<Record<string, readonly string[]>>): DojoModel['pool'] {
  if (!isObj(raw)) return fail('pool', 'is required: {size, strategies: [{strategy, count, args, hotkeys?}]}');
  checkKeys(raw, ['size', 'strategies'], 'pool');
  const size = num(raw.size, 'pool.size', Number.NaN, posInt, 'a positive integer');
  if (Number.isNaN(size)) fail('pool.size', 'is required');
  if (!Array.isArray(raw.strategies) || raw.strategies.length === 0) {
    fail('pool.strategies', 'must be a non-empty list');
  }
  const names = Object.keys(registry);
  const strategies = (raw.strategies as unknown[]).map((e, i): PoolEntry => {
    const p = `pool.strategies[${i}]`;
    if (!isObj(e)) return fail(p, 'must be a mapping {strategy, count, args, hotkeys?}');
    checkKeys(e, ['strategy', 'count', 'args', 'hotkeys'], p);
    const strategy = e.strategy;
    if (typeof strategy !== 'string' || !names.includes(strategy)) {
      fail(`${p}.strategy`, `unknown strategy ${JSON.stringify(strategy)}; allowed strategies are ${names.join(', ')}`);
    }
    const count = num(e.count, `${p}.count`, Number.NaN, posInt, 'a positive integer');
    if (Number.isNaN(count)) fail(`${p}.count`, 'is required');
    const args = e.args === undefined || e.args === null ? {} : e.args;
    if (!isObj(args)) return fail(`${p}.args`, 'must be a mapping');
    checkKeys(args, registry[strategy as string] as readonly string[], `${p}.args`);
    if (args.cost !== undefined) num(args.cost, `${p}.args.cost`, 0, (x) => x >= 0, 'a number ≥ 0');
    let hotkeys: string[] | undefined;
    if (e.hotkeys !== undefined) {
      if (
        !Array.isArray(e.hotkeys) ||
        e.hotkeys.length !== count ||
        !e.hotkeys.every((h) => typeof h === 'string' && h.length > 0)
      ) {
        fail(`${p}.hotkeys`, `must be a list of ${count} non-empty strings`);
      }
      hotkeys = e.hotkeys as string[];
    }
    return { strategy: strategy as string, count, args, ...(hotkeys ? { hotkeys } : {}) };
  });
  const total = strategies.reduce((s, e) => s + e.count, 0);
  if (total !== size) fail('pool', `strategy counts sum to ${total}, but pool.size is ${size}`);
  const all = strategies.flatMap((e) => e.hotkeys ?? []);
  if (new Set(all).size !== all.length) fail('pool', 'hotkeys must be distinct');
  return { size, strategies };
}

function validateChain(raw: Obj): ChainParams {
  const c = section(raw, 'chain', ['min_allowed_weights', 'max_weight_limit']);
  return {
    min_allowed_weights: num(
      c.min_allowed_weights,
      'chain.min_allowed_weights',
      1,
      (x) => Number.isInteger(x) && x >= 0,
      'an integer ≥ 0',
    ),
    max_weight_limit: num(c.max_weight_limit, 'chain.max_weight_limit', 1, (x) => x > 0 && x <= 1, 'in (0, 1]'),
  };
}

const DOJO_KEYS = [
  'id',
  'kind',
  'rules',
  'pool',
  'scoring',
  'verification',
  'consensus_rule',
  'accuracy',
  'completions_per_request',
  'quality',
  'chain',
] as const;

const CHUNKING_KEYS = [
  'id',
  'kind',
  'rules',
  'pool',
  'reward',
  'task',
  'tournament',
  'weights_rule',
  'time_soft_max_source',
  'failure_rule',
  'newcomer_rule',
  'documents',
  'chain',
] as const;

function validateDojo(raw: Obj, id: string): DojoModel {
  checkKeys(raw, DOJO_KEYS, '');
  const rules = oneOf(raw.rules, 'rules', ['product', 'upstream'] as const, 'product');
  const sc = section(raw, 'scoring', [
    'human_feedback_boost',
    'moving_average_alpha',
    'audit_fraction',
    'audit_min_spearman',
    'min_workers',
    'mean_tolerance',
  ]);
  const acc = raw.accuracy ?? {};
  if (!isObj(acc)) return fail('accuracy', 'must be a mapping {<method key>: value in [0, 1]}');
  const accuracy: Record<string, number> = {};
  for (const [k, v] of Object.entries(acc)) {
    if (!/^(hf_model:.+|llm_api:[^:]+:.+)$/.test(k)) {
      fail(`accuracy.${k}`, 'key must be hf_model:<model> or llm_api:<provider>:<model>');
    }
    accuracy[k] = num(v, `accuracy.${k}`, 1, unit, 'in [0, 1]');
  }
  return {
    id,
    kind: 'dojo',
    rules,
    pool: validatePool(raw.pool, DOJO_STRATEGY_ARGS),
    scoring: {
      human_feedback_boost: num(sc.human_feedback_boost, 'scoring.human_feedback_boost', 1.2, (x) => x >= 0, '≥ 0'),
      moving_average_alpha: num(sc.moving_average_alpha, 'scoring.moving_average_alpha', 0.3, unit, 'in [0, 1]'),
      audit_fraction: num(
        sc.audit_fraction,
        'scoring.audit_fraction',
        rules === 'upstream' ? 0 : 0.1,
        unit,
        'in [0, 1]',
      ),
      audit_min_spearman: num(
        sc.audit_min_spearman,
        'scoring.audit_min_spearman',
        0.9,
        (x) => x >= -1 && x <= 1,
        'in [-1, 1]',
      ),
      min_workers: num(sc.min_workers, 'scoring.min_workers', 2, posInt, 'a positive integer'),
      mean_tolerance: num(sc.mean_tolerance, 'scoring.mean_tolerance', 1e-6, (x) => x >= 0, '≥ 0'),
    },
    verification: oneOf(raw.verification, 'verification', ['product', 'upstream'] as const, rules),
    consensus_rule: oneOf(raw.consensus_rule, 'consensus_rule', ['product', 'upstream'] as const, rules),
    accuracy,
    completions_per_request: num(
      raw.completions_per_request,
      'completions_per_request',
      4,
      (x) => Number.isInteger(x) && x >= 2,
      'an integer ≥ 2',
    ),
    quality: oneOf(raw.quality, 'quality', ['synthetic', 'preference'] as const, 'synthetic'),
    chain: validateChain(raw),
  };
}

function validateChunking(raw: Obj, id: string): ChunkingModel {
  checkKeys(raw, CHUNKING_KEYS, '');
  const rules = oneOf(raw.rules, 'rules', ['product', 'upstream'] as const, 'product');
  const up = rules === 'upstream';
  const rw = section(raw, 'reward', ['variant', 'num_embeddings', 'embedder']);
  const tk = section(raw, 'task', ['chunk_size', 'time_soft_max', 'timeout']);
  const tn = section(raw, 'tournament', ['sample_size', 'moving_average_alpha']);
  const dc = section(raw, 'documents', ['count', 'min_sentences', 'max_sentences']);
  const embedder = oneOf(
    rw.embedder,
    'reward.embedder',
    ['deterministic', 'local', 'openai'] as const,
    'deterministic',
  );
  if (embedder !== 'deterministic') {
    fail('reward.embedder', `${embedder} needs a network model; the mechanism simulation supports deterministic only`);
  }
  const minS = num(dc.min_sentences, 'documents.min_sentences', 15, posInt, 'a positive integer');
  const maxS = num(dc.max_sentences, 'documents.max_sentences', 40, posInt, 'a positive integer');
  if (maxS < minS) fail('documents.max_sentences', 'must be ≥ documents.min_sentences');
  return {
    id,
    kind: 'chunking',
    rules,
    pool: validatePool(raw.pool, CHUNKING_STRATEGY_ARGS),
    reward: {
      variant: oneOf(rw.variant, 'reward.variant', ['v1', 'v1.1'] as const, 'v1'),
      num_embeddings: num(rw.num_embeddings, 'reward.num_embeddings', 50, posInt, 'a positive integer'),
      embedder,
    },
    task: {
      chunk_size: num(tk.chunk_size, 'task.chunk_size', 4096, posInt, 'a positive integer'),
      time_soft_max: num(tk.time_soft_max, 'task.time_soft_max', 5, (x) => x > 0, '> 0'),
      timeout: num(tk.timeout, 'task.timeout', 12, (x) => x > 0, '> 0'),
    },
    tournament: {
      sample_size: num(tn.sample_size, 'tournament.sample_size', 25, posInt, 'a positive integer'),
      moving_average_alpha: num(tn.moving_average_alpha, 'tournament.moving_average_alpha', 0.15, unit, 'in [0, 1]'),
    },
    weights_rule: oneOf(raw.weights_rule, 'weights_rule', ['halving', 'linear'] as const, 'halving'),
    time_soft_max_source: oneOf(
      raw.time_soft_max_source,
      'time_soft_max_source',
      ['task', 'response'] as const,
      up ? 'response' : 'task',
    ),
    failure_rule: oneOf(raw.failure_rule, 'failure_rule', ['last', 'upstream'] as const, up ? 'upstream' : 'last'),
    newcomer_rule: oneOf(
      raw.newcomer_rule,
      'newcomer_rule',
      ['first_rank', 'upstream_prior0'] as const,
      up ? 'upstream_prior0' : 'first_rank',
    ),
    documents: {
      count: num(dc.count, 'documents.count', 6, posInt, 'a positive integer'),
      min_sentences: minS,
      max_sentences: maxS,
    },
    chain: validateChain(raw),
  };
}

/**
 * Validates and resolves a `model` section of kind `dojo` or `chunking` (lab.md §4.2, §9): unknown keys, unknown
 * strategies and strategy args not declared by the strategy are errors listing the allowed values; counts must sum to
 * `pool.size`. `rules: upstream` switches every rule key's default to the upstream behaviour.
 * @param model - the YAML `model` section.
 * @returns the resolved model with defaults filled in.
 * @throws {LabConfigError} DOJO_LAB_CONFIG_INVALID on any schema violation.
 */
export function validateMechanismModel(model: Record<string, unknown>): MechanismModel {
  if (!isObj(model)) return fail('', 'must be a mapping');
  const id = model.id;
  if (typeof id !== 'string' || id.length === 0) fail('id', 'is required (a non-empty string)');
  const kind = oneOf(model.kind, 'kind', ['dojo', 'chunking'] as const, 'dojo');
  if (model.kind === undefined) fail('kind', 'is required for mechanism models (dojo or chunking)');
  return kind === 'dojo' ? validateDojo(model, id as string) : validateChunking(model, id as string);
}
