import { type Static, Type } from '@sinclair/typebox';
import { defineSynapse } from '../define-synapse.js';
import { py } from '../py-type.js';
import type { SynapseDefinition } from '../synapse.js';

/** `/RankingResult`, validator → each participant after scoring (dojo.md §3.4). All fields required and hashed. */
export const RankingResultSchema = Type.Object({
  /** Validator: the scored request's id. */
  request_id: Type.String(),
  /** Validator: consensus score per cid on the normalised [0,1] scale. Hashed in received key order. */
  cid_to_consensus: Type.Record(Type.String(), Type.Number()),
  /** Validator: one entry, the receiving miner's own per-request score (D15). Hashed in received key order. */
  hotkey_to_score: Type.Record(Type.String(), Type.Number()),
});
export type RankingResult = Static<typeof RankingResultSchema>;

export const RankingResultDef: SynapseDefinition<RankingResult> = defineSynapse<RankingResult>({
  name: 'RankingResult',
  schema: RankingResultSchema,
  fieldTypes: {
    request_id: py.str,
    cid_to_consensus: py.dict(py.str, py.float),
    hotkey_to_score: py.dict(py.str, py.float),
  },
  requiredHashFields: ['request_id', 'cid_to_consensus', 'hotkey_to_score'],
  defaultTimeoutS: 12,
});
