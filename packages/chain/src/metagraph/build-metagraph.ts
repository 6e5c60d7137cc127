import type { Metagraph, NeuronLite } from '../chain.js';

/** Optional per-uid stakes from `get_subnet_state` (rao). */
export interface SubnetStakes {
  alphaStakeRao: bigint[];
  taoStakeRao: bigint[];
  totalStakeRao: bigint[];
}

const RAO = 1e9;

/**
 * Builds a {@link Metagraph} (§5.5) from decoded neurons; both chain implementations use it.
 * @param netuid - subnet id.
 * @param block - block at which the neurons were read.
 * @param neurons - decoded neurons (any order; indexed by `uid`).
 * @param stakes - per-uid stakes from `get_subnet_state`; when absent `S` falls back to the neurons' stake entries.
 * @returns the metagraph with per-uid arrays and helpers.
 */
export function buildMetagraph(netuid: number, block: number, neurons: NeuronLite[], stakes?: SubnetStakes): Metagraph {
  const sorted = [...neurons].sort((a, b) => a.uid - b.uid);
  const n = sorted.length;
  const stakeRao = sorted.map((x, i) => stakes?.totalStakeRao[i] ?? x.stakeRao);
  const byHotkey = new Map<string, number>();
  for (const x of sorted) byHotkey.set(x.hotkey, x.uid);
  const lastUpdate = sorted.map((x) => x.lastUpdate);
  const axons = sorted.map((x) => x.axon);
  return {
    netuid,
    block,
    n,
    uids: sorted.map((x) => x.uid),
    hotkeys: sorted.map((x) => x.hotkey),
    coldkeys: sorted.map((x) => x.coldkey),
    active: sorted.map((x) => x.active),
    S: stakeRao.map((s) => Number(s) / RAO),
    stakeRao,
    alphaStake: sorted.map((x, i) => Number(stakes?.alphaStakeRao[i] ?? x.stakeRao) / RAO),
    taoStake: sorted.map((_, i) => Number(stakes?.taoStakeRao[i] ?? 0n) / RAO),
    ranks: sorted.map((x) => x.rank),
    trust: sorted.map((x) => x.trust),
    consensus: sorted.map((x) => x.consensus),
    incentive: sorted.map((x) => x.incentive),
    dividends: sorted.map((x) => x.dividends),
    emission: sorted.map((x) => x.emission),
    validatorTrust: sorted.map((x) => x.validatorTrust),
    validatorPermit: sorted.map((x) => x.validatorPermit),
    lastUpdate,
    pruningScore: sorted.map((x) => x.pruningScore),
    axons,
    neurons: sorted,
    isServing(uid: number): boolean {
      const a = axons[uid];
      return a !== undefined && a.ip !== '0.0.0.0';
    },
    uidOf(hotkey: string): number | null {
      return byHotkey.get(hotkey) ?? null;
    },
    blocksSinceLastUpdate(uid: number, currentBlock: number): number {
      return currentBlock - (lastUpdate[uid] ?? 0);
    },
  };
}
