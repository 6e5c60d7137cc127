import { ScoringInputError } from '../errors.js';
import type { Rng } from '../rng.js';

/** One tournament window: the uids at rank positions `[offset, offset + uids.length)`. */
export interface TournamentGroup {
  offset: number;
  uids: number[];
}

/**
 * Orders uids best → worst (chunking.md §8): score ascending (lower is better), ties by uid, then uids without a
 * score by uid.
 * @param scores - score per uid, null = no score yet.
 * @returns the uids in rank order.
 * @example
 * buildRankings([2, null, 0.5, 2]); // [2, 0, 3, 1]
 */
export function buildRankings(scores: readonly (number | null)[]): number[] {
  const uids = scores.map((_, uid) => uid);
  return uids.sort((a, b) => {
    const sa = scores[a];
    const sb = scores[b];
    if (sa == null || sb == null) return sa == null && sb == null ? a - b : sa == null ? 1 : -1;
    return sa - sb || a - b;
  });
}

/**
 * Overlapping windows over the rankings (chunking.md §8): size `min(n, sampleSize)`, stride `max(1, floor(size/2))`
 * (12 for 25); the last window is extended to n so the tail ranks are reachable; n < 2 gives one group of all uids.
 * @param rankings - uids best → worst.
 * @param sampleSize - `--neuron.sample_size`. @defaultValue 25
 * @returns the groups in order.
 * @throws {ScoringInputError} DOJO_SCORING_INVALID_INPUT when sampleSize < 1.
 * @example
 * tournamentGroups([0, 1, 2, 3, 4], 2).map((g) => g.uids); // [[0, 1], [1, 2], [2, 3], [3, 4]]
 */
export function tournamentGroups(rankings: readonly number[], sampleSize = 25): TournamentGroup[] {
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new ScoringInputError(
      'DOJO_SCORING_INVALID_INPUT',
      `sampleSize must be a positive integer, got ${sampleSize}`,
    );
  }
  const n = rankings.length;
  if (n < 2) return [{ offset: 0, uids: [...rankings] }];
  const size = Math.min(n, sampleSize);
  const step = Math.max(1, Math.floor(size / 2));
  const groups: TournamentGroup[] = [];
  for (let s = 0; s + size <= n; s += step) groups.push({ offset: s, uids: rankings.slice(s, s + size) });
  const last = groups[groups.length - 1] as TournamentGroup;
  if (last.offset + last.uids.length < n) last.uids = rankings.slice(last.offset);
  return groups;
}

/**
 * Chooses the group to query (chunking.md §8): the group containing the first listed organic uid found in any
 * group (group 0 included), else a uniformly random group.
 * @param groups - output of {@link tournamentGroups}.
 * @param rng - injected generator.
 * @param organicUids - uids requested by an organic task, if any.
 * @returns the index of the chosen group.
 */
export function pickGroup(groups: readonly TournamentGroup[], rng: Rng, organicUids?: readonly number[]): number {
  for (const uid of organicUids ?? []) {
    const i = groups.findIndex((g) => g.uids.includes(uid));
    if (i >= 0) return i;
  }
  return Math.floor(rng.next() * groups.length);
}
