import { softmax } from '@dojo-ts/scoring';
import type { DummyMetagraph, DummySubtensor } from '../components/chain.js';
import type { DummyDendritePool } from '../components/dendrite-pool.js';
import type { GatingModel } from '../components/gating.js';
import type { LabRewardModel } from '../components/reward.js';
import { LabConfigError } from '../errors.js';
import type { Stream } from '../rng.js';

/** The validator defaults of lab.md §6.1. */
export const VALIDATOR_DEFAULTS = {
  netuid: 1,
  base_prompt:
    'You are Chattensor, an assistant created by Opentensor. You are designed to assist with a wide range of tasks, ' +
    'from answering simple questions to providing in-depth explanations and discussions on a wide range of topics.',
  question_prompt:
    'Ask me a random question about anything. Make the question very domain specific. Do not include the answer in the question.',
  reward_model: 'Dahoas/gpt2-rm-static',
  inference_topk: 10,
  training_topk: 10,
  training_timeout: 4,
  inference_timeout: 10,
  max_history: 100000,
  epoch_length_override: -1,
  no_reward_model: false,
  inference_only: false,
  axon_off: true,
  dont_save_events: true,
  min_completion_length: 10,
  gating: { model_name: 'EleutherAI/gpt-neo-125m', num_uids: 4096, learning_rate: 0.01, momentum: 0.9 },
  resync_every_blocks: 10,
  min_allowed_weights: 1,
  max_weight_limit: 1,
  weights_method: 'ema',
  device: 'cpu',
  wallet: 'mock',
} as const;

type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : { -readonly [K in keyof T]: Widen<T[K]> };

/** The validator config used by the lab (defaults plus overrides). */
export type ValidatorConfig = Widen<typeof VALIDATOR_DEFAULTS>;

/** `processWeightsForNetuid` of `@dojo-ts/chain` (injected: importing the chain package loads @polkadot/api). */
export type ProcessWeights = (
  uids: readonly number[],
  weights: readonly number[],
  n: number,
  minAllowedWeights: number,
  maxWeightLimit: number,
) => { uids: number[]; weights: number[] };

/** One validator event (lab.md §6.5). */
export interface LabEvent {
  completion: string;
  message: string;
  uids: number[];
  rewards: number[];
  scores: number[];
  all_uids: number[];
  all_completions: string[];
  hotkeys: string[];
  block: number;
  is_question: boolean;
  [extra: string]: unknown;
}

/** Arguments of {@link Neuron.forward}. */
export interface ForwardArgs {
  roles: string[];
  messages: string[];
  topk?: number | null;
  randomSampleUids?: boolean;
  trainGatingModel?: boolean;
  timeout?: number;
}

/** The prompting validator wrapper of lab.md §5.7/§6. */
export class Neuron {
  readonly history: LabEvent[] = [];
  readonly weightHistory: Array<{ block: number; uids: number[]; weights: number[] }> = [];
  lastEpochBlock: number;
  lastResyncBlock: number;
  constructor(
    readonly config: ValidatorConfig,
    readonly subtensor: DummySubtensor,
    readonly metagraph: DummyMetagraph,
    readonly pool: DummyDendritePool,
    readonly gating: GatingModel,
    readonly rewardModel: LabRewardModel | null,
    readonly alpha: number,
    private readonly stream: Stream,
    private readonly processWeights: ProcessWeights,
  ) {
    pool.attach(metagraph);
    gating.attach(metagraph);
    rewardModel?.attach(metagraph);
    this.lastEpochBlock = subtensor.block;
    this.lastResyncBlock = subtensor.block;
  }

  /** `system: …` / `user: …` lines, one per message. */
  static unravel(roles: readonly string[], messages: readonly string[]): string {
    return messages.map((m, i) => `${roles[i] ?? 'user'}: ${m}\n`).join('');
  }

