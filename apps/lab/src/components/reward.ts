import { pathToFileURL } from 'node:url';
import type { HfRewardModel } from '@dojo-ts/models';
import { LabConfigError } from '../errors.js';
import { Stream } from '../rng.js';
import type { DummyMetagraph } from './chain.js';

/** A reward model: one float per flattened (prompt + completion) string (lab.md §5.4). */
export interface LabRewardModel {
  readonly name: string;
  attach(metagraph: DummyMetagraph): void;
  reward(texts: readonly string[]): Promise<number[]>;
}

/** Common state of reward models. */
export abstract class BaseRewardModel implements LabRewardModel {
  abstract readonly name: string;
  protected metagraph: DummyMetagraph | null = null;
  attach(metagraph: DummyMetagraph): void {
    this.metagraph = metagraph;
  }
  abstract reward(texts: readonly string[]): Promise<number[]>;
}

/** Every reward is `forward_value`. */
export class ConstantRewardModel extends BaseRewardModel {
  readonly name = 'ConstantRewardModel';
  constructor(
    readonly forwardValue = 1,
    readonly backwardValue = 0,
  ) {
    super();
  }
  async reward(texts: readonly string[]): Promise<number[]> {
    return texts.map(() => this.forwardValue);
  }
}

/** One seeded draw per completion; backward draws from a separate stream with the same seed. */
export class RandomRewardModel extends BaseRewardModel {
  readonly name = 'RandomRewardModel';
  private readonly fwd: Stream;
  private readonly bwd: Stream;
  readonly distribution: 'uniform' | 'normal';
  constructor(
    readonly o: {
      seed: number;
      distribution: string;
      p0: number;
      p1: number;
      backward_p0?: number;
      backward_p1?: number;
    },
  ) {
    super();
    if (o.distribution !== 'uniform' && o.distribution !== 'normal') {
      throw new LabConfigError(`RandomRewardModel: unknown distribution "${o.distribution}"`);
    }
    this.distribution = o.distribution;
    this.fwd = new Stream(o.seed);
    this.bwd = new Stream(o.seed);
  }
  private draw(s: Stream, p0: number, p1: number): number {
    return p0 * (this.distribution === 'uniform' ? s.next() : s.normal()) + p1;
  }
  async reward(texts: readonly string[]): Promise<number[]> {
    return texts.map(() => this.draw(this.fwd, this.o.p0, this.o.p1));
  }
  /** Backward-pass rewards from the separate stream. */
  backwardRewards(n: number): number[] {
    return Array.from({ length: n }, () =>
      this.draw(this.bwd, this.o.backward_p0 ?? this.o.p0, this.o.backward_p1 ?? this.o.p1),
    );
  }
}

/** The length-bias probe: characters, longest word or word count of the whole flattened string. */
export class DummyRewardModel extends BaseRewardModel {
  readonly name = 'DummyRewardModel';
  constructor(readonly rewardType = 'question_length') {
    super();
    if (!['question_length', 'longest_word', 'num_words'].includes(rewardType)) {
      throw new LabConfigError(
        `DummyRewardModel: unknown reward_type "${rewardType}" (question_length, longest_word, num_words)`,
      );
    }
  }
  async reward(texts: readonly string[]): Promise<number[]> {
    return texts.map((t) => {
      const words = t.split(/\s+/).filter((w) => w.length > 0);
      if (this.rewardType === 'question_length') return t.length;
      if (this.rewardType === 'num_words') return words.length;
      return words.reduce((m, w) => Math.max(m, w.length), 0);
    });
  }
}

/** A user module exporting `reward(texts)` (sync or async) or `createRewardModel(options)` returning one. */
export class CustomRewardModel extends BaseRewardModel {
  readonly name = 'CustomRewardModel';
  private fn: ((texts: string[]) => number[] | Promise<number[]>) | null = null;
  constructor(
    readonly modelPath: string,
    readonly options: Record<string, unknown> = {},
  ) {
    super();
  }
  /** Imports the module. */
  async load(): Promise<this> {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(this.modelPath).href)) as Record<string, unknown>;
    } catch (cause) {
      throw new LabConfigError(`CustomRewardModel: cannot import ${this.modelPath}`, { cause });
    }
    if (typeof mod.createRewardModel === 'function') {
      const m = (await (mod.createRewardModel as (o: unknown) => unknown)(this.options)) as { reward?: unknown };
      if (typeof m?.reward !== 'function')
        throw new LabConfigError('CustomRewardModel: createRewardModel() returned no reward()');
      this.fn = (t) => (m.reward as (t: string[]) => number[])(t);
    } else if (typeof mod.reward === 'function') this.fn = mod.reward as (t: string[]) => number[];
    else throw new LabConfigError(`CustomRewardModel: ${this.modelPath} exports neither reward nor createRewardModel`);
    return this;
  }
  async reward(texts: readonly string[]): Promise<number[]> {
    if (!this.fn) await this.load();
    const out = await (this.fn as (t: string[]) => number[] | Promise<number[]>)(texts.slice());
    if (!Array.isArray(out) || out.length !== texts.length || out.some((x) => typeof x !== 'number')) {
      throw new LabConfigError('CustomRewardModel: reward() must return one number per text');
    }
    return out;
  }
}

/** A transformers.js (ONNX) sequence-classification reward model: reward = raw logit of each text. */
export class HuggingFaceRewardModel extends BaseRewardModel {
  readonly name = 'HuggingFaceRewardModel';
  private model: HfRewardModel | null = null;
  constructor(
    readonly modelPath: string,
    readonly offline: boolean,
  ) {
    super();
  }
  async load(): Promise<this> {
    const { HfRewardModel: Hf } = await import('@dojo-ts/models');
    this.model = await Hf.load({ model: this.modelPath, offline: this.offline });
    return this;
  }
  async reward(texts: readonly string[]): Promise<number[]> {
    if (!this.model) await this.load();
    return (this.model as HfRewardModel).logits(texts.slice());
  }
}
