import { type ArgSpec, REQUIRED, resolveArgs } from '../components/args.js';
import { DummyMetagraph, DummySubtensor } from '../components/chain.js';
import { DummyDendritePool } from '../components/dendrite-pool.js';
import {
  ConstantGatingModel,
  type GatingModel,
  LongestMessageGatingModel,
  MaskedGatingModel,
  RandomGatingModel,
  SequentialGatingModel,
} from '../components/gating.js';
import {
  ConstantRewardModel,
  CustomRewardModel,
  DummyRewardModel,
  HuggingFaceRewardModel,
  type LabRewardModel,
  RandomRewardModel,
} from '../components/reward.js';
import { loadTokenizer } from '../components/tokenizer.js';
import { HuggingFaceGatingModel, transformerSizes } from '../components/transformer-gating.js';
import { type ComponentRef, fromBase, type LabConfig, type ModelSection } from '../config.js';
import { LabConfigError } from '../errors.js';
import type { Stream } from '../rng.js';
import { Neuron, VALIDATOR_DEFAULTS, type ValidatorConfig } from '../validator/neuron.js';
import { loadJsonlRows } from './data.js';

/** A model or tokenizer reference: paths starting with `.` or `/` resolve against the config folder, others are hub ids. */
export function resolveModelPath(config: LabConfig, p: string): string {
  return p.startsWith('.') || p.startsWith('/') ? fromBase(config, p) : p;
}

/** Declared args per component name (lab.md §5). */
export const COMPONENT_ARGS: Record<string, Record<string, ArgSpec>> = {
  subtensor: {
    DummySubtensor: { network: 'lab', block: 1, epoch_length: 100, blocks_per_forward: 1, delegated: undefined },
  },
  metagraph: { DummyMetagraph: { netuid: 1, network: 'finney', lite: true, sync: true, num_nodes: 16 } },
  dendrite_pool: {
    DummyDendritePool: {
      data_path: REQUIRED,
      fail_rate: 0.1,
      fitness: 0,
      baseline_fail_rate: 0,
      baseline_fitness: 0,
      latency_s: 0,
    },
  },
  gating_model: {
    ConstantGatingModel: { value: 1 },
    RandomGatingModel: { frozen: false, seed: 0, distribution: 'uniform', p0: 1, p1: 0 },
    LongestMessageGatingModel: { n: 10 },
    MaskedGatingModel: { base: { name: 'ConstantGatingModel' }, mask: 10, mode: undefined, fill: 0 },
    SequentialGatingModel: {
      tokenizer_name: 'bytes',
      hidden_size: 32,
      embedding_dim: 64,
      num_uids: undefined,
      seed: 0,
    },
    HuggingFaceGatingModel: {
      model_name: 'EleutherAI/gpt-neo-125m',
      tokenizer_name: undefined,
      num_uids: undefined,
      hidden_size: undefined,
      num_layers: undefined,
      num_heads: undefined,
      seed: 0,
    },
  },
  reward_model: {
    ConstantRewardModel: { forward_value: 1, backward_value: 0 },
    RandomRewardModel: {
      seed: 0,
      distribution: 'uniform',
      p0: 1,
      p1: 0,
      backward_p0: undefined,
      backward_p1: undefined,
    },
    DummyRewardModel: { reward_type: 'question_length' },
    CustomRewardModel: { model_path: REQUIRED, device: 'cpu', options: {} },
    HuggingFaceRewardModel: {
      model_path: 'Dahoas/gpt2-rm-static',
      tokenizer_path: 'EleutherAI/gpt-j-6b',
      device: 'cpu',
      head_weights: undefined,
    },
  },
};

function lookup(section: string, ref: ComponentRef): Record<string, unknown> {
  const table = COMPONENT_ARGS[section] ?? {};
  const spec = table[ref.name];
  if (!spec)
    throw new LabConfigError(
      `model.${section}: unknown name "${ref.name}". Allowed models are ${Object.keys(table).join(', ')}`,
    );
  return resolveArgs(ref.name, spec, ref.args);
}

/** What the model step produces for `kind: prompting`. */
export interface PromptingModel {
  kind: 'prompting';
  neuron: Neuron;
  validatorConfig: ValidatorConfig;
}

/** Options the runner passes to component construction. */
export interface BuildOptions {
  offline: boolean;
  stream: Stream;
}

/**
 * Builds a gating model from its reference (recursively for MaskedGatingModel).
 * @throws {LabConfigError} on an unknown name or arg.
 */
