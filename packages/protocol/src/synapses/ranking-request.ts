import { type Static, Type } from '@sinclair/typebox';
import { defineSynapse } from '../define-synapse.js';
import { py } from '../py-type.js';
import type { SynapseDefinition } from '../synapse.js';
import {
  CompletionPy,
  CompletionSchema,
  ModelConfigPy,
  ModelConfigSchema,
  RankPy,
  RankSchema,
  ScoringMethodSchema,
} from './models.js';

/**
 * `/RankingRequest`, validator → miner; the miner returns it filled (dojo.md §3.3). Hash fields `request_id`,
 * `prompt`, `completions` (W6). A Python axon without `bt_header_input_obj_*` for `prompt`, `n_completions` and
 * `completions` fails header validation with HTTP 500.
 */
export const RankingRequestSchema = Type.Object({
  /** Validator, at creation (unix seconds, float). Immutable; drives miner priority and the deadline. */
  epoch_timestamp: Type.Number(),
  /** Validator: uuid4 by default. Immutable. Hashed. */
  request_id: Type.String(),
  /** Validator: the prompt. Required, immutable. Hashed. */
  prompt: Type.String(),
  /** Validator: `completions.length`. Required, immutable. */
  n_completions: Type.Integer(),
  /** Validator: the completions to rank. Required, immutable. Hashed. */
  completions: Type.Array(CompletionSchema),
  /** Miner: one entry per scored cid. Default `[]`. */
  ranks: Type.Array(RankSchema, { default: [] }),
  /** Miner: how it scored. Default null. */
  scoring_method: Type.Union([ScoringMethodSchema, Type.Null()], { default: null }),
  /** Miner: the model it scored with (HF: `{model_name}`; LLM: `{provider, model_name}`). Default null. */
  model_config: Type.Union([ModelConfigSchema, Type.Null()], { default: null }),
  /** Miner (aws_mturk): the HIT it created. Default null. */
  mturk_hit_id: Type.Union([Type.String(), Type.Null()], { default: null }),
  /** Validator: `text` (the only modality used). */
  modality: Type.Union([Type.Literal('text'), Type.Literal('image')], { default: 'text' }),
});
export type RankingRequest = Static<typeof RankingRequestSchema>;

export const RankingRequestDef: SynapseDefinition<RankingRequest> = defineSynapse<RankingRequest>({
  name: 'RankingRequest',
  schema: RankingRequestSchema,
  fieldTypes: {
    epoch_timestamp: py.float,
    request_id: py.str,
    prompt: py.str,
    n_completions: py.int,
    completions: py.list(CompletionPy),
    ranks: py.list(RankPy),
    scoring_method: py.optional(py.literal('hf_model', 'llm_api', 'aws_mturk')),
    model_config: py.optional(ModelConfigPy),
    mturk_hit_id: py.optional(py.str),
    modality: py.literal('text', 'image'),
  },
  fieldDefaults: {
    epoch_timestamp: () => Date.now() / 1000,
    request_id: () => globalThis.crypto.randomUUID(),
    ranks: () => [],
    scoring_method: () => null,
    model_config: () => null,
    mturk_hit_id: () => null,
    modality: () => 'text',
  },
  requiredHashFields: ['request_id', 'prompt', 'completions'],
  defaultTimeoutS: 30,
});
