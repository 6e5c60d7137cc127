import { softmax, spearman } from '@dojo-ts/scoring';
import type { DojoReply } from './strategies/dojo.js';

/**
 * Upstream (launch, tag A) consensus of one request, as a reference variant (dojo.md §16 #2, #9, #15, #24):
 * raw scores with no per-method normalisation (MTurk's 1..10 mixes with 0..1, so MTurk replies dominate the mean),
 * Spearman against the mean, the 1.2 boost applied to ρ but never firing (the MTurk reply's `scoring_method` stayed
 * None), `s = 0.5·(ρ + 1)·acc`, softmax, then accuracy applied a second time. MTurk replies get accuracy 1 here
 * (upstream raised on accuracy 0 and aborted the whole job; the lab keeps the job alive to measure the rest).
 * @param replies - accepted replies (no audit, no verification upstream).
 * @param cids - the request's cids in order.
 * @param acc - accuracy multiplier per hotkey (missing → 1).
 * @param boost - the configured boost (never applied: kept to document the dead code path).
 * @returns per-hotkey reward and ρ.
 */
export function upstreamConsensus(
  replies: readonly DojoReply[],
  cids: readonly string[],
  acc: Readonly<Record<string, number>>,
  boost = 1.2,
): { hotkeyToScore: Record<string, number>; hotkeyToSpearman: Record<string, number> } {
  const present = cids.filter((cid) => replies.some((r) => r.scores[cid] !== undefined));
  const c = present.map((cid) => {
    let s = 0;
    let n = 0;
    for (const r of replies) {
      const v = r.scores[cid];
      if (v !== undefined) {
        s += v;
        n++;
      }
    }
    return s / n;
  });
  const hotkeyToSpearman: Record<string, number> = {};
  const s = replies.map((r) => {
    let rho =
      present.length < 2
        ? Number.NaN
        : spearman(
            present.map((cid) => r.scores[cid] ?? 0),
            c,
          );
    if (Number.isNaN(rho)) rho = 0;
    const methodSeenByUpstream: string | null = r.method === 'aws_mturk' ? null : r.method;
    if (methodSeenByUpstream === 'aws_mturk') rho *= boost; // never true: the bug of dojo.md §16 #2 / #24
    hotkeyToSpearman[r.hotkey] = rho;
    return 0.5 * (rho + 1) * (acc[r.hotkey] ?? 1);
  });
  const p = s.length > 0 ? softmax(s) : [];
  const hotkeyToScore: Record<string, number> = {};
  replies.forEach((r, i) => {
    hotkeyToScore[r.hotkey] = (p[i] as number) * (acc[r.hotkey] ?? 1);
  });
  return { hotkeyToScore, hotkeyToSpearman };
}

/**
 * Upstream chunking score update (chunking.md §7, §9, E1, E3): failed responses (local rank −1) are skipped when
 * `failureRule` is `upstream` and keep their old score; a miner without a score gets `α·rank` (prior 0) when
 * `newcomerRule` is `upstream_prior0`. With both product rules this equals `globalRanks` + `updateRankScores`.
 * @returns the new score vector (lower is better, null = no score).
 */
export function updateChunkScores(
  scores: readonly (number | null)[],
  uids: readonly number[],
  localRanks: readonly number[],
  offset: number,
  alpha: number,
  failureRule: 'last' | 'upstream',
  newcomerRule: 'first_rank' | 'upstream_prior0',
): (number | null)[] {
  const next = scores.slice();
  const last = offset + uids.length - 1;
  uids.forEach((uid, i) => {
    const local = localRanks[i] as number;
    if (local < 0 && failureRule === 'upstream') return;
    const g = local < 0 ? last : local + offset;
    const prev = next[uid];
    if (prev == null) next[uid] = newcomerRule === 'upstream_prior0' ? alpha * g : g;
    else next[uid] = alpha * g + (1 - alpha) * prev;
  });
  return next;
}