export async function buildGating(
  ref: ComponentRef,
  vc: ValidatorConfig,
  o: BuildOptions,
  config: LabConfig,
): Promise<GatingModel> {
  const a = lookup('gating_model', ref);
  switch (ref.name) {
    case 'ConstantGatingModel':
      return new ConstantGatingModel(a.value as number);
    case 'RandomGatingModel':
      return new RandomGatingModel(
        a as { frozen: boolean; seed: number; distribution: string; p0: number; p1: number },
      );
    case 'LongestMessageGatingModel':
      return new LongestMessageGatingModel(a.n as number);
    case 'MaskedGatingModel': {
      const base = a.base as { name?: string; args?: Record<string, unknown> };
      if (typeof base?.name !== 'string') throw new LabConfigError('MaskedGatingModel: base needs a name');
      const inner = await buildGating({ name: base.name, args: base.args ?? {} }, vc, o, config);
      const fill = a.fill === '-inf' || a.fill === '-Infinity' ? Number.NEGATIVE_INFINITY : (a.fill as number);
      return new MaskedGatingModel(inner, a.mask as number | number[], a.mode as string | undefined, fill, o.stream);
    }
    case 'SequentialGatingModel':
      return new SequentialGatingModel({
        tokenize: await loadTokenizer(resolveModelPath(config, a.tokenizer_name as string), o.offline),
        hidden_size: a.hidden_size as number | number[],
        embedding_dim: a.embedding_dim as number,
        learning_rate: vc.gating.learning_rate,
        momentum: vc.gating.momentum,
        seed: a.seed as number,
      });
    default: {
      const modelName = resolveModelPath(config, a.model_name as string);
      const sizes = transformerSizes(modelName, {
        hidden_size: a.hidden_size as number | undefined,
        num_layers: a.num_layers as number | undefined,
        num_heads: a.num_heads as number | undefined,
      });
      const tok = await loadTokenizer(
        resolveModelPath(config, (a.tokenizer_name as string | undefined) ?? (a.model_name as string)),
        o.offline,
      );
      return new HuggingFaceGatingModel(sizes, tok, {
        seed: a.seed as number,
        learning_rate: vc.gating.learning_rate,
        momentum: vc.gating.momentum,
      });
    }
  }
}

/**
 * Builds a reward model from its reference.
 * @throws {LabConfigError} on an unknown name or arg.
 */
export async function buildReward(ref: ComponentRef, o: BuildOptions, config: LabConfig): Promise<LabRewardModel> {
  const a = lookup('reward_model', ref);
  switch (ref.name) {
    case 'ConstantRewardModel':
      return new ConstantRewardModel(a.forward_value as number, a.backward_value as number);
    case 'RandomRewardModel':
      return new RandomRewardModel(a as { seed: number; distribution: string; p0: number; p1: number });
    case 'DummyRewardModel':
      return new DummyRewardModel(a.reward_type as string);
    case 'CustomRewardModel':
      return new CustomRewardModel(
        fromBase(config, a.model_path as string),
        a.options as Record<string, unknown>,
      ).load();
    default: {
      return new HuggingFaceRewardModel(resolveModelPath(config, a.model_path as string), o.offline).load();
    }
  }
}

/**
 * The model step for `kind: prompting`: subtensor, metagraph, pool, gating, reward, neuron (lab.md §4.2 build order).
 * @returns the neuron and the resolved validator config.
 * @throws {LabConfigError} on unknown names or args.
 */
export async function runModelStep(config: LabConfig, m: ModelSection, o: BuildOptions): Promise<PromptingModel> {
  const overrides = m.validator ?? {};
  for (const k of Object.keys(overrides)) {
    if (!(k in VALIDATOR_DEFAULTS))
      throw new LabConfigError(
        `model.validator: unknown key "${k}". Allowed keys: ${Object.keys(VALIDATOR_DEFAULTS).join(', ')}`,
      );
  }
  // Validate every name and arg before building anything.
  for (const sec of ['subtensor', 'metagraph', 'dendrite_pool', 'gating_model', 'reward_model'] as const) {
    lookup(sec, m[sec] as ComponentRef);
  }
  const vc = {
    ...structuredClone(VALIDATOR_DEFAULTS),
    ...overrides,
    device: config.device,
    wallet: 'mock',
  } as ValidatorConfig;
  const st = lookup('subtensor', m.subtensor as ComponentRef);
  if (m.subtensor?.name !== 'DummySubtensor')
    throw new LabConfigError('model.subtensor: only DummySubtensor is available in the lab runner');
  const subtensor = new DummySubtensor(st as ConstructorParameters<typeof DummySubtensor>[0]);
  const mg = lookup('metagraph', m.metagraph as ComponentRef);
  const metagraph = new DummyMetagraph({ ...(mg as object), seed: config.seed }, subtensor);
  const pa = lookup('dendrite_pool', m.dendrite_pool as ComponentRef);
  const pool = new DummyDendritePool({
    rows: loadJsonlRows(fromBase(config, pa.data_path as string)),
    fail_rate: pa.fail_rate as number,
    fitness: pa.fitness as number,
    baseline_fail_rate: pa.baseline_fail_rate as number,
    baseline_fitness: pa.baseline_fitness as number,
    latency_s: pa.latency_s as number,
    questionPrompt: vc.question_prompt,
    minCompletionLength: vc.min_completion_length,
    stream: o.stream,
  });
  const gating = await buildGating(m.gating_model as ComponentRef, vc, o, config);
  const reward = await buildReward(m.reward_model as ComponentRef, o, config);
  const { processWeightsForNetuid } = await import('@dojo-ts/chain');
  const neuron = new Neuron(
    vc,
    subtensor,
    metagraph,
    pool,
    gating,
    reward,
    m.alpha ?? 0.01,
    o.stream,
    processWeightsForNetuid,
  );
  return { kind: 'prompting', neuron, validatorConfig: vc };
}
