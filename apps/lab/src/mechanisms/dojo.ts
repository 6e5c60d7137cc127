import {
  auditVerdict,
  consensus,
  ema,
  mulberry32,
  type Rng,
  rewardsFromScores,
  selectForAudit,
} from '@dojo-ts/scoring';
import type { DojoModel } from './config.js';
import { makeRequest, vocabulary } from './documents.js';
import { expandPool, type SimMiner } from './pool.js';
import { hashSeed } from './random.js';
import { DEFAULT_HF_MODEL, type DojoReply, dojoDefaultCost, dojoReply, modelAnswer } from './strategies/dojo.js';
import { type MinerStats, type StrategyReport, strategyReport } from './strategy-report.js';
import { upstreamConsensus } from './upstream-rules.js';
import { loadProcessWeights, processRawWeights, type WeightsRecord } from './weights.js';

/** Result of a mechanism run (see `runMechanism`). */
export interface MechanismResult {
  events: Array<Record<string, unknown>>;
  weights: WeightsRecord[];
  report: StrategyReport;
}

function accuracyOf(model: DojoModel, r: DojoReply): number {
  if (r.method === 'aws_mturk') return 1;
  const key = r.method === 'hf_model' ? `hf_model:${r.model}` : `llm_api:togetherai:${r.model}`;
  return model.accuracy[key] ?? 1; // D10: no cached value → neutral 1
}

/** MTurk verification (dojo.md §9.2, D12) as the simulation sees it: environment pinned to production, ≥ min workers. */
function mturkVerified(model: DojoModel, r: DojoReply): boolean {
  if (r.method !== 'aws_mturk' || model.verification === 'upstream') return true;
  const m = r.mturk;
  return !!m && m.environment === 'production' && m.distinctWorkers >= model.scoring.min_workers;
}

/**
 * Runs the Dojo ranking mechanism (lab.md §9.2) over `nRounds` requests with a simulated pool: every miner answers
 * every request, MTurk replies are verified (product) or accepted (upstream), hf/llm replies are audited with
 * `audit_fraction` (re-score = the declared model's honest answer), the consensus is the real `consensus` of
 * @dojo-ts/scoring (or the upstream variant), then `rewardsFromScores` → `ema`, and every `weightsEvery` rounds the
 * weights go through `normalizeWeights` and the chain's `processWeightsForNetuid`.
 * @param model - the validated model.
 * @param query - `{n_rounds, weights_every}`.
 * @param ctx - seed, optional RNG and data rows.
 * @returns events, weights and the strategy report.
 */
