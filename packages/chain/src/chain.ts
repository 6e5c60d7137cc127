/**
 * The `Chain` interface (spec chain.md §2) and the plain data types it returns. Two implementations:
 * `SubtensorChain` (@polkadot/api, real networks) and `LocalChain` (Redis-backed development chain).
 * Neurons depend only on this file.
 */
import type { KeyringPair } from '@polkadot/keyring/types';

/** Who signs extrinsics: the neuron's hotkey, an sr25519 `KeyringPair` with ss58 prefix 42. */
export type ChainSigner = KeyringPair;

/** On-chain `AxonInfo` of a hotkey, with the IP rendered as text (§5.4). */
export interface AxonInfo {
  /** Block at which the axon was last served (0 when never served). */
  block: number;
  version: number;
  /** Dotted IPv4 (`1.2.3.4`) or IPv6 text; `0.0.0.0` means not serving. */
  ip: string;
  port: number;
  /** 4 or 6 (0 when never served). */
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
  /** ss58 (prefix 42) hotkey that owns the axon. */
  hotkey: string;
  /** ss58 (prefix 42) coldkey of that hotkey. */
  coldkey: string;
}

/** On-chain `PrometheusInfo`. */
export interface PrometheusInfo {
  block: number;
  version: number;
  ip: string;
  port: number;
  ipType: number;
}

/** One decoded `NeuronInfoLite` (§5.2) as a plain record, with normalised scores (§5.3). */
export interface NeuronLite {
  uid: number;
  netuid: number;
  /** ss58, prefix 42. */
  hotkey: string;
  /** ss58, prefix 42. */
  coldkey: string;
  active: boolean;
  axon: AxonInfo;
  prometheus: PrometheusInfo;
  /** Raw stake entries `(coldkey ss58, rao)`. */
  stake: Array<{ coldkey: string; rao: bigint }>;
  /** Sum of the stake entries in rao. */
  stakeRao: bigint;
  /** rank / 65535. */
  rank: number;
  /** Emission in rao (u64). */
  emissionRao: bigint;
  /** Emission in TAO / alpha (rao / 1e9). */
  emission: number;
  /** incentive / 65535. */
  incentive: number;
  /** consensus / 65535. */
  consensus: number;
  /** trust / 65535. */
  trust: number;
  /** validator_trust / 65535. */
  validatorTrust: number;
  /** dividends / 65535. */
  dividends: number;
  /** Block of the last weights update. */
  lastUpdate: number;
  validatorPermit: boolean;
  /** Raw u16. */
  pruningScore: number;
}

/** Metagraph of one subnet (§5.5): per-uid arrays indexed by uid, plus helpers. */
export interface Metagraph {
  netuid: number;
  /** Block at which it was read. */
  block: number;
  /** Number of uids. */
  n: number;
  uids: number[];
  hotkeys: string[];
  coldkeys: string[];
  active: boolean[];
  /** Total stake per uid in TAO (alpha) units. */
  S: number[];
  /** Total stake per uid in rao. */
  stakeRao: bigint[];
  alphaStake: number[];
  taoStake: number[];
  ranks: number[];
  trust: number[];
  consensus: number[];
  incentive: number[];
  dividends: number[];
  emission: number[];
  validatorTrust: number[];
  validatorPermit: boolean[];
  lastUpdate: number[];
  pruningScore: number[];
  axons: AxonInfo[];
  /** The neurons the arrays were built from, ordered by uid. */
  neurons: NeuronLite[];
  /** True when the uid's axon IP is not `0.0.0.0`. */
  isServing(uid: number): boolean;
  /** uid of a hotkey (ss58) or null. */
  uidOf(hotkey: string): number | null;
  /** `currentBlock − lastUpdate[uid]`. */
  blocksSinceLastUpdate(uid: number, currentBlock: number): number;
}

/** Subnet hyperparameters the neurons need (§2). Rate limits and periods are in blocks. */
export interface Hyperparams {
  tempo: number;
  weightsRateLimit: number;
  weightsVersionKey: number;
  minAllowedWeights: number;
  /** Raw u16 `MaxWeightsLimit` (divide by 65535 for the fraction). */
  maxWeightsLimit: number;
  commitRevealEnabled: boolean;
  revealPeriodEpochs: number;
  servingRateLimit: number;
  immunityPeriod: number;
  activityCutoff: number;
  maxAllowedUids: number;
}

/** A chain event as plain data. */
export interface ChainEvent {
  section: string;
  method: string;
  data: unknown[];
}

/**
 * Why a transaction failed. `pool`: rejected at submit with `InvalidTransaction::Custom(code)` (6 = weights rate limit,
 * also returned by the local pre-check); `dispatch`: `ExtrinsicFailed` with the pallet error name.
 */
export type TxError =
  | { kind: 'pool'; code: number; message?: string }
  | { kind: 'dispatch'; pallet: string; name: string; message?: string };

/** Outcome of an extrinsic. `skipped` is set when nothing was submitted because nothing needed to change. */
export interface TxResult {
  ok: boolean;
  blockHash?: string;
  events: ChainEvent[];
  error?: TxError;
  skipped?: string;
}

/** Timelock beacon parameters (drand quicknet on real networks, the local beacon on LocalChain). */
export interface Beacon {
  /** 96-byte compressed G2 public key, hex without 0x. */
  publicKeyG2Hex: string;
  genesisUnix: number;
  periodS: number;
  chainHash: string;
}

/** Parameters of `serveAxon` (§7.4). */
export interface ServeAxonParams {
  /** IPv4 / IPv6 text. 127.0.0.1, ::1 are refused. */
  ip: string;
  /** 1..65535. */
  port: number;
  /** 4 or 6; derived from `ip` when omitted. */
  ipType?: 4 | 6;
  /** Defaults to 4. */
  protocol?: number;
  /** `version_as_int` of the neuron. */
  version: number;
}

/** The chain as neurons see it. Both implementations answer with the same shapes and error channels. */
export interface Chain {
  /** Latest block number. */
  currentBlock(): Promise<number>;
  /** Metagraph of `netuid` at the latest block. */
  metagraph(netuid: number): Promise<Metagraph>;
  /** Subnet hyperparameters. */
  hyperparams(netuid: number): Promise<Hyperparams>;
  /** uid of `hotkey` (ss58) on `netuid`, or null when not registered. */
  uidOf(netuid: number, hotkey: string): Promise<number | null>;
  /** On-chain `AxonInfo` of `hotkey`, or null when none is stored. */
  axonInfo(netuid: number, hotkey: string): Promise<AxonInfo | null>;
  /** Per-uid `LastUpdate` blocks. */
  lastUpdate(netuid: number): Promise<number[]>;
  /** Timelock beacon used for commit-reveal v4. */
  beacon(): Promise<Beacon>;
  /**
   * Post-processes float weights (§8), then emits them with `set_weights` or `commit_timelocked_weights` (§9).
   * Resolves with a `TxResult`; a rate-limited attempt resolves `{ok: false, error: {kind: 'pool', code: 6}}`.
   */
  emitWeights(
    signer: ChainSigner,
    netuid: number,
    uids: number[],
    floatWeights: number[],
    versionKey: number,
  ): Promise<TxResult>;
  /** Serves the axon; resolves `{ok: true, skipped: 'unchanged'}` when the on-chain info already matches. */
  serveAxon(signer: ChainSigner, netuid: number, params: ServeAxonParams): Promise<TxResult>;
  /** Calls `cb` with each new block number; resolves with an unsubscribe function. */
  onNewBlock(cb: (block: number) => void): Promise<() => void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
