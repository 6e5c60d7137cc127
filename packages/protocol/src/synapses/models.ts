import { type Static, Type } from '@sinclair/typebox';
import { py } from '../py-type.js';

const uuid4 = (): string => globalThis.crypto.randomUUID();

/** How a miner scored the completions (dojo.md §3.1). */
export const ScoringMethodSchema = Type.Union([
  Type.Literal('hf_model'),
  Type.Literal('llm_api'),
  Type.Literal('aws_mturk'),
]);
export type ScoringMethod = Static<typeof ScoringMethodSchema>;
/** Every scoring method, in declaration order. */
export const SCORING_METHODS: readonly ScoringMethod[] = ['hf_model', 'llm_api', 'aws_mturk'];

/** LLM provider of an `llm_api` miner. */
export const ProviderSchema = Type.Union([Type.Literal('togetherai'), Type.Literal('openai')]);
export type Provider = Static<typeof ProviderSchema>;

/** Modality of a request; only `text` is used. */
export const ModalitySchema = Type.Union([Type.Literal('text'), Type.Literal('image')]);
export type Modality = Static<typeof ModalitySchema>;

/** One completion to rank. Immutable once the validator created it. */
export const CompletionSchema = Type.Object({
  /** Set by the validator: a uuid4 (defaulted when absent). */
  cid: Type.String(),
  /** Set by the validator: the completion text. Required. */
  text: Type.String(),
});
export type Completion = Static<typeof CompletionSchema>;
export const CompletionPy = py.model(
  'Completion',
  [
    ['cid', py.str],
    ['text', py.str],
  ],
  { cid: uuid4 },
);

/** A miner's score for one completion. Unknown extra keys are ignored. */
export const RankSchema = Type.Object({
  /** Set by the miner: the scored completion's cid. Required. */
  cid: Type.String(),
  /** Set by the miner: the score (hf_model/llm_api in [0,1], aws_mturk 1..10). Default 0.0. */
  score: Type.Number({ default: 0 }),
});
export type Rank = Static<typeof RankSchema>;
export const RankPy = py.model(
  'Rank',
  [
    ['cid', py.str],
    ['score', py.float],
  ],
  { score: () => 0 },
);

/** The model a miner declares it scored with. */
export const ModelConfigSchema = Type.Object({
  /** Set by an llm_api miner; null for hf_model. */
  provider: Type.Union([ProviderSchema, Type.Null()], { default: null }),
  /** Set by the miner: an HF repo id or an LLM model id. Required. */
  model_name: Type.String(),
});
export type ModelConfig = Static<typeof ModelConfigSchema>;
export const ModelConfigPy = py.model(
  'ModelConfig',
  [
    ['provider', py.optional(py.literal('togetherai', 'openai'))],
    ['model_name', py.str],
  ],
  { provider: () => null },
);

/** Temporary STS credentials an aws_mturk miner hands the validator (ListAssignmentsForHIT, GetHIT). */
export const AWSCredentialsSchema = Type.Object({
  access_key_id: Type.String(),
  secret_access_key: Type.String(),
  session_token: Type.String(),
  /** ISO 8601 datetime string. */
  access_expiration: Type.String(),
  environment: Type.Union([Type.Literal('sandbox'), Type.Literal('production')]),
});
export type AWSCredentials = Static<typeof AWSCredentialsSchema>;
export const AWSCredentialsPy = py.model('AWSCredentials', [
  ['access_key_id', py.str],
  ['secret_access_key', py.str],
  ['session_token', py.str],
  // A Python `datetime`; carried as its ISO 8601 string (it is never hashed).
  ['access_expiration', py.str],
  ['environment', py.literal('sandbox', 'production')],
]);