export async function runDojo(
  model: DojoModel,
  query: { n_rounds: number; weights_every: number },
  ctx: { seed: number; rng?: () => number; data?: Array<Record<string, unknown>> },
): Promise<MechanismResult> {
  if (
    model.quality === 'preference' &&
    !ctx.data?.some((r) => typeof r.chosen === 'string' && typeof r.rejected === 'string')
  ) {
    const { LabConfigError } = await import('../errors.js');
    throw new LabConfigError('model.quality: preference needs data rows with chosen and rejected texts');
  }
  const process = await loadProcessWeights();
  const rng: Rng = ctx.rng ? { next: ctx.rng } : mulberry32(ctx.seed);
  const auditRng = mulberry32(hashSeed(ctx.seed, 'audit'));
  const miners: SimMiner[] = expandPool(model.pool.strategies, dojoDefaultCost);
  const n = miners.length;
  const hotkeys = miners.map((m) => m.hotkey);
  const stats: MinerStats[] = miners.map((m) => ({
    uid: m.uid,
    strategy: m.strategy,
    cost: m.cost,
    queried: 0,
    failures: 0,
    rewardSum: 0,
    rankSum: 0,
    rounds: 0,
    finalScore: 0,
  }));
  const vocab = vocabulary(mulberry32(hashSeed(ctx.seed, 'vocab')), 200);
  let scores = new Array<number>(n).fill(0);
  const events: Array<Record<string, unknown>> = [];
  const weights: WeightsRecord[] = [];
  const product = model.consensus_rule === 'product';

  for (let round = 0; round < query.n_rounds; round++) {
    const request = makeRequest(rng, round, model.completions_per_request, vocab, ctx.data);
    const cids = request.completions.map((c) => c.cid);
    const answers = new Map<string, Record<string, number>>();
    const answer = (m: string) => {
      let a = answers.get(m);
      if (!a) {
        a = modelAnswer(ctx.seed, request, m);
        answers.set(m, a);
      }
      return a;
    };
    // honest replies first: copycats and fabricators relay them
    const replies = new Array<DojoReply>(n);
    const input = { seed: ctx.seed, request, rng, modelAnswer: answer, honestMean: () => mean };
    let mean: Record<string, number> = {};
    for (const m of miners) if (m.strategy === 'honest') replies[m.uid] = dojoReply(m, input);
    const honest = miners.filter((m) => m.strategy === 'honest').map((m) => replies[m.uid] as DojoReply);
    mean = Object.fromEntries(
      cids.map((cid) => [
        cid,
        honest.length > 0
          ? honest.reduce((s, r) => s + (r.scores[cid] ?? 0), 0) / honest.length
          : (answer(DEFAULT_HF_MODEL)[cid] as number),
      ]),
    );
    for (const m of miners) if (m.strategy !== 'honest') replies[m.uid] = dojoReply(m, input);

    const rejected = replies.filter((r) => !mturkVerified(model, r)).map((r) => r.hotkey);
    const accepted = replies.filter((r) => mturkVerified(model, r));
    const audited =
      model.scoring.audit_fraction > 0 ? selectForAudit(accepted, auditRng, model.scoring.audit_fraction) : [];
    const auditFailed: string[] = [];
    for (const hk of audited) {
      const r = accepted.find((x) => x.hotkey === hk) as DojoReply;
      const v = auditVerdict(r.scores, answer(r.model), cids, model.scoring.audit_min_spearman);
      if (!v.passed) auditFailed.push(hk);
    }
    const acc = Object.fromEntries(accepted.map((r) => [r.hotkey, accuracyOf(model, r)]));
    const result = product
      ? consensus(
          accepted.map((r) => ({ hotkey: r.hotkey, method: r.method, scores: r.scores })),
          { accuracy: acc, humanBoost: model.scoring.human_feedback_boost, cids, excluded: auditFailed },
        )
      : upstreamConsensus(
          accepted.filter((r) => !auditFailed.includes(r.hotkey)),
          cids,
          acc,
          model.scoring.human_feedback_boost,
        );
    for (const hk of auditFailed) result.hotkeyToScore[hk] = 0;
    const { rewards } = rewardsFromScores(result.hotkeyToScore, hotkeys);
    scores = ema(scores, rewards, model.scoring.moving_average_alpha);

    const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
    const position = new Array<number>(n);
    order.forEach((uid, k) => {
      position[uid] = k;
    });
    const failed = new Set([...rejected, ...auditFailed]);
    for (const m of miners) {
      const st = stats[m.uid] as MinerStats;
      st.queried++;
      st.rounds++;
      st.rewardSum += rewards[m.uid] as number;
      st.rankSum += position[m.uid] as number;
      if (failed.has(m.hotkey)) st.failures++;
    }
    events.push({
      round,
      mechanism: 'dojo',
      rule: model.consensus_rule,
      verification: model.verification,
      request_id: request.id,
      uids: miners.map((m) => m.uid),
      strategies: miners.map((m) => m.strategy),
      rewards,
      spearman: miners.map((m) => result.hotkeyToSpearman[m.hotkey] ?? null),
      audited: audited.map((hk) => hotkeys.indexOf(hk)),
      audit_failed: auditFailed.map((hk) => hotkeys.indexOf(hk)),
      verification_failed: rejected.map((hk) => hotkeys.indexOf(hk)),
      scores: [...scores],
    });
    if ((round + 1) % query.weights_every === 0 || round === query.n_rounds - 1) {
      const rec = processRawWeights(process, round, scores, model.chain);
      if (rec) weights.push(rec);
    }
  }
  stats.forEach((s) => {
    s.finalScore = scores[s.uid] as number;
  });
  return { events, weights, report: strategyReport(stats, weights) };
}
