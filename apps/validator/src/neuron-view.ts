/**
 * The validator's snapshot of the metagraph: what the loop, the handlers and the weight setter need, as plain data.
 * Rebuilt on every resync (sync.ts) and swapped atomically, so handlers always read one consistent snapshot.
 */
import type { Metagraph } from '@dojo-ts/chain';

/** One uid's axon. */
export interface AxonView {
  ip: string;
  port: number;
  hotkey: string;
}

/** Plain snapshot of a metagraph. */
export interface NeuronView {
  netuid: number;
  block: number;
  n: number;
  hotkeys: string[];
  /** Total stake per uid in TAO. */
  stakes: number[];
  axons: AxonView[];
  lastUpdate: number[];
  /** uid of each hotkey. */
  uidOf: ReadonlyMap<string, number>;
}

/**
 * Builds a view from a chain metagraph.
 * @param mg - metagraph from `chain.metagraph(netuid)`
 */
export function viewOfMetagraph(mg: Metagraph): NeuronView {
  const uidOf = new Map<string, number>();
  mg.hotkeys.forEach((h, uid) => {
    if (!uidOf.has(h)) uidOf.set(h, uid);
  });
  return {
    netuid: mg.netuid,
    block: mg.block,
    n: mg.n,
    hotkeys: [...mg.hotkeys],
    stakes: [...mg.S],
    axons: mg.axons.map((a, uid) => ({ ip: a.ip, port: a.port, hotkey: mg.hotkeys[uid] ?? a.hotkey })),
    lastUpdate: [...mg.lastUpdate],
    uidOf,
  };
}

/** An empty view (before the first sync). */
export function emptyView(netuid: number): NeuronView {
  return { netuid, block: 0, n: 0, hotkeys: [], stakes: [], axons: [], lastUpdate: [], uidOf: new Map() };
}

/** `isMiner(uid) ⇔ S[uid] < threshold` (dojo.md §4.4). */
export function isMiner(view: NeuronView, uid: number, stakeThresholdTao: number): boolean {
  return (view.stakes[uid] ?? 0) < stakeThresholdTao;
}

/** `isServing(uid) ⇔ ip ≠ 0.0.0.0` (chain.md §5.4). */
export function isServing(view: NeuronView, uid: number): boolean {
  const ip = view.axons[uid]?.ip;
  return ip !== undefined && ip !== '0.0.0.0' && ip !== '' && (view.axons[uid]?.port ?? 0) > 0;
}