  /** Non-system messages stripped, each followed by a blank line, then the stripped completion (§6.2 step 7). */
  static flatten(roles: readonly string[], messages: readonly string[], completion: string): string {
    const prefix = messages
      .filter((_, i) => roles[i] !== 'system')
      .map((m) => `${m.trim()}\n\n`)
      .join('');
    return prefix + completion.trim();
  }

  private pushHistory(e: LabEvent): void {
    this.history.push(e);
    if (this.history.length > this.config.max_history) this.history.shift();
  }

  /**
   * One validator forward (§6.2).
   * @returns the event, or null when no uid is available or no response succeeded.
   */
  async forward(a: ForwardArgs): Promise<LabEvent | null> {
    const n = this.metagraph.n;
    this.subtensor.advance();
    const prompt = Neuron.unravel(a.roles, a.messages);
    const available = this.metagraph.neurons.filter((x) => x.axon.serving).map((x) => x.uid);
    if (available.length === 0) return null;
    const k = a.topk === undefined || a.topk === null || a.topk === -1 ? n : Math.min(a.topk, available.length);
    const scores = this.gating.forward(prompt);
    let uids: number[];
    if (a.randomSampleUids) uids = this.stream.sample(available, k);
    else {
      uids = available
        .filter((u) => scores[u] !== Number.NEGATIVE_INFINITY)
        .sort((x, y) => (scores[y] as number) - (scores[x] as number) || x - y)
        .slice(0, k);
    }
    const responses = this.pool.forward(a.roles, a.messages, uids);
    const ok: number[] = [];
    const completions: string[] = [];
    responses.forEach((r, i) => {
      if (r.completion !== null && r.completion.length > this.config.min_completion_length) {
        ok.push(uids[i] as number);
        completions.push(r.completion);
      }
    });
    this.gating.observe?.(ok, completions);
    if (ok.length === 0) return null;
    const rewards =
      this.rewardModel && !this.config.no_reward_model
        ? await this.rewardModel.reward(completions.map((c) => Neuron.flatten(a.roles, a.messages, c)))
        : ok.map((u) => scores[u] as number);
    if (a.trainGatingModel) {
      this.gating.backward(
        ok,
        ok.map((u) => scores[u] as number),
        rewards,
      );
    }
    let best = 0;
    rewards.forEach((r, i) => {
      if (r > (rewards[best] as number)) best = i;
    });
    const message = a.messages[a.messages.length - 1] ?? '';
    const event: LabEvent = {
      completion: completions[best] as string,
      message,
      uids: ok,
      rewards,
      scores,
      all_uids: uids,
      all_completions: completions,
      hotkeys: this.metagraph.hotkeys,
      block: this.subtensor.block,
      is_question: message === this.config.question_prompt,
    };
    this.pushHistory(event);
    return event;
  }

  /**
   * `max_iter` iterations of question step + answer step, with resync and epoch weights (§6.3).
   * @param maxIter - iterations.
   * @returns the events produced (nulls dropped).
   */
  async train(maxIter = 1): Promise<LabEvent[]> {
    const out: LabEvent[] = [];
    const c = this.config;
    for (let i = 0; i < maxIter; i++) {
      const q = await this.forward({
        roles: ['system', 'user'],
        messages: [c.base_prompt, c.question_prompt],
        topk: c.training_topk,
        randomSampleUids: true,
        trainGatingModel: true,
        timeout: c.training_timeout,
      });
      if (q) {
        out.push(q);
        const a = await this.forward({
          roles: ['system', 'user'],
          messages: [c.base_prompt, q.completion],
          topk: c.training_topk,
          randomSampleUids: true,
          trainGatingModel: true,
          timeout: c.training_timeout,
        });
        if (a) out.push(a);
      }
      this.afterIteration();
    }
    return out;
  }

