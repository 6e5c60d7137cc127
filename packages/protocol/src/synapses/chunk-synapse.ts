import { type Static, Type } from '@sinclair/typebox';
import { defineSynapse } from '../define-synapse.js';
import { py } from '../py-type.js';
import type { SynapseDefinition } from '../synapse.js';

/**
 * `/chunkSynapse`, validator → miner (chunking.md §2). The dendrite overwrites every local field with the miner's
 * reply, so the validator reads only `chunks`, `miner_signature` and `dendrite.process_time` from a response (K2).
 */
export const ChunkSynapseSchema = Type.Object({
  /** Validator: plain text to split. Required. Hashed. */
  document: Type.String(),
  /** Validator: soft maximum characters per chunk. Default null. Hashed. */
  chunk_size: Type.Union([Type.Integer(), Type.Null()], { default: null }),
  /** Validator: seconds after which the time penalty applies (informational). Default null. */
  time_soft_max: Type.Union([Type.Number(), Type.Null()], { default: null }),
  /** Validator (reward v1.1 only): soft maximum number of chunks. Default null. */
  chunk_qty: Type.Union([Type.Integer(), Type.Null()], { default: null }),
  /** Miner: the chunks, in order. Default null. */
  chunks: Type.Union([Type.Array(Type.String()), Type.Null()], { default: null }),
  /** Miner: sr25519 signature by the miner hotkey (chunking.md §12.2). Default null. */
  miner_signature: Type.Union([Type.String(), Type.Null()], { default: null }),
});
export type ChunkSynapse = Static<typeof ChunkSynapseSchema>;

export const ChunkSynapseDef: SynapseDefinition<ChunkSynapse> = defineSynapse<ChunkSynapse>({
  name: 'chunkSynapse',
  schema: ChunkSynapseSchema,
  fieldTypes: {
    document: py.str,
    chunk_size: py.optional(py.int),
    time_soft_max: py.optional(py.float),
    chunk_qty: py.optional(py.int),
    chunks: py.optional(py.list(py.str)),
    miner_signature: py.optional(py.str),
  },
  fieldDefaults: {
    chunk_size: () => null,
    time_soft_max: () => null,
    chunk_qty: () => null,
    chunks: () => null,
    miner_signature: () => null,
  },
  requiredHashFields: ['document', 'chunk_size'],
  defaultTimeoutS: 12,
});
