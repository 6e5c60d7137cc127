/**
 * One chunking round (chunking.md §11.1): tournament groups over the rankings, a random group gets a `chunkSynapse`
 * with the validator's own task fields (K2), rewards through the configured embedder, local → global ranks, moving
 * average of rank (lower is better). A validator-side embedder failure aborts the round without any score change.
 */
import type { AxonTarget } from '@dojo-ts/neuron';
import { type ChunkSynapse, ChunkSynapseDef, type Synapse } from '@dojo-ts/protocol';
import {
  buildRankings,
  type ChunkResponse,
  defaultChunkQty,
  type Embedder,
  getRewards,
  globalRanks,
  pickGroup,
  type RewardVariant,
  type Rng,
  rankResponses,
  tournamentGroups,
  updateRankScores,
} from '@dojo-ts/scoring';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DocumentSource } from './datasets/corpus.js';
import { ChunkRoundAbortedError } from './errors.js';
import type { QueryClient } from './forward.js';
import { isServing, type NeuronView } from './neuron-view.js';
import type { StoreKeys } from './store/keys.js';
import { getChunkScores, setChunkScores } from './store/state-store.js';

/** Dependencies and options of {@link runChunkRound}. */
export interface ChunkRoundDeps {
  redis: Redis;
  keys: StoreKeys;
  log: Logger;
  dendrite: QueryClient;
  view: () => NeuronView;
  ownHotkey: string;
  documents: DocumentSource;
  embedder: Embedder;
  rng: Rng;
  /** `--chunking.group_size` (25). */
  groupSize: number;
  /** `--chunking.moving_average_alpha` (0.15). */
  alpha: number;
  variant: RewardVariant;
  numEmbeddings: number;
  /** `--task.chunk_size` (4096). */
  chunkSize: number;
  /** `--task.time_soft_max` (5). */
  timeSoftMax: number;
  /** `--task.timeout` (12). */
  timeoutS: number;
  /** True for embedder errors caused by the miner's input (HTTP 400); such a response gets 0. */
  isMinerFault?: (err: unknown) => boolean;
}

/** What a round did. */
export interface ChunkRoundResult {
  documentId: string;
  offset: number;
  uids: number[];
  rewards: number[];
  globalRanks: number[];
}

/**
 * Runs one chunking round.
 * @returns the group, rewards and global ranks, or null when there is no miner
 * @throws ChunkRoundAbortedError on a validator-side embedder failure (no score changed)
 */
export async function runChunkRound(deps: ChunkRoundDeps): Promise<ChunkRoundResult | null> {
  const view = deps.view();
  const ownUid = view.uidOf.get(deps.ownHotkey);
  const scores = await getChunkScores(deps.redis, deps.keys, view.n);
  const rankings = buildRankings(scores).filter((uid) => uid !== ownUid);
  if (rankings.length === 0) return null;
  const groups = tournamentGroups(rankings, deps.groupSize);
  const group = groups[pickGroup(groups, deps.rng)];
  if (!group) return null;
  const doc = await deps.documents.next((n) => Math.floor(deps.rng.next() * n));
  const chunkQty = deps.variant === 'v1.1' ? defaultChunkQty(doc.text, deps.chunkSize) : null;
  const task = { document: doc.text, chunk_size: deps.chunkSize, time_soft_max: deps.timeSoftMax, chunk_qty: chunkQty };
  const synapse = ChunkSynapseDef.create({ ...task, timeout: deps.timeoutS });
  const serving = group.uids.filter((uid) => isServing(view, uid));
  const replies = await deps.dendrite.query(
    serving.map((uid) => view.axons[uid] as AxonTarget),
    synapse,
    { timeoutS: deps.timeoutS, def: ChunkSynapseDef },
  );
  const byUid = new Map<number, Synapse<ChunkSynapse>>();
  for (const [i, uid] of serving.entries()) byUid.set(uid, replies[i] as Synapse<ChunkSynapse>);
  // Only chunks and the dendrite's own timing are read from a reply (K2).
  const responses: ChunkResponse[] = group.uids.map((uid) => {
    const r = byUid.get(uid);
    const ok = r?.dendrite.status_code === 200 && Array.isArray(r.chunks);
    return { chunks: ok ? r.chunks : null, processTimeS: ok ? (r.dendrite.process_time ?? null) : null };
  });
  let rewards: number[];
  try {
    rewards = await getRewards(task, responses, deps.embedder, deps.rng, {
      variant: deps.variant,
      numEmbeddings: deps.numEmbeddings,
      ...(deps.isMinerFault ? { isMinerFault: deps.isMinerFault } : {}),
    });
  } catch (err) {
    throw new ChunkRoundAbortedError('embedder failed; round aborted without score updates', { cause: err });
  }
  const global = globalRanks(rankResponses(rewards), group.offset);
  const next = updateRankScores(scores, group.uids, global, deps.alpha);
  await setChunkScores(
    deps.redis,
    deps.keys,
    group.uids.map((uid) => ({ uid, score: next[uid] as number })),
  );
  deps.log.info(
    {
      document: doc.id,
      offset: group.offset,
      group: group.uids.length,
      succeeded: rewards.filter((r) => r > 0).length,
    },
    'chunking round scored',
  );
  return { documentId: doc.id, offset: group.offset, uids: group.uids, rewards, globalRanks: global };
}