  /** Resync and epoch check after one iteration (§6.3 steps 3–4). */
  afterIteration(): void {
    const block = this.subtensor.block;
    if (block - this.lastResyncBlock >= this.config.resync_every_blocks) {
      this.metagraph.sync();
      this.lastResyncBlock = block;
    }
    const epochLength =
      this.config.epoch_length_override !== -1
        ? this.config.epoch_length_override
        : this.subtensor.validatorEpochLength(this.config.netuid);
    if (epochLength - (block - this.lastEpochBlock) <= 0) {
      this.lastEpochBlock = block;
      const w = this.computeWeights();
      this.weightHistory.push({ block, ...w });
      this.subtensor.setWeights(null, this.config.netuid, w.uids, w.weights);
    }
  }

  /**
   * Inference (§6.4): the `inference_topk` best-gated uids over all uids.
   * @returns the chosen completion and the gating scores.
   */
  async inference(
    messages: Array<{ role: string; content: string }>,
    dontUseRewardModel = true,
  ): Promise<{ completion: string; scores: number[]; uids: number[] }> {
    const roles = messages.map((m) => m.role);
    const texts = messages.map((m) => m.content);
    const scores = this.gating.forward(Neuron.unravel(roles, texts));
    const uids = scores
      .map((_, u) => u)
      .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
      .slice(0, this.config.inference_topk);
    this.subtensor.advance();
    const responses = this.pool.forward(roles, texts, uids);
    if (dontUseRewardModel || !this.rewardModel) {
      const hit = responses.find((r) => r.completion !== null && r.completion.length > 0);
      return { completion: hit?.completion ?? 'no valid completions', scores, uids };
    }
    const valid = responses
      .filter((r) => r.completion !== null && r.completion.length > 0)
      .map((r) => r.completion as string);
    if (valid.length === 0) return { completion: 'no valid completions', scores, uids };
    const rewards = await this.rewardModel.reward(valid.map((c) => Neuron.flatten(roles, texts, c)));
    let best = 0;
    rewards.forEach((r, i) => {
      if (r > (rewards[best] as number)) best = i;
    });
    return { completion: valid[best] as string, scores, uids };
  }

  /**
   * Weights from history (§6.6): EMA (α on the new value) of per-event softmaxed rewards, or the mean reward per uid.
   * @returns `(uids, weights)` after `processWeightsForNetuid`.
   */
  computeWeights(): { uids: number[]; weights: number[] } {
    const n = this.metagraph.n;
    const all = Array.from({ length: n }, (_, i) => i);
    if (this.history.length === 0) return { uids: all, weights: all.map(() => 1 / n) };
    const m = new Array<number>(n).fill(0);
    if (this.config.weights_method === 'mean') {
      const cnt = new Array<number>(n).fill(0);
      for (const e of this.history) {
        e.uids.forEach((u, i) => {
          m[u] = (m[u] as number) + (e.rewards[i] as number);
          cnt[u] = (cnt[u] as number) + 1;
        });
      }
      for (let u = 0; u < n; u++) m[u] = (cnt[u] as number) > 0 ? (m[u] as number) / (cnt[u] as number) : 0;
    } else if (this.config.weights_method === 'ema') {
      let prevHotkeys: string[] | null = null;
      for (const e of this.history) {
        const v = softmax(e.rewards);
        const s = m.slice();
        e.uids.forEach((u, i) => {
          s[u] = v[i] as number;
        });
        for (let u = 0; u < n; u++) m[u] = this.alpha * (s[u] as number) + (1 - this.alpha) * (m[u] as number);
        if (prevHotkeys) for (let u = 0; u < n; u++) if (prevHotkeys[u] !== e.hotkeys[u]) m[u] = 0;
        prevHotkeys = e.hotkeys;
      }
    } else throw new LabConfigError(`unknown weights method "${this.config.weights_method}" (ema or mean)`);
    const pos = m.map((x) => Math.max(0, x));
    const norm = Math.max(
      pos.reduce((a, b) => a + Math.abs(b), 0),
      1e-12,
    );
    return this.processWeights(
      all,
      pos.map((x) => x / norm),
      n,
      this.config.min_allowed_weights,
      this.config.max_weight_limit,
    );
  }
}
