/**
 * `sync()` (dojo.md §8.1 step 5, chunking.md §10): registration check; when `block − last_update[own uid] >
 * epoch_length`, resync the metagraph (scores carried over by hotkey, replaced hotkeys reset) and, after step 0,
 * set weights from both mechanisms.
 */
import { type Chain, type ChainSigner, NotRegisteredError, type TxResult } from '@dojo-ts/chain';
import type { WeightRule } from '@dojo-ts/scoring';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type NeuronView, viewOfMetagraph } from './neuron-view.js';
import { combinedWeights, setWeights, weightsDue } from './set-weights.js';
import type { StoreKeys } from './store/keys.js';
import { getChunkScores, getRankingState, resyncChunkScores, resyncRankingScores } from './store/state-store.js';

/** Dependencies of {@link refreshView} and {@link sync}. */
export interface SyncDeps {
  chain: Chain;
  netuid: number;
  redis: Redis;
  keys: StoreKeys;
  log: Logger;
  ownHotkey: string;
  getView: () => NeuronView;
  setView: (v: NeuronView) => void;
  /** `--neuron.epoch_length`. */
  epochLength: number;
  /** Absent in processes that never set weights (worker role, `--neuron.disable_set_weights`). */
  weights?: {
    signer: ChainSigner;
    rankingShare: number;
    chunkingShare: number;
    rule: WeightRule;
    versionKey: number;
    onResult?: (res: TxResult | null) => void;
  };
}

/**
 * Reads the metagraph, checks registration, resyncs both score vectors, and swaps the view.
 * @returns the new view
 * @throws NotRegisteredError when the validator's hotkey is not registered on the subnet
 */
export async function refreshView(deps: SyncDeps): Promise<NeuronView> {
  const view = viewOfMetagraph(await deps.chain.metagraph(deps.netuid));
  if (!view.uidOf.has(deps.ownHotkey)) {
    throw new NotRegisteredError(`validator hotkey ${deps.ownHotkey} is not registered on netuid ${deps.netuid}`);
  }
  const before = deps.getView();
  const changedRanking = await resyncRankingScores(deps.redis, deps.keys, view.hotkeys);
  const changedChunking = await resyncChunkScores(deps.redis, deps.keys, view.hotkeys);
  deps.setView(view);
  if (before.n !== view.n || changedRanking > 0 || changedChunking > 0) {
    deps.log.info({ n: view.n, block: view.block, changedRanking, changedChunking }, 'metagraph resynced');
  }
  return view;
}

/**
 * One `sync()`.
 * @param step - loop step (weights are never set at step 0)
 * @returns whether the metagraph was resynced and the weight result (null when none was emitted)
 */
export async function sync(deps: SyncDeps, step: number): Promise<{ resynced: boolean; weights: TxResult | null }> {
  const block = await deps.chain.currentBlock();
  const view = deps.getView();
  const uid = view.uidOf.get(deps.ownHotkey);
  const last = uid === undefined ? 0 : (view.lastUpdate[uid] ?? 0);
  if (uid !== undefined && block - last <= deps.epochLength) return { resynced: false, weights: null };
  const fresh = await refreshView(deps);
  const ownUid = fresh.uidOf.get(deps.ownHotkey) as number;
  const w = deps.weights;
  if (!w || !weightsDue(block, fresh.lastUpdate[ownUid] ?? 0, deps.epochLength, step)) {
    return { resynced: true, weights: null };
  }
  const ranking = await getRankingState(deps.redis, deps.keys);
  const chunk = await getChunkScores(deps.redis, deps.keys, fresh.n);
  const weights = combinedWeights(ranking.scores, chunk, {
    rankingShare: w.rankingShare,
    chunkingShare: w.chunkingShare,
    rule: w.rule,
  });
  const res = await setWeights(deps.chain, w.signer, deps.netuid, weights, w.versionKey, deps.log);
  w.onResult?.(res);
  return { resynced: true, weights: res };
}
