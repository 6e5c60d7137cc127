import { ScoringInputError } from './errors.js';

/** Result of {@link rewardsFromScores}. */
export interface UidRewards {
  /** Reward per uid; uids not in the request get 0. */
  rewards: number[];
  /** Hotkeys that are not in the metagraph (skipped). */
  unknownHotkeys: string[];
  /** Hotkeys whose score was NaN (treated as 0; the caller logs a warning). */
  nanHotkeys: string[];
}

/**
 * Spreads a request's `hotkeyToScore` over the uid vector (dojo.md §11.3): unknown hotkeys are skipped, NaN → 0.
 * @param hotkeyToScore - per-request scores.
 * @param hotkeys - metagraph hotkeys indexed by uid.
 * @returns the reward vector and what was skipped or zeroed.
 * @example
 * rewardsFromScores({ b: 0.4 }, ['a', 'b']).rewards; // [0, 0.4]
 */
export function rewardsFromScores(
  hotkeyToScore: Readonly<Record<string, number>>,
  hotkeys: readonly string[],
): UidRewards {
  const uidOf = new Map<string, number>();
  hotkeys.forEach((hk, uid) => {
    if (!uidOf.has(hk)) uidOf.set(hk, uid);
  });
  const rewards = new Array<number>(hotkeys.length).fill(0);
  const unknownHotkeys: string[] = [];
  const nanHotkeys: string[] = [];
  for (const [hk, p] of Object.entries(hotkeyToScore)) {
    const uid = uidOf.get(hk);
    if (uid === undefined) {
      unknownHotkeys.push(hk);
      continue;
    }
    if (Number.isNaN(p)) nanHotkeys.push(hk);
    rewards[uid] = Number.isNaN(p) ? 0 : p;
  }
  return { rewards, unknownHotkeys, nanHotkeys };
}

/**
 * Exponential moving average over the whole uid vector: `α·rewards + (1 − α)·prev` (D9; α weights the new value).
 * @param prev - previous scores by uid.
 * @param rewards - new rewards by uid, same length.
 * @param alpha - weight of the new value in [0, 1]. @defaultValue 0.3
 * @returns the new scores (a new array).
 * @throws {ScoringInputError} DOJO_SCORING_LENGTH_MISMATCH or DOJO_SCORING_INVALID_INPUT.
 * @example
 * ema([0, 1], [1, 1], 0.3); // [0.3, 1]
 */
export function ema(prev: readonly number[], rewards: readonly number[], alpha = 0.3): number[] {
  if (prev.length !== rewards.length) {
    throw new ScoringInputError(
      'DOJO_SCORING_LENGTH_MISMATCH',
      `ema needs equal lengths, got ${prev.length} and ${rewards.length}`,
    );
  }
  if (!(alpha >= 0 && alpha <= 1))
    throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `alpha must be in [0, 1], got ${alpha}`);
  return prev.map((p, i) => alpha * (rewards[i] as number) + (1 - alpha) * p);
}

/**
 * Carries scores over a metagraph change (dojo.md §11.3 `resyncMetagraph`): unchanged list → same scores; otherwise a
 * zero vector of the new size keeping the score of every uid whose hotkey is unchanged (replaced and new uids get 0).
 * @param prevHotkeys - hotkeys by uid before.
 * @param prevScores - scores by uid before, same length.
 * @param nextHotkeys - hotkeys by uid now.
 * @returns the scores for the new metagraph.
 * @throws {ScoringInputError} DOJO_SCORING_LENGTH_MISMATCH.
 * @example
 * resyncScores(['a', 'b'], [0.5, 0.2], ['a', 'c', 'd']); // [0.5, 0, 0]
 */
export function resyncScores(
  prevHotkeys: readonly string[],
  prevScores: readonly number[],
  nextHotkeys: readonly string[],
): number[] {
  if (prevHotkeys.length !== prevScores.length) {
    throw new ScoringInputError('DOJO_SCORING_LENGTH_MISMATCH', 'prevHotkeys and prevScores differ in length');
  }
  return nextHotkeys.map((hk, uid) => (prevHotkeys[uid] === hk ? (prevScores[uid] as number) : 0));
}
