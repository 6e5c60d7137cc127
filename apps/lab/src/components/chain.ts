import { createHash } from 'node:crypto';
import { LabConfigError } from '../errors.js';

/** One neuron of a dummy metagraph. */
export interface LabNeuron {
  uid: number;
  hotkey: string;
  axon: { ip: string; port: number; ipType: 4; serving: boolean };
}

/** One `set_weights` call recorded by {@link DummySubtensor}. */
export interface WeightsCall {
  netuid: number;
  uids: number[];
  weights: number[];
  block: number;
}

/** Options of {@link DummySubtensor} (lab.md §5.6). */
export interface DummySubtensorOptions {
  network?: string;
  block?: number;
  epoch_length?: number;
  blocks_per_forward?: number;
  delegated?: Array<{ hotkey?: string; nominators: unknown[] }>;
}

/** A local subtensor whose block advances per validator forward and which records `set_weights` calls. */
export class DummySubtensor {
  readonly network: string;
  block: number;
  readonly epochLength: number;
  readonly blocksPerForward: number;
  readonly delegated: Array<{ hotkey?: string; nominators: unknown[] }>;
  readonly history: WeightsCall[] = [];
  metagraph: DummyMetagraph | null = null;

  constructor(options: DummySubtensorOptions = {}) {
    this.network = options.network ?? 'lab';
    this.block = options.block ?? 1;
    this.epochLength = options.epoch_length ?? 100;
    this.blocksPerForward = options.blocks_per_forward ?? 1;
    const d = options.delegated ?? [{ hotkey: 'lab-validator', nominators: [] }];
    if (!Array.isArray(d) || d.some((x) => typeof x !== 'object' || x === null || !Array.isArray(x.nominators))) {
      throw new LabConfigError('DummySubtensor: delegated must be a list of {hotkey, nominators: []}');
    }
    this.delegated = d;
  }
  /** Called by the neuron once per forward. */
  advance(): void {
    this.block += this.blocksPerForward;
  }
  validatorEpochLength(_netuid: number): number {
    return this.epochLength;
  }
  getDelegated(): Array<{ hotkey?: string; nominators: unknown[] }> {
    return this.delegated;
  }
  setWeights(_wallet: unknown, netuid: number, uids: number[], weights: number[]): boolean {
    this.history.push({ netuid, uids: uids.slice(), weights: weights.slice(), block: this.block });
    return true;
  }
  neurons(_netuid: number): LabNeuron[] {
    return this.metagraph?.neurons.slice() ?? [];
  }
  serveAxon(): void {}
}

/** Options of {@link DummyMetagraph} (lab.md §5.5). */
export interface DummyMetagraphOptions {
  netuid?: number;
  network?: string;
  lite?: boolean;
  sync?: boolean;
  num_nodes?: number;
  seed?: number;
}

/** A static network of `num_nodes` serving neurons with uids 0..n−1 and distinct deterministic hotkeys. */
export class DummyMetagraph {
  readonly netuid: number;
  readonly numNodes: number;
  readonly seed: number;
  neurons: LabNeuron[] = [];
  readonly history: Array<{ block: number; hotkeys: string[] }> = [];
  constructor(
    options: DummyMetagraphOptions = {},
    private readonly subtensor: DummySubtensor | null = null,
  ) {
    this.netuid = options.netuid ?? 1;
    this.numNodes = options.num_nodes ?? 16;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.numNodes) || this.numNodes < 1)
      throw new LabConfigError('DummyMetagraph: num_nodes must be ≥ 1');
    this.build();
    if (subtensor) subtensor.metagraph = this;
    if (options.sync ?? true) this.sync();
  }
  get n(): number {
    return this.neurons.length;
  }
  get block(): number {
    return this.subtensor?.block ?? 0;
  }
  get hotkeys(): string[] {
    return this.neurons.map((x) => x.hotkey);
  }
  get uids(): number[] {
    return this.neurons.map((x) => x.uid);
  }
  private build(): void {
    this.neurons = Array.from({ length: this.numNodes }, (_, uid) => ({
      uid,
      hotkey: `lab-${createHash('sha256').update(`${this.seed}:${this.netuid}:${uid}`).digest('hex').slice(0, 16)}`,
      axon: { ip: '1.2.3.4', port: 42, ipType: 4 as const, serving: true },
    }));
  }
  /** Rebuilds the same state and records a copy in `history`. */
  sync(): void {
    this.build();
    this.history.push({ block: this.block, hotkeys: this.hotkeys });
  }
}
