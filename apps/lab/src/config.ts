import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { LabConfigError } from './errors.js';
import { validateMechanismModel } from './mechanisms/index.js';

/** A `{name, args}` component reference. */
export interface ComponentRef {
  name: string;
  args: Record<string, unknown>;
}

/** The resolved `model` section (lab.md §4.2). */
export interface ModelSection {
  id: string;
  kind: 'prompting' | 'dojo' | 'chunking';
  dendrite_pool?: ComponentRef;
  gating_model?: ComponentRef;
  reward_model?: ComponentRef;
  subtensor?: ComponentRef;
  metagraph?: ComponentRef;
  alpha?: number;
  validator?: Record<string, unknown>;
  [mechanismKey: string]: unknown;
}

/** The resolved `data` section (lab.md §4.3). */
export interface DataSection {
  id: string;
  path: string;
  schema: { question: string; answer: string } | null;
  sample: { method: 'first' | 'random'; n: number; seed: number } | null;
}

/** The resolved `query` section (lab.md §4.4). */
export interface QuerySection {
  id: string;
  requires: string[];
  chunk_size: number;
  save_interval: number;
  method: { name: 'train' | 'forward' | 'inference' | 'rounds'; args: Record<string, unknown> };
  ignore_attr: string[];
}

/** The resolved `analysis` section (lab.md §4.5). */
export interface AnalysisSection {
  id: string;
  requires: string[];
  create_features: string[] | Record<string, string[]> | null;
  plot: Record<string, string[]> | null;
  embedding_plot: { scaler: string; columns: string[] } | null;
  embedding: { embedder: 'deterministic' | 'local'; model_path: string | null; dim: number; method: 'umap' | 'pca' };
  pca: { n_components?: number; threshold?: number } | null;
  estimators: Record<string, ComponentRef> | null;
  predict: Record<string, { x: string; estimator: string }> | null;
  strategy_report: boolean | null;
  /** Tokenizer of the `reward_num_tokens` feature (hub id or folder). */
  reward_tokenizer: string;
}

/** The resolved experiment (lab.md §4.1). */
export interface LabConfig {
  name: string;
  seed: number;
  device: 'cpu' | 'gpu';
  output: { dir: string };
  sweep: Record<string, unknown[]> | null;
  wandb: { enabled: boolean; project: string; entity: string | null; mode: 'online' | 'offline' | 'disabled' };
  model?: ModelSection;
  data?: DataSection;
  query?: QuerySection;
  analysis?: AnalysisSection;
  /** Folder of the YAML file; relative paths resolve against it. */
  baseDir: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(path: string, v: unknown, allowed: readonly string[], required: readonly string[] = []): Obj {
  if (!isObj(v)) throw new LabConfigError(`${path}: expected a mapping`);
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k))
      throw new LabConfigError(`${path}: unknown key "${k}". Allowed keys: ${allowed.join(', ')}`);
  }
  for (const k of required) if (v[k] === undefined) throw new LabConfigError(`${path}: missing required key "${k}"`);
  return v;
}

function str(path: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new LabConfigError(`${path}: expected a non-empty string`);
  return v;
}

function num(path: string, v: unknown, opts: { int?: boolean; min?: number } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new LabConfigError(`${path}: expected a number`);
  if (opts.int && !Number.isInteger(v)) throw new LabConfigError(`${path}: expected an integer`);
  if (opts.min !== undefined && v < opts.min) throw new LabConfigError(`${path}: must be ≥ ${opts.min}`);
  return v;
}

function strList(path: string, v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new LabConfigError(`${path}: expected a list of strings`);
  return v as string[];
}

function component(path: string, v: unknown, fallback?: string): ComponentRef | undefined {
  if (v === undefined) return fallback ? { name: fallback, args: {} } : undefined;
  const o = checkKeys(path, v, ['name', 'args'], ['name']);
  if (o.args !== undefined && o.args !== null && !isObj(o.args))
    throw new LabConfigError(`${path}.args: expected a mapping`);
  return { name: str(`${path}.name`, o.name), args: (o.args as Obj | undefined) ?? {} };
}

const TOP_KEYS = ['name', 'seed', 'device', 'output', 'sweep', 'wandb', 'model', 'data', 'query', 'analysis'];
const PROMPTING_KEYS = [
  'id',
  'kind',
  'dendrite_pool',
  'gating_model',
  'reward_model',
  'subtensor',
  'metagraph',
  'alpha',
  'validator',
];

/**
 * Validates a parsed experiment and fills defaults (lab.md §3 step 1, §4).
 * @param raw - the parsed YAML.
 * @param baseDir - folder that relative paths resolve against.
 * @returns the resolved config.
 * @throws {LabConfigError} DOJO_LAB_CONFIG_INVALID on an unknown key, a missing required key or a bad value.
 */
