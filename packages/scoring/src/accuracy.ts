import { ScoringInputError } from './errors.js';
import type { ScoringMethod } from './methods.js';
import type { Rng } from './rng.js';

/** The part of a response's `model_config` that names the model. */
export interface ModelConfigLike {
  provider?: string | null;
  model_name: string;
}

/** Cached classification accuracy per `(method, model)` key (dojo.md §12.1); plain JSON, stored by the validator. */
export interface AccuracyState {
  /** Accuracy per key in [0, 1]. */
  values: Record<string, number>;
  /** When the cache was last cleared (ms since epoch, passed in by the caller). */
  lastResetMs: number;
  /** When keys were last evaluated, or null before the first run. */
  lastRunMs: number | null;
}

/** Default cadences (dojo.md §15.1 `--accuracy.interval_s`, `--accuracy.reset_interval_s`). */
export const ACCURACY_INTERVAL_MS = 30 * 60 * 1000;
export const ACCURACY_RESET_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * The accuracy cache key: `hf_model:{model}` or `llm_api:{provider}:{model}`; null for `aws_mturk` (never evaluated).
 * @param method - declared scoring method.
 * @param modelConfig - declared model (may be null for `aws_mturk`).
 * @returns the key, or null when no accuracy applies.
 * @example
 * accuracyKey('llm_api', { provider: 'togetherai', model_name: 'm' }); // 'llm_api:togetherai:m'
 */
export function accuracyKey(method: ScoringMethod, modelConfig: ModelConfigLike | null | undefined): string | null {
  if (method === 'aws_mturk' || !modelConfig) return null;
  if (method === 'hf_model') return `hf_model:${modelConfig.model_name}`;
  return `llm_api:${modelConfig.provider ?? ''}:${modelConfig.model_name}`;
}

/**
 * A fresh, empty accuracy state.
 * @param nowMs - current time in ms (the caller's clock).
 * @returns the state.
 */
export function createAccuracyState(nowMs: number): AccuracyState {
  return { values: {}, lastResetMs: nowMs, lastRunMs: null };
}

/**
 * Clears the cache when `resetIntervalMs` has passed since the last reset (D10: a real 24 h reset).
 * @param state - current state (not mutated).
 * @param nowMs - current time in ms.
 * @param resetIntervalMs - reset period. @defaultValue 86 400 000
 * @returns the same state, or a cleared one with `lastResetMs = nowMs`.
 */
export function resetAccuracyIfDue(
  state: AccuracyState,
  nowMs: number,
  resetIntervalMs = ACCURACY_RESET_INTERVAL_MS,
): AccuracyState {
  if (nowMs - state.lastResetMs < resetIntervalMs) return state;
  return { values: {}, lastResetMs: nowMs, lastRunMs: state.lastRunMs };
}

/**
 * Keys to evaluate now: none before `intervalMs` has passed since the last run, else every distinct key without a value.
 * @param state - current state.
 * @param keys - keys of all stored responses (null entries, from `aws_mturk`, are ignored).
 * @param nowMs - current time in ms.
 * @param intervalMs - evaluation period. @defaultValue 1 800 000
 * @returns distinct keys, in first-seen order.
 */
export function keysToEvaluate(
  state: AccuracyState,
  keys: Iterable<string | null>,
  nowMs: number,
  intervalMs = ACCURACY_INTERVAL_MS,
): string[] {
  if (state.lastRunMs !== null && nowMs - state.lastRunMs < intervalMs) return [];
  const out = new Set<string>();
  for (const k of keys) if (k !== null && !Object.hasOwn(state.values, k)) out.add(k);
  return [...out];
}

/**
 * Stores one run's results; a null result (abandoned evaluation) leaves the key without value.
 * @param state - current state (not mutated).
 * @param results - accuracy per evaluated key.
 * @param nowMs - time of the run in ms.
 * @returns the new state with `lastRunMs = nowMs`.
 * @throws {ScoringInputError} DOJO_SCORING_INVALID_INPUT for an accuracy outside [0, 1].
 */
export function recordAccuracy(
  state: AccuracyState,
  results: Readonly<Record<string, number | null>>,
  nowMs: number,
): AccuracyState {
  const values = { ...state.values };
  for (const [k, v] of Object.entries(results)) {
    if (v === null) continue;
    if (!(v >= 0 && v <= 1))
      throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `accuracy of ${k} must be in [0, 1], got ${v}`);
    values[k] = v;
  }
  return { values, lastResetMs: state.lastResetMs, lastRunMs: nowMs };
}

