import { shareByUid, type WeightsRecord } from './weights.js';

/** Per-miner statistics collected by a mechanism run. */
export interface MinerStats {
  uid: number;
  strategy: string;
  cost: number;
  /** Requests the miner was queried for. */
  queried: number;
  /** Queried requests that ended in an audit/verification failure (dojo) or a zero reward (chunking). */
  failures: number;
  /** Sum of per-request rewards (dojo: softmax score p; chunking: the chunk reward). */
  rewardSum: number;
  /** Sum over rounds of the miner's position in the score order (0 = best). */
  rankSum: number;
  rounds: number;
  /** Final moving-average score (dojo: EMA, higher is better; chunking: rank average, lower is better; null = none). */
  finalScore: number | null;
}

/** One strategy's row of the report (lab.md §9.4). */
export interface StrategyRow {
  strategy: string;
  miners: number;
  cost: number;
  mean_reward: number;
  final_ema: number | null;
  final_weight_share: number;
  time_avg_weight_share: number;
  /** Time-averaged weight share per miner: the payoff compared across strategies. */
  share_per_miner: number;
  final_share_per_miner: number;
  mean_rank: number;
  failure_rate: number;
  /** share_per_miner / cost; Infinity ("unbounded") for a zero-cost strategy with non-zero weight. */
  return_on_cost: number;
  /** share per miner ≥ the reference's, or return on cost ≥ the reference's (lab.md §9.4). */
  pays: boolean;
  /** share per miner strictly above the reference's (relative tolerance 1e-9). */
  beats_reference: boolean;
}

/** The strategy report of one mechanism run. */
export interface StrategyReport {
  /** The reference strategy (`honest`), or null when the pool has none. */
  reference: string | null;
  rows: StrategyRow[];
  /** Weight share per strategy at each weights call (the "weight share over rounds" chart). */
  series: Array<{ round: number; shares: Record<string, number> }>;
}

/**
 * Builds the lab.md §9.4 strategy report: per strategy the mean per-request reward, final EMA, final and
 * time-averaged weight share (of the processed weights), mean rank, failure rate, return on cost and whether it pays
 * against the reference strategy.
 * @param miners - per-miner statistics.
 * @param weights - the weights calls of the run (after `processWeightsForNetuid`).
 * @param reference - reference strategy. @defaultValue 'honest'
 * @returns the report (rows in first-appearance order).
 */
export function strategyReport(
  miners: readonly MinerStats[],
  weights: readonly WeightsRecord[],
  reference = 'honest',
): StrategyReport {
  const n = miners.length;
  const order: string[] = [];
  for (const m of miners) if (!order.includes(m.strategy)) order.push(m.strategy);
  const shares = weights.map((w) => shareByUid(w, n));
  const series = weights.map((w, i) => {
    const s: Record<string, number> = Object.fromEntries(order.map((k) => [k, 0]));
    for (const m of miners) s[m.strategy] = (s[m.strategy] as number) + ((shares[i] as number[])[m.uid] as number);
    return { round: w.round, shares: s };
  });
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const rows = order.map((strategy): StrategyRow => {
    const ms = miners.filter((m) => m.strategy === strategy);
    const queried = ms.reduce((a, m) => a + m.queried, 0);
    const perSeries = series.map((p) => p.shares[strategy] as number);
    const timeAvg = mean(perSeries);
    const final = perSeries.length > 0 ? (perSeries[perSeries.length - 1] as number) : 0;
    const finals = ms.map((m) => m.finalScore).filter((x): x is number => x !== null);
    const cost = mean(ms.map((m) => m.cost));
    const spm = timeAvg / ms.length;
    return {
      strategy,
      miners: ms.length,
      cost,
      mean_reward: queried === 0 ? 0 : ms.reduce((a, m) => a + m.rewardSum, 0) / queried,
      final_ema: finals.length === 0 ? null : mean(finals),
      final_weight_share: final,
      time_avg_weight_share: timeAvg,
      share_per_miner: spm,
      final_share_per_miner: final / ms.length,
      mean_rank:
        ms.reduce((a, m) => a + m.rankSum, 0) /
        Math.max(
          1,
          ms.reduce((a, m) => a + m.rounds, 0),
        ),
      failure_rate: queried === 0 ? 0 : ms.reduce((a, m) => a + m.failures, 0) / queried,
      return_on_cost: cost > 0 ? spm / cost : spm > 0 ? Number.POSITIVE_INFINITY : 0,
      pays: false,
      beats_reference: false,
    };
  });
  const ref = rows.find((r) => r.strategy === reference) ?? null;
  if (ref) {
    for (const r of rows) {
      r.pays = r.share_per_miner >= ref.share_per_miner * (1 - 1e-9) || r.return_on_cost >= ref.return_on_cost;
      r.beats_reference = r.share_per_miner > ref.share_per_miner * (1 + 1e-9);
    }
  }
  return { reference: ref ? reference : null, rows, series };
}

/** Formats a return on cost for tables and JSON (`unbounded` for a zero-cost strategy with weight). */
export function formatReturnOnCost(x: number): string {
  return x === Number.POSITIVE_INFINITY ? 'unbounded' : x.toFixed(4);
}
