import { ScoringInputError } from '../errors.js';

/**
 * Folds a group's global ranks into the moving average of rank (chunking.md §9; lower is better): a uid with no
 * score joins at its rank (K4), otherwise `α·global + (1 − α)·score`.
 * @param scores - score per uid, null = no score (not mutated).
 * @param uids - the group's uids.
 * @param ranks - their global ranks (from `globalRanks`), same length.
 * @param alpha - weight of the new rank. @defaultValue 0.15
 * @returns the new score vector.
 * @throws {ScoringInputError} on a length mismatch, bad alpha or unknown uid.
 * @example
 * updateRankScores([null, 4], [0, 1], [2, 0]); // [2, 3.4]
 */
export function updateRankScores(
  scores: readonly (number | null)[],
  uids: readonly number[],
  ranks: readonly number[],
  alpha = 0.15,
): (number | null)[] {
  if (uids.length !== ranks.length)
    throw new ScoringInputError('DOJO_SCORING_LENGTH_MISMATCH', 'uids and ranks differ in length');
  if (!(alpha >= 0 && alpha <= 1))
    throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `alpha must be in [0, 1], got ${alpha}`);
  const next = scores.slice();
  uids.forEach((uid, i) => {
    if (!(uid >= 0 && uid < next.length))
      throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `unknown uid ${uid}`);
    const g = ranks[i] as number;
    const prev = next[uid];
    next[uid] = prev == null ? g : alpha * g + (1 - alpha) * prev;
  });
  return next;
}

/**
 * Carries rank scores over a metagraph resync (chunking.md §9): unchanged hotkeys keep their score; replaced and new
 * uids get no score (null); a shrunk metagraph drops the tail.
 * @param prevHotkeys - hotkeys by uid before.
 * @param scores - scores by uid before.
 * @param nextHotkeys - hotkeys by uid now.
 * @returns scores for the new metagraph.
 */
export function resyncRankScores(
  prevHotkeys: readonly string[],
  scores: readonly (number | null)[],
  nextHotkeys: readonly string[],
): (number | null)[] {
  return nextHotkeys.map((hk, uid) => (prevHotkeys[uid] === hk ? (scores[uid] ?? null) : null));
}