export function resolveConfig(raw: unknown, baseDir: string): LabConfig {
  const top = checkKeys('config', raw, TOP_KEYS);
  const out: LabConfig = {
    name: '',
    seed: top.seed === undefined ? 0 : num('seed', top.seed, { int: true }),
    device: 'cpu',
    output: { dir: 'runs' },
    sweep: null,
    wandb: { enabled: false, project: 'dojo-ts-lab', entity: null, mode: 'online' },
    baseDir,
  };
  if (top.device !== undefined) {
    if (top.device !== 'cpu' && top.device !== 'gpu') throw new LabConfigError('device: expected cpu or gpu');
    out.device = top.device;
  }
  if (top.output !== undefined) {
    const o = checkKeys('output', top.output, ['dir']);
    if (o.dir !== undefined) out.output.dir = str('output.dir', o.dir);
  }
  if (top.sweep !== undefined && top.sweep !== null) {
    const s = checkKeys('sweep', top.sweep, Object.keys(top.sweep as Obj));
    for (const [k, v] of Object.entries(s))
      if (!Array.isArray(v)) throw new LabConfigError(`sweep.${k}: expected a list`);
    out.sweep = s as Record<string, unknown[]>;
  }
  if (top.wandb !== undefined) {
    const w = checkKeys('wandb', top.wandb, ['enabled', 'project', 'entity', 'mode']);
    if (w.enabled !== undefined && typeof w.enabled !== 'boolean')
      throw new LabConfigError('wandb.enabled: expected a boolean');
    out.wandb = {
      enabled: w.enabled === true,
      project: w.project === undefined ? 'dojo-ts-lab' : str('wandb.project', w.project),
      entity: w.entity === undefined || w.entity === null ? null : str('wandb.entity', w.entity),
      mode: (w.mode as 'online' | 'offline' | 'disabled' | undefined) ?? 'online',
    };
    if (!['online', 'offline', 'disabled'].includes(out.wandb.mode))
      throw new LabConfigError('wandb.mode: online, offline or disabled');
  }
  if (top.model !== undefined) out.model = resolveModel(top.model);
  if (top.data !== undefined) out.data = resolveData(top.data);
  if (top.query !== undefined) out.query = resolveQuery(top.query, out.model?.kind ?? 'prompting');
  if (top.analysis !== undefined) out.analysis = resolveAnalysis(top.analysis, out.model?.kind);
  out.name = top.name === undefined ? (out.model?.id ?? out.analysis?.id ?? 'lab') : str('name', top.name);
  if (!/^[A-Za-z0-9._-]+$/.test(out.name)) throw new LabConfigError('name: only letters, digits, ".", "_" and "-"');
  return out;
}

function resolveModel(v: unknown): ModelSection {
  const pre = checkKeys('model', v, Object.keys(isObj(v) ? v : {}), ['id']);
  const kind = (pre.kind ?? 'prompting') as string;
  if (!['prompting', 'dojo', 'chunking'].includes(kind))
    throw new LabConfigError(`model.kind: unknown "${kind}" (prompting, dojo, chunking)`);
  if (kind !== 'prompting') {
    // Mechanism models (lab.md §9): strict validation by src/mechanisms; the raw section is kept for runMechanism.
    validateMechanismModel(pre);
    return { ...pre, id: str('model.id', pre.id), kind: kind as 'dojo' | 'chunking' };
  }
  const o = checkKeys('model', v, PROMPTING_KEYS, ['id', 'subtensor', 'metagraph']);
  if (o.validator !== undefined && !isObj(o.validator)) throw new LabConfigError('model.validator: expected a mapping');
  const m: ModelSection = {
    id: str('model.id', o.id),
    kind: 'prompting',
    dendrite_pool: component('model.dendrite_pool', o.dendrite_pool, 'DummyDendritePool'),
    gating_model: component('model.gating_model', o.gating_model, 'ConstantGatingModel'),
    reward_model: component('model.reward_model', o.reward_model, 'ConstantRewardModel'),
    subtensor: component('model.subtensor', o.subtensor),
    metagraph: component('model.metagraph', o.metagraph),
    alpha: o.alpha === undefined ? 0.01 : num('model.alpha', o.alpha),
    validator: (o.validator as Obj | undefined) ?? {},
  };
  if ((m.alpha as number) < 0 || (m.alpha as number) > 1) throw new LabConfigError('model.alpha: must be in [0, 1]');
  return m;
}

