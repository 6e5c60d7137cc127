import type { AxonInfo, NeuronLite } from '../chain.js';

/** A neuron as LocalChain stores it (JSON in `subnet:{netuid}:neurons`). */
export interface StoredNeuron {
  uid: number;
  hotkey: string;
  coldkey: string;
  /** Decimal rao string (Lua keeps integers below 2^53 exact). */
  stakeRao: string;
  validatorPermit: boolean;
  /** True when an admin fixed the permit; epochs then leave it alone. */
  permitPinned: boolean;
  lastUpdate: number;
  registeredAt: number;
  active: boolean;
  incentive: number;
  consensus: number;
  dividends: number;
  emissionRao: string;
}

/** An axon as LocalChain stores it (JSON in `subnet:{netuid}:axons`). */
export interface StoredAxon {
  block: number;
  version: number;
  ip: string;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}

/** The AxonInfo of a uid that never served. */
export function emptyAxon(hotkey: string, coldkey: string): AxonInfo {
  return {
    block: 0,
    version: 0,
    ip: '0.0.0.0',
    port: 0,
    ipType: 0,
    protocol: 0,
    placeholder1: 0,
    placeholder2: 0,
    hotkey,
    coldkey,
  };
}

/** Converts stored records to the `NeuronLite` shape the subtensor decoder produces. */
export function toNeuronLite(netuid: number, n: StoredNeuron, axon: StoredAxon | undefined): NeuronLite {
  const stakeRao = BigInt(n.stakeRao);
  const emissionRao = BigInt(n.emissionRao);
  return {
    uid: n.uid,
    netuid,
    hotkey: n.hotkey,
    coldkey: n.coldkey,
    active: n.active,
    axon: axon ? { ...axon, hotkey: n.hotkey, coldkey: n.coldkey } : emptyAxon(n.hotkey, n.coldkey),
    prometheus: { block: 0, version: 0, ip: '0.0.0.0', port: 0, ipType: 0 },
    stake: [{ coldkey: n.coldkey, rao: stakeRao }],
    stakeRao,
    rank: 0,
    emissionRao,
    emission: Number(emissionRao) / 1e9,
    incentive: n.incentive,
    consensus: n.consensus,
    trust: 0,
    validatorTrust: 0,
    dividends: n.dividends,
    lastUpdate: n.lastUpdate,
    validatorPermit: n.validatorPermit,
    pruningScore: 65535,
  };
}
