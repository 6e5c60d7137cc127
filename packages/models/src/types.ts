/** One completion to score: the validator's uuid `cid` and the text (dojo.md §3.2 `Completion`). */
export interface CompletionInput {
  cid: string;
  text: string;
}

/**
 * Scores completions of one prompt. Used by `hf_model` and `llm_api` miners and by the validator's audit (D3).
 * Implementations: {@link HfRewardModel}, {@link LlmJudge}.
 */
export interface RewardModel {
  /** Stable identifier, e.g. `hf_model:OpenAssistant/reward-model-deberta-v3-large-v2`. */
  readonly id: string;
  /**
   * Scores every completion in [0, 1], higher is better.
   * @returns cid → score, one entry per input completion.
   */
  score(prompt: string, completions: readonly CompletionInput[]): Promise<Record<string, number>>;
}

/**
 * Raw logits of a sequence-classification reward model (`num_labels = 1`), the runner of dojo.md §5.1 used by the
 * `hf_model` miner, the validator's audit and accuracy evaluation (§12.3: each text alone). Implementations:
 * {@link HfRewardModel} (transformers.js) and {@link TeiRewardModel} (an external text-embeddings-inference server).
 */
export interface RewardModelRunner extends RewardModel {
  /** Logit of one text, or of a (textA, textB) pair. */
  logit(textA: string, textB?: string): Promise<number>;
  /** Logits of many texts or text pairs (`textPairs` aligned with `texts`). */
  logits(texts: readonly string[], textPairs?: readonly string[]): Promise<number[]>;
  /** The text a completion is paired with for `prompt`. */
  question(prompt: string): string;
}

/** A source of uniform numbers in [0, 1) (same shape as `Rng` of `@dojo-ts/scoring`, e.g. its `mulberry32`). */
export interface Rng {
  next(): number;
}

/** Outcome of one pairwise preference question (dojo.md §12.4). */
export interface PreferenceOutcome {
  /** True iff the model picked the chosen text. */
  preferredChosen: boolean;
  /** Where the chosen text was shown: `Text 1` or `Text 2`. */
  chosenPosition: 1 | 2;
  /** The model's `preference_text`. */
  preference: 1 | 2;
}

/** A reward model that can also answer the pairwise preference question of classification accuracy. */
export interface Judge extends RewardModel {
  /**
   * Asks which of two texts is preferred, showing `chosen` at a random position drawn from `rng` (D16).
   * @returns whether the model preferred `chosen`.
   */
  prefer(pair: { chosen: string; rejected: string }, rng?: Rng): Promise<PreferenceOutcome>;
}

/**
 * Turns texts into unit-norm vectors (chunking.md §6.1; a zero vector stays zero). Structurally identical to
 * `Embedder` of `@dojo-ts/scoring`, so these implementations plug into its chunk reward.
 */
export interface Embedder {
  /** Stable identifier, e.g. `openai:text-embedding-ada-002`. */
  readonly id: string;
  /** Vector dimension. */
  readonly dim: number;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