/**
 * The multiplier for one response: the cached accuracy, or the neutral 1 when none is cached or for `aws_mturk` (D10).
 * @param state - current state.
 * @param method - declared method.
 * @param modelConfig - declared model.
 * @returns a number in [0, 1].
 */
export function accuracyMultiplier(
  state: AccuracyState,
  method: ScoringMethod,
  modelConfig: ModelConfigLike | null | undefined,
): number {
  const key = accuracyKey(method, modelConfig);
  if (key === null) return 1;
  return state.values[key] ?? 1;
}

/** One batch of preference rows: `length` consecutive rows of `dataset`, starting at `offset`, wrapping at `size`. */
export interface PlannedBatch {
  dataset: string;
  /** Row indices in order. */
  rows: number[];
}

/**
 * Plans a run's batches (dojo.md §12.2): each batch picks a dataset uniformly with the RNG and takes `batchSize`
 * consecutive rows from its cursor, restarting at the end. Every key of the run uses the same plan.
 * @param rng - injected generator.
 * @param datasets - dataset ids with their row counts (> 0).
 * @param cursors - next row per dataset id (missing → 0).
 * @param numBatches - batches per run. @defaultValue 10
 * @param batchSize - rows per batch. @defaultValue 32
 * @returns the batches and the advanced cursors.
 * @throws {ScoringInputError} DOJO_SCORING_INVALID_INPUT with no dataset or an empty one.
 */
export function planBatches(
  rng: Rng,
  datasets: readonly { id: string; size: number }[],
  cursors: Readonly<Record<string, number>>,
  numBatches = 10,
  batchSize = 32,
): { batches: PlannedBatch[]; cursors: Record<string, number> } {
  if (datasets.length === 0)
    throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', 'planBatches needs at least one dataset');
  const next: Record<string, number> = { ...cursors };
  const batches: PlannedBatch[] = [];
  for (let b = 0; b < numBatches; b++) {
    const ds = datasets[Math.floor(rng.next() * datasets.length)] as { id: string; size: number };
    if (!(ds.size > 0)) throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `dataset ${ds.id} is empty`);
    let cur = (next[ds.id] ?? 0) % ds.size;
    const rows: number[] = [];
    for (let i = 0; i < batchSize; i++) {
      rows.push(cur);
      cur = (cur + 1) % ds.size;
    }
    next[ds.id] = cur;
    batches.push({ dataset: ds.id, rows });
  }
  return { batches, cursors: next };
}

/**
 * Outcome of one `hf_model` row (§12.3): 1 when chosen's logit wins, 0.5 on a tie, 0 otherwise.
 * @param chosenLogit - logit of the chosen text.
 * @param rejectedLogit - logit of the rejected text.
 * @returns 1, 0.5 or 0.
 */
export function hfPairOutcome(chosenLogit: number, rejectedLogit: number): number {
  if (chosenLogit > rejectedLogit) return 1;
  return chosenLogit === rejectedLogit ? 0.5 : 0;
}

/**
 * Where the chosen text goes in the LLM preference prompt (D16): position 1 or 2, uniformly.
 * @param rng - injected generator.
 * @returns 1 or 2.
 */
export function chosenPosition(rng: Rng): 1 | 2 {
  return rng.next() < 0.5 ? 1 : 2;
}

/**
 * Accuracy of one batch: the mean of its row outcomes, failed rows (null) excluded from the denominator; null
 * (evaluation abandoned) when more than half of the rows failed (§12.4).
 * @param outcomes - per row 0, 0.5, 1, or null for a failed row.
 * @returns the batch accuracy or null.
 */
export function batchAccuracy(outcomes: readonly (number | null)[]): number | null {
  let sum = 0;
  let counted = 0;
  for (const o of outcomes) {
    if (o === null) continue;
    sum += o;
    counted++;
  }
  const failed = outcomes.length - counted;
  if (counted === 0 || failed * 2 > outcomes.length) return null;
  return sum / counted;
}

/**
 * The key's accuracy for a run: the mean over batches, or null when any batch was abandoned or there is none.
 * @param batches - results of {@link batchAccuracy}.
 * @returns the accuracy or null.
 */
export function runAccuracy(batches: readonly (number | null)[]): number | null {
  if (batches.length === 0) return null;
  let sum = 0;
  for (const b of batches) {
    if (b === null) return null;
    sum += b;
  }
  return sum / batches.length;
}