function resolveData(v: unknown): DataSection {
  const o = checkKeys('data', v, ['id', 'path', 'schema', 'sample'], ['id', 'path']);
  const d: DataSection = { id: str('data.id', o.id), path: str('data.path', o.path), schema: null, sample: null };
  if (o.schema !== undefined && o.schema !== null) {
    const s = checkKeys('data.schema', o.schema, ['question', 'answer']);
    d.schema = {
      question: s.question === undefined ? 'question' : str('data.schema.question', s.question),
      answer: s.answer === undefined ? 'answer' : str('data.schema.answer', s.answer),
    };
  }
  if (o.sample !== undefined && o.sample !== null) {
    const s = checkKeys('data.sample', o.sample, ['method', 'n', 'seed'], ['method', 'n']);
    if (s.method !== 'first' && s.method !== 'random') throw new LabConfigError('data.sample.method: first or random');
    d.sample = {
      method: s.method,
      n: num('data.sample.n', s.n, { int: true, min: 0 }),
      seed: s.seed === undefined ? 42 : num('data.sample.seed', s.seed, { int: true }),
    };
  }
  return d;
}

function resolveQuery(v: unknown, kind: string): QuerySection {
  const o = checkKeys(
    'query',
    v,
    ['id', 'requires', 'chunk_size', 'save_interval', 'method', 'ignore_attr', 'message', 'tokenizer'],
    ['id', 'method'],
  );
  if (o.message !== undefined || o.tokenizer !== undefined) {
    process.emitWarning('query.message / query.tokenizer are accepted for compatibility and ignored (lab.md §4.4)');
  }
  const m = checkKeys('query.method', o.method, ['name', 'args'], ['name']);
  const name = str('query.method.name', m.name);
  const allowed = kind === 'prompting' ? ['train', 'forward', 'inference'] : ['rounds'];
  if (!allowed.includes(name))
    throw new LabConfigError(`query.method.name: "${name}" is not allowed for kind ${kind} (${allowed.join(', ')})`);
  if (m.args !== undefined && !isObj(m.args)) throw new LabConfigError('query.method.args: expected a mapping');
  const args = { ...(name === 'rounds' ? {} : { max_iter: 1 }), ...((m.args as Obj | undefined) ?? {}) };
  if (name !== 'rounds') {
    checkKeys('query.method.args', args, ['max_iter']);
    num('query.method.args.max_iter', args.max_iter, { int: true, min: 0 });
  }
  return {
    id: str('query.id', o.id),
    requires: strList('query.requires', o.requires),
    chunk_size: o.chunk_size === undefined ? 1 : num('query.chunk_size', o.chunk_size, { int: true, min: 1 }),
    save_interval:
      o.save_interval === undefined ? 100 : num('query.save_interval', o.save_interval, { int: true, min: 1 }),
    method: { name: name as QuerySection['method']['name'], args },
    ignore_attr: strList('query.ignore_attr', o.ignore_attr),
  };
}

export const FEATURE_NAMES = [
  'question_length',
  'sentence_length',
  'num_words',
  'avg_word_length',
  'median_word_length',
  'first_word',
  'reward_num_tokens',
  'embeddings',
  'embedding',
];

