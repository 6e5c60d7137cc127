import { normalizeWeights } from '@dojo-ts/scoring';
import type { ChainParams } from './config.js';

type ProcessWeights = (
  uids: readonly number[],
  weights: readonly number[],
  n: number,
  minAllowedWeights: number,
  maxWeightLimit: number,
) => { uids: number[]; weights: number[] };

type ConvertForEmit = (uids: readonly number[], weights: readonly number[]) => { uids: number[]; weights: number[] };

/** The chain's weight pipeline (chain.md §8): float processing, then the u16 conversion that is emitted. */
export interface ChainWeights {
  process: ProcessWeights;
  toU16: ConvertForEmit;
}

let cached: ChainWeights | undefined;

/**
 * Loads `processWeightsForNetuid` and `convertWeightsAndUidsForEmit` from @dojo-ts/chain once (the chain package
 * pulls in @polkadot/api, so it is imported lazily).
 */
export async function loadProcessWeights(): Promise<ChainWeights> {
  if (!cached) {
    const chain = await import('@dojo-ts/chain');
    cached = {
      process: chain.processWeightsForNetuid as ProcessWeights,
      toU16: chain.convertWeightsAndUidsForEmit as ConvertForEmit,
    };
  }
  return cached;
}

/** One `set_weights` call of the simulated subtensor. */
export interface WeightsRecord {
  round: number;
  /** Output of `processWeightsForNetuid` (floats summing to 1). */
  uids: number[];
  weights: number[];
  /** What `set_weights` emits: `convertWeightsAndUidsForEmit` (u16, max-upscaled, zeros dropped; E10). */
  emitted?: { uids: number[]; weights: number[] };
}

/**
 * Turns a non-negative raw weight vector (by uid) into what the validator would set: `normalizeWeights` (dojo.md §13)
 * then the chain's `processWeightsForNetuid` (chain.md §8) with the simulated subnet's hyperparameters.
 * @returns the record, or null when every raw weight is zero (the validator logs and skips, dojo.md §13 step 2).
 */
export function processRawWeights(
  chainWeights: ChainWeights,
  round: number,
  raw: readonly number[],
  chain: ChainParams,
): WeightsRecord | null {
  let w: number[];
  try {
    w = normalizeWeights(raw).weights;
  } catch {
    return null;
  }
  const uids = raw.map((_, i) => i);
  const out = chainWeights.process(uids, w, raw.length, chain.min_allowed_weights, chain.max_weight_limit);
  return { round, uids: out.uids, weights: out.weights, emitted: chainWeights.toU16(out.uids, out.weights) };
}

/** Weight share per uid (dense vector of length n) of one record: of the emitted u16 weights when present. */
export function shareByUid(rec: WeightsRecord, n: number): number[] {
  const { uids, weights } = rec.emitted ?? rec;
  const v = new Array<number>(n).fill(0);
  let total = 0;
  for (const w of weights) total += w;
  uids.forEach((u, i) => {
    if (u < n) v[u] = (weights[i] as number) / (total || 1);
  });
  return v;
}
