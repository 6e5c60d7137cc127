import { normalizeWeights } from '@dojo-ts/scoring';
import type { ChainParams } from './config.js';

type ProcessWeights = (
  uids: readonly number[],
  weights: readonly number[],
  n: number,
  minAllowedWeights: number,
  maxWeightLimit: number,
) => { uids: number[]; weights: number[] };

let cached: ProcessWeights | undefined;

/** Loads `processWeightsForNetuid` from @dojo-ts/chain once (the chain package pulls in @polkadot/api, so it is lazy). */
export async function loadProcessWeights(): Promise<ProcessWeights> {
  if (!cached) cached = (await import('@dojo-ts/chain')).processWeightsForNetuid as ProcessWeights;
  return cached;
}

/** One `set_weights` call of the simulated subtensor. */
export interface WeightsRecord {
  round: number;
  uids: number[];
  weights: number[];
}

/**
 * Turns a non-negative raw weight vector (by uid) into what the validator would set: `normalizeWeights` (dojo.md §13)
 * then the chain's `processWeightsForNetuid` (chain.md §8) with the simulated subnet's hyperparameters.
 * @returns the record, or null when every raw weight is zero (the validator logs and skips, dojo.md §13 step 2).
 */
export function processRawWeights(
  process: ProcessWeights,
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
  const out = process(uids, w, raw.length, chain.min_allowed_weights, chain.max_weight_limit);
  return { round, uids: out.uids, weights: out.weights };
}

/** Weight share per uid (dense vector of length n) of one record. */
export function shareByUid(rec: WeightsRecord, n: number): number[] {
  const v = new Array<number>(n).fill(0);
  let total = 0;
  for (const w of rec.weights) total += w;
  rec.uids.forEach((u, i) => {
    if (u < n) v[u] = (rec.weights[i] as number) / (total || 1);
  });
  return v;
}
