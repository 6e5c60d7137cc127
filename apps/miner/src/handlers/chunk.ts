import type { Signer } from '@dojo-ts/neuron';
import type { ChunkSynapse, Synapse } from '@dojo-ts/protocol';
import { chunkDocument } from '../chunking/chunk-document.js';
import { minerSignature } from '../chunking/miner-signature.js';
import type { MinerMetrics } from '../metrics.js';
import type { Log } from './human-feedback.js';

/**
 * Builds the `chunkSynapse` forward: the default greedy sentence chunker plus `miner_signature` (chunking.md §12).
 *
 * @param deps - the miner hotkey, logger, metrics.
 * @returns the forward hook for `ChunkSynapseDef`.
 */
export function createChunkForward(deps: {
  signer: Signer;
  log: Log;
  metrics: MinerMetrics;
}): (s: Synapse<ChunkSynapse>) => Synapse<ChunkSynapse> {
  return (synapse) => {
    try {
      const chunks = chunkDocument(synapse.document, synapse.chunk_size);
      const miner_signature = minerSignature(deps.signer, {
        document: synapse.document,
        chunk_size: synapse.chunk_size,
        chunk_qty: synapse.chunk_qty,
        chunks,
      });
      deps.metrics.requests.inc({ synapse: 'chunkSynapse', outcome: 'ok' });
      return { ...synapse, chunks, miner_signature };
    } catch (err) {
      deps.log.error({ reason: (err as Error).message }, 'chunking failed');
      deps.metrics.requests.inc({ synapse: 'chunkSynapse', outcome: 'failed' });
      return {
        ...synapse,
        axon: { ...synapse.axon, status_code: 500, status_message: `Chunking failed: ${(err as Error).message}` },
      };
    }
  };
}
