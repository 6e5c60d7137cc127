import {
  buildRankings,
  type ChunkTask,
  type Embedder,
  globalRanks,
  mulberry32,
  pickGroup,
  prepareDocument,
  type Rng,
  rankResponses,
  rankWeights,
  resyncRankScores,
  rewardV1,
  rewardV11,
  sentTokenize,
  tournamentGroups,
  updateRankScores,
} from '@dojo-ts/scoring';
import type { ChunkingModel } from './config.js';
import { syntheticDocument } from './documents.js';
import type { MechanismResult } from './dojo.js';
import { expandPool, type SimMiner } from './pool.js';
import { hashSeed } from './random.js';
import { type ChunkReply, chunkingDefaultCost, chunkReply } from './strategies/chunking.js';
import { type MinerStats, strategyReport } from './strategy-report.js';
import { updateChunkScores } from './upstream-rules.js';
import { loadProcessWeights, processRawWeights, type WeightsRecord } from './weights.js';

let embedderPromise: Promise<Embedder> | undefined;
function deterministicEmbedder(): Promise<Embedder> {
  embedderPromise ??= import('@dojo-ts/models').then((m) => m.createDeterministicEmbedder());
  return embedderPromise;
}

function documentsFrom(model: ChunkingModel, seed: number, data?: Array<Record<string, unknown>>): string[] {
  const rows = (data ?? [])
    .map((r) => r.text ?? r.document ?? r.extract)
    .filter((t): t is string => typeof t === 'string' && t.trim().length > 0);
  if (rows.length > 0) return rows;
  const rng = mulberry32(hashSeed(seed, 'documents'));
  const { count, min_sentences: lo, max_sentences: hi } = model.documents;
  return Array.from({ length: count }, () => syntheticDocument(rng, lo + Math.floor(rng.next() * (hi - lo + 1))));
}

/**
 * Runs the chunking mechanism (lab.md §9.3): each round picks a tournament group (`tournamentGroups`/`pickGroup`),
 * every group member answers the document under its strategy, rewards come from the real `rewardV1`/`rewardV11`
 * with the deterministic embedder (`time_soft_max` from the task, or from the response with
 * `time_soft_max_source: response`), local ranks → score update (product: `globalRanks` + `updateRankScores`;
 * upstream: failures skipped, newcomers at α·rank), and every `weights_every` rounds `rankWeights` → normalise →
 * `processWeightsForNetuid`. `replaced_hotkey` miners re-register every `every` rounds (product: `resyncRankScores`
 * gives no score; upstream: score 0, the best).
 * @returns events, weights and the strategy report (final EMA = mean rank score, lower is better).
 */
