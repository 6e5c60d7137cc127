import type { SynapseDefinition } from './synapse.js';
import { ChunkSynapseDef } from './synapses/chunk-synapse.js';
import { MTurkResponseDef } from './synapses/mturk-response.js';
import { RankingRequestDef } from './synapses/ranking-request.js';
import { RankingResultDef } from './synapses/ranking-result.js';
import { SynapseDef } from './synapses/synapse.js';

/** Every Dojo TS synapse by route name (wire.md §15). */
export const synapseRegistry: ReadonlyMap<string, SynapseDefinition> = new Map<string, SynapseDefinition>(
  [SynapseDef, RankingRequestDef, RankingResultDef, MTurkResponseDef, ChunkSynapseDef].map(
    (d) => [d.name, d as unknown as SynapseDefinition] as const,
  ),
);

/**
 * Looks up a registered synapse definition by route name (case-sensitive, like the URL path).
 *
 * @param name - Route name, e.g. `RankingRequest`.
 * @returns The definition, or `undefined`.
 * @example getSynapseDefinition('chunkSynapse')?.requiredHashFields // => ['document', 'chunk_size']
 */
export function getSynapseDefinition(name: string): SynapseDefinition | undefined {
  return synapseRegistry.get(name);
}
