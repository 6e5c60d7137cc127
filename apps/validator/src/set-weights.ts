/**
 * Weights (dojo.md §13, chunking.md §10, chain.md §8–§9): the ranking EMA scores normalised to sum 1, the chunking
 * rank scores turned into rule weights (halving/linear) normalised to sum 1, combined by the configured shares, then
 * emitted through `chain.emitWeights` (which post-processes for the netuid and picks set_weights or commit-reveal).
 */
import type { Chain, ChainSigner, TxResult } from '@dojo-ts/chain';
import { normalizeWeights, rankWeights, type WeightRule } from '@dojo-ts/scoring';
import type { Logger } from 'pino';

/** Options of {@link combinedWeights}. */
export interface CombineOptions {
  rankingShare: number;
  chunkingShare: number;
  rule: WeightRule;
}

function normalised(values: readonly number[]): number[] | null {
  try {
    return normalizeWeights(values).weights;
  } catch {
    return null;
  }
}

/**
 * Combines both mechanisms' score vectors into one float weight vector over all uids.
 * @param rankingScores - ranking EMA per uid (NaN → 0)
 * @param chunkScores - chunking moving-average rank per uid (null = no score)
 * @param opts - shares and chunking rule
 * @returns weights summing to 1, or null when neither mechanism has a non-zero score
 */
export function combinedWeights(
  rankingScores: readonly number[],
  chunkScores: ReadonlyArray<number | null>,
  opts: CombineOptions,
): number[] | null {
  const n = Math.max(rankingScores.length, chunkScores.length);
  const pad = (v: readonly number[]) => Array.from({ length: n }, (_, i) => v[i] ?? 0);
  const ranking = opts.rankingShare > 0 ? normalised(pad(rankingScores)) : null;
  const chunkRaw = rankWeights(
    Array.from({ length: n }, (_, i) => chunkScores[i] ?? null),
    opts.rule,
  );
  const chunking = opts.chunkingShare > 0 ? normalised(chunkRaw) : null;
  // a mechanism without any score gives its share to the other, so weights are never withheld for it
  const rs = ranking ? opts.rankingShare : 0;
  const cs = chunking ? opts.chunkingShare : 0;
  if (rs + cs === 0) return null;
  return Array.from({ length: n }, (_, i) => (rs * (ranking?.[i] ?? 0) + cs * (chunking?.[i] ?? 0)) / (rs + cs));
}

/**
 * True when weights are due: not at step 0 and `block − lastUpdate[own uid] > epochLength`.
 */
export function weightsDue(block: number, lastUpdate: number, epochLength: number, step: number): boolean {
  return step > 0 && block - lastUpdate > epochLength;
}

/** Dojo TS `spec_version` (`1000·major + 10·minor + patch`) used as `version_key`. */
export function specVersion(version: string): number {
  const [major, minor, patch] = version.split('.').map((p) => Number.parseInt(p, 10));
  return 1000 * (major ?? 0) + 10 * (minor ?? 0) + (patch ?? 0);
}

/**
 * Emits the combined weights.
 * @returns the chain's result, or null when nothing was emitted (no score yet)
 */
export async function setWeights(
  chain: Chain,
  signer: ChainSigner,
  netuid: number,
  weights: readonly number[] | null,
  versionKey: number,
  log: Logger,
): Promise<TxResult | null> {
  if (weights === null) {
    log.error('no non-zero score: weights not set');
    return null;
  }
  const uids = weights.map((_, uid) => uid);
  const res = await chain.emitWeights(signer, netuid, uids, [...weights], versionKey);
  if (res.ok) log.info({ netuid, blockHash: res.blockHash, skipped: res.skipped }, 'weights set');
  else log.warn({ netuid, error: res.error }, 'setting weights failed');
  return res;
}
