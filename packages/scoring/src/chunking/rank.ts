/**
 * Local ranks of a group's rewards (chunking.md §7, upstream v1.0.0 shape): positive rewards ranked 0, 1, 2, …
 * by descending reward, ties to the earlier position; zero, negative or NaN rewards (failures) get −1 ("not
 * ranked"). The input is not mutated. Use {@link globalRanks} to turn −1 into "last in group" (K3).
 * @param rewards - the group's rewards in query order.
 * @returns one local rank per reward.
 * @example
 * rankResponses([0.00392112, 0.00406185, 0.00398069, 0.00400092]); // [3, 0, 2, 1]
 */
export function rankResponses(rewards: readonly number[]): number[] {
  const ranks = new Array<number>(rewards.length).fill(-1);
  const ok: number[] = [];
  for (let i = 0; i < rewards.length; i++) if ((rewards[i] as number) > 0) ok.push(i);
  // stable sort: equal rewards keep group order
  ok.sort((a, b) => (rewards[b] as number) - (rewards[a] as number));
  ok.forEach((idx, r) => {
    ranks[idx] = r;
  });
  return ranks;
}

/**
 * Global ranks of a group (chunking.md §7): `local + offset`, and every failed (−1) local rank becomes the group's
 * last position `offset + g − 1` (K3) so that failures update the score like any rank.
 * @param localRanks - output of {@link rankResponses}.
 * @param offset - position in `rankings` where the group starts.
 * @returns one global rank per group member.
 * @example
 * globalRanks([1, -1, 0], 12); // [13, 14, 12]
 */
export function globalRanks(localRanks: readonly number[], offset: number): number[] {
  const last = offset + localRanks.length - 1;
  return localRanks.map((r) => (r < 0 ? last : r + offset));
}
