import { type Static, Type } from '@sinclair/typebox';
import { defineSynapse } from '../define-synapse.js';
import { py } from '../py-type.js';
import type { SynapseDefinition } from '../synapse.js';
import { AWSCredentialsPy, AWSCredentialsSchema } from './models.js';

/** `/MTurkResponse`, miner → the validator that sent the request (dojo.md §3.5). */
export const MTurkResponseSchema = Type.Object({
  /** Miner: the request the human feedback belongs to. Required (D11). Hashed. */
  request_id: Type.String(),
  /** Miner: the HIT the workers answered. Required. Hashed. */
  mturk_hit_id: Type.String(),
  /** Miner: temporary STS credentials for ListAssignmentsForHIT and GetHIT. Default null. */
  aws_credentials: Type.Union([AWSCredentialsSchema, Type.Null()], { default: null }),
  /** Miner: mean worker score per cid on the 1–10 scale. Required. Hashed in received key order. */
  completion_id_to_score: Type.Record(Type.String(), Type.Number()),
  /** Miner: always `aws_mturk`. */
  scoring_method: Type.Literal('aws_mturk', { default: 'aws_mturk' }),
});
export type MTurkResponse = Static<typeof MTurkResponseSchema>;

export const MTurkResponseDef: SynapseDefinition<MTurkResponse> = defineSynapse<MTurkResponse>({
  name: 'MTurkResponse',
  schema: MTurkResponseSchema,
  fieldTypes: {
    request_id: py.str,
    mturk_hit_id: py.str,
    aws_credentials: py.optional(AWSCredentialsPy),
    completion_id_to_score: py.dict(py.str, py.float),
    scoring_method: py.literal('aws_mturk'),
  },
  fieldDefaults: { aws_credentials: () => null, scoring_method: () => 'aws_mturk' },
  requiredHashFields: ['request_id', 'mturk_hit_id', 'completion_id_to_score'],
  defaultTimeoutS: 60,
});