export async function runChunking(
  model: ChunkingModel,
  query: { n_rounds: number; weights_every: number },
  ctx: { seed: number; rng?: () => number; data?: Array<Record<string, unknown>> },
): Promise<MechanismResult> {
  const process = await loadProcessWeights();
  const embedder = await deterministicEmbedder();
  const rng: Rng = ctx.rng ? { next: ctx.rng } : mulberry32(ctx.seed);
  const miners: SimMiner[] = expandPool(model.pool.strategies, chunkingDefaultCost);
  const n = miners.length;
  let hotkeys = miners.map((m) => m.hotkey);
  const docs = documentsFrom(model, ctx.seed, ctx.data);
  const prepared = new Map<string, { sentences: string[]; prep: ReturnType<typeof prepareDocument> }>();
  const stats: MinerStats[] = miners.map((m) => ({
    uid: m.uid,
    strategy: m.strategy,
    cost: m.cost,
    queried: 0,
    failures: 0,
    rewardSum: 0,
    rankSum: 0,
    rounds: 0,
    finalScore: null,
  }));
  let scores: (number | null)[] = new Array(n).fill(null);
  const events: Array<Record<string, unknown>> = [];
  const weights: WeightsRecord[] = [];
  const productUpdate = model.failure_rule === 'last' && model.newcomer_rule === 'first_rank';
  const registrations = new Array<number>(n).fill(0);

  for (let round = 0; round < query.n_rounds; round++) {
    // hotkey replacement (E3): the uid is re-registered under a fresh hotkey
    const replaced: number[] = [];
    for (const m of miners) {
      const every = typeof m.args.every === 'number' ? m.args.every : 10;
      if (m.strategy === 'replaced_hotkey' && round > 0 && round % every === 0) replaced.push(m.uid);
    }
    if (replaced.length > 0) {
      const next = hotkeys.slice();
      for (const uid of replaced) {
        registrations[uid] = (registrations[uid] as number) + 1;
        next[uid] = `${miners[uid]?.hotkey}-r${registrations[uid]}`;
      }
      scores =
        model.newcomer_rule === 'upstream_prior0'
          ? scores.map((s, uid) => (replaced.includes(uid) ? 0 : s))
          : resyncRankScores(hotkeys, scores, next);
      hotkeys = next;
    }

    const rankings = buildRankings(scores);
    const groups = tournamentGroups(rankings, model.tournament.sample_size);
    const gi = pickGroup(groups, rng);
    const group = groups[gi] as { offset: number; uids: number[] };
    const document = docs[Math.floor(rng.next() * docs.length)] as string;
    let p = prepared.get(document);
    if (!p) {
      p = { sentences: sentTokenize(document), prep: prepareDocument(document) };
      prepared.set(document, p);
    }
    const task: ChunkTask = {
      document,
      chunk_size: model.task.chunk_size,
      time_soft_max: model.task.time_soft_max,
    };
    const input = {
      round,
      document,
      sentences: p.sentences,
      chunkSize: task.chunk_size,
      timeSoftMax: model.task.time_soft_max,
      rng,
      topReply: (): ChunkReply => {
        // the best-ranked miner that is not itself a relay (a pool of only relays falls back to honest chunks)
        const uid = rankings.find((u) => miners[u]?.strategy !== 'copycat');
        const top = uid === undefined ? { ...(miners[0] as SimMiner), strategy: 'honest' } : (miners[uid] as SimMiner);
        return chunkReply(top, input);
      },
    };
    const replies = group.uids.map((uid) => chunkReply(miners[uid] as SimMiner, input));
    const rewards: number[] = [];
    for (const r of replies) {
      const timedOut = r.latencyS > model.task.timeout;
      const t: ChunkTask = model.time_soft_max_source === 'response' ? { ...task, time_soft_max: r.timeSoftMax } : task;
      const resp = { chunks: timedOut ? null : r.chunks, processTimeS: timedOut ? null : r.latencyS };
      rewards.push(
        model.reward.variant === 'v1.1'
          ? (await rewardV11(t, resp, embedder, model.reward.num_embeddings, rng, p.prep)).reward
          : await rewardV1(t, resp, embedder, model.reward.num_embeddings, rng, p.prep),
      );
    }
    const local = rankResponses(rewards);
    scores = productUpdate
      ? updateRankScores(scores, group.uids, globalRanks(local, group.offset), model.tournament.moving_average_alpha)
      : updateChunkScores(
          scores,
          group.uids,
          local,
          group.offset,
          model.tournament.moving_average_alpha,
          model.failure_rule,
          model.newcomer_rule,
        );

    const after = buildRankings(scores);
    after.forEach((uid, k) => {
      const st = stats[uid] as MinerStats;
      st.rounds++;
      st.rankSum += k;
    });
    group.uids.forEach((uid, i) => {
      const st = stats[uid] as MinerStats;
      st.queried++;
      st.rewardSum += rewards[i] as number;
      if (!((rewards[i] as number) > 0)) st.failures++;
    });
    events.push({
      round,
      mechanism: 'chunking',
      failure_rule: model.failure_rule,
      newcomer_rule: model.newcomer_rule,
      time_soft_max_source: model.time_soft_max_source,
      group: gi,
      offset: group.offset,
      uids: group.uids,
      strategies: group.uids.map((u) => miners[u]?.strategy),
      rewards,
      local_ranks: local,
      num_chunks: replies.map((r) => r.chunks?.length ?? 0),
      process_time: replies.map((r) => r.latencyS),
      replaced,
      scores: [...scores],
    });
    if ((round + 1) % query.weights_every === 0 || round === query.n_rounds - 1) {
      const rec = processRawWeights(process, round, rankWeights(scores, model.weights_rule), model.chain);
      if (rec) weights.push(rec);
    }
  }
  stats.forEach((s) => {
    s.finalScore = scores[s.uid] ?? null;
  });
  return { events, weights, report: strategyReport(stats, weights) };
}