function resolveAnalysis(v: unknown, kind: string | undefined): AnalysisSection {
  const o = checkKeys(
    'analysis',
    v,
    [
      'id',
      'requires',
      'create_features',
      'plot',
      'embedding_plot',
      'embedding',
      'pca',
      'estimators',
      'predict',
      'strategy_report',
      'reward_tokenizer',
    ],
    ['id'],
  );
  const a: AnalysisSection = {
    id: str('analysis.id', o.id),
    requires: strList('analysis.requires', o.requires),
    create_features: null,
    plot: null,
    embedding_plot: null,
    embedding: { embedder: 'deterministic', model_path: null, dim: 64, method: 'umap' },
    pca: null,
    estimators: null,
    predict: null,
    strategy_report:
      o.strategy_report === undefined
        ? kind === 'dojo' || kind === 'chunking'
          ? true
          : null
        : Boolean(o.strategy_report),
    reward_tokenizer:
      o.reward_tokenizer === undefined ? 'EleutherAI/gpt-j-6b' : str('analysis.reward_tokenizer', o.reward_tokenizer),
  };
  const checkFeatures = (p: string, l: unknown) => {
    for (const f of strList(p, l))
      if (!FEATURE_NAMES.includes(f))
        throw new LabConfigError(`${p}: unknown feature "${f}". Allowed: ${FEATURE_NAMES.join(', ')}`);
    return l as string[];
  };
  if (o.create_features !== undefined && o.create_features !== null) {
    if (Array.isArray(o.create_features))
      a.create_features = checkFeatures('analysis.create_features', o.create_features);
    else {
      const cf = checkKeys('analysis.create_features', o.create_features, Object.keys(o.create_features as Obj));
      a.create_features = Object.fromEntries(
        Object.entries(cf).map(([k, l]) => [k, checkFeatures(`analysis.create_features.${k}`, l)]),
      );
    }
  }
  if (o.plot !== undefined && o.plot !== null) {
    const p = checkKeys('analysis.plot', o.plot, Object.keys(o.plot as Obj));
    a.plot = Object.fromEntries(Object.entries(p).map(([k, l]) => [k, strList(`analysis.plot.${k}`, l)]));
  }
  if (o.embedding_plot !== undefined && o.embedding_plot !== null) {
    const e = checkKeys('analysis.embedding_plot', o.embedding_plot, ['scaler', 'columns']);
    a.embedding_plot = {
      scaler: e.scaler === undefined ? 'MinMax' : str('analysis.embedding_plot.scaler', e.scaler),
      columns: strList('analysis.embedding_plot.columns', e.columns),
    };
  }
  if (o.embedding !== undefined) {
    const e = checkKeys('analysis.embedding', o.embedding, ['embedder', 'model_path', 'dim', 'method']);
    if (e.embedder !== undefined && e.embedder !== 'deterministic' && e.embedder !== 'local')
      throw new LabConfigError('analysis.embedding.embedder: deterministic or local');
    if (e.method !== undefined && e.method !== 'umap' && e.method !== 'pca')
      throw new LabConfigError('analysis.embedding.method: umap or pca');
    a.embedding = {
      embedder: (e.embedder as 'deterministic' | 'local' | undefined) ?? 'deterministic',
      model_path: e.model_path === undefined ? null : str('analysis.embedding.model_path', e.model_path),
      dim: e.dim === undefined ? 64 : num('analysis.embedding.dim', e.dim, { int: true, min: 2 }),
      method: (e.method as 'umap' | 'pca' | undefined) ?? 'umap',
    };
  }
  if (o.pca !== undefined && o.pca !== null) {
    const p = checkKeys('analysis.pca', o.pca, ['n_components', 'threshold']);
    a.pca = {};
    if (p.n_components !== undefined) a.pca.n_components = num('analysis.pca.n_components', p.n_components);
    if (p.threshold !== undefined) a.pca.threshold = num('analysis.pca.threshold', p.threshold);
  }
  if (o.estimators !== undefined && o.estimators !== null) {
    const e = checkKeys('analysis.estimators', o.estimators, Object.keys(o.estimators as Obj));
    a.estimators = {};
    for (const [alias, ref] of Object.entries(e)) {
      const c = component(`analysis.estimators.${alias}`, ref) as ComponentRef;
      if (c.name !== 'GradientBoostingRegressor')
        throw new LabConfigError(
          `analysis.estimators.${alias}: unknown estimator "${c.name}". Allowed: GradientBoostingRegressor`,
        );
      a.estimators[alias] = c;
    }
  }
  if (o.predict !== undefined && o.predict !== null) {
    const p = checkKeys('analysis.predict', o.predict, Object.keys(o.predict as Obj));
    a.predict = {};
    for (const [target, spec] of Object.entries(p)) {
      const s = checkKeys(`analysis.predict.${target}`, spec, ['x', 'estimator'], ['x', 'estimator']);
      const est = str(`analysis.predict.${target}.estimator`, s.estimator);
      if (!a.estimators?.[est])
        throw new LabConfigError(`analysis.predict.${target}.estimator: "${est}" is not in analysis.estimators`);
      a.predict[target] = { x: str(`analysis.predict.${target}.x`, s.x), estimator: est };
    }
  }
  return a;
}

/**
 * Reads and validates a YAML experiment file.
 * @param path - the YAML file.
 * @returns raw text, parsed raw object and the resolved config.
 * @throws {LabConfigError} when the file cannot be read or parsed or does not validate.
 */
export function loadConfig(path: string): { text: string; raw: unknown; config: LabConfig } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new LabConfigError(`cannot read config ${path}`, { cause });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw new LabConfigError(`config ${path} is not valid YAML`, { cause });
  }
  return { text, raw, config: resolveConfig(raw, dirname(resolve(path))) };
}

/** Resolves a path relative to the config folder. */
export function fromBase(config: LabConfig, p: string): string {
  return isAbsolute(p) ? p : resolve(config.baseDir, p);
}

/**
 * Applies `--set key=value` style overrides (dotted keys) to a raw config before validation.
 * @param raw - parsed YAML (mutated copy returned).
 * @param dotted - dotted key → value.
 * @returns the overridden copy.
 */
export function applyOverrides(raw: unknown, dotted: Record<string, unknown>): unknown {
  const copy = structuredClone(raw) as Obj;
  for (const [key, value] of Object.entries(dotted)) {
    const parts = key.split('.');
    let cur: Obj = copy;
    for (const p of parts.slice(0, -1)) {
      if (!isObj(cur[p])) cur[p] = {};
      cur = cur[p] as Obj;
    }
    cur[parts[parts.length - 1] as string] = value;
  }
  return copy;
}
