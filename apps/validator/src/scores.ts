/**
 * Scoring one request at its deadline (dojo.md §10–§11): drop pending MTurk replies, audit a seeded fraction of
 * model replies, consensus × accuracy → per-request softmax. Pure apart from the injected re-scorer; the EMA is
 * applied by the store's scoring transaction.
 */
import {
  accuracyKey,
  auditVerdict,
  type ConsensusResponse,
  type ConsensusResult,
  consensus,
  dedupeResponses,
  mulberry32,
  selectForAudit,
} from '@dojo-ts/scoring';
import type { HistoryRecord, RequestEntry, StoredReply, StoredRequest } from './store/types.js';

/**
 * Re-scores every completion of a request with a declared model (audit, §10 step 2).
 * Returns null when the validator has no access to that model (the reply passes unaudited).
 */
export type Rescorer = (
  request: StoredRequest,
  method: 'hf_model' | 'llm_api',
  modelConfig: { provider: string | null; model_name: string },
) => Promise<Record<string, number> | null>;

/** Options of {@link scoreEntry}. */
export interface ScoreEntryOptions {
  /** `--scoring.human_feedback_boost`. */
  humanBoost: number;
  /** `--audit.fraction`. */
  auditFraction: number;
  /** `--audit.min_spearman`. */
  minSpearman: number;
  /** Accuracy per key (`hf_model:{model}`, `llm_api:{provider}:{model}`); missing → 1. */
  accuracy: Readonly<Record<string, number>>;
  /** Audit re-scorer; without one nothing is audited. */
  rescore?: Rescorer;
  /** Validator seed; the audit RNG is seeded from it and the request id, so a retried job audits the same replies. */
  seed: number;
  /** Unix ms for the history record. */
  nowMs: number;
}

/** What scoring one request produced. */
export interface ScoredEntry {
  consensus: ConsensusResult;
  /** Per-request score per participating hotkey (0 for audit-failed). */
  rewards: Record<string, number>;
  auditFailed: string[];
  audited: string[];
  hotkeyToAccuracy: Record<string, number>;
  history: HistoryRecord;
}

/** 32-bit FNV-1a of a string, used to derive per-request seeds. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function toConsensus(reply: StoredReply): ConsensusResponse {
  const scores: Record<string, number> = {};
  for (const r of reply.ranks) scores[r.cid] = r.score;
  return { hotkey: reply.hotkey, method: reply.scoring_method, scores };
}

/**
 * Scores one request entry.
 * @param entry - the stored request and replies
 * @param opts - boost, audit, accuracy cache, seed
 * @returns consensus, per-hotkey rewards, audit outcome and the history record
 */
export async function scoreEntry(entry: RequestEntry, opts: ScoreEntryOptions): Promise<ScoredEntry> {
  const cids = entry.request.completions.map((c) => c.cid);
  const scorable = dedupeResponses(
    entry.responses.filter((r) => r.ranks.length > 0).map((r) => ({ ...r, method: r.scoring_method })),
  );
  const rng = mulberry32((fnv1a32(entry.request.request_id) ^ opts.seed) >>> 0);
  const audited = opts.rescore
    ? selectForAudit(
        scorable.map((r) => ({ hotkey: r.hotkey, method: r.scoring_method })),
        rng,
        opts.auditFraction,
      )
    : [];
  const auditFailed: string[] = [];
  const rescoreCache = new Map<string, Record<string, number> | null>();
  for (const hotkey of audited) {
    const reply = scorable.find((r) => r.hotkey === hotkey);
    if (!reply?.model_config || reply.scoring_method === 'aws_mturk') continue;
    const key = accuracyKey(reply.scoring_method, reply.model_config) ?? '';
    if (!rescoreCache.has(key)) {
      rescoreCache.set(key, (await opts.rescore?.(entry.request, reply.scoring_method, reply.model_config)) ?? null);
    }
    const mine = rescoreCache.get(key);
    if (!mine) continue;
    const verdict = auditVerdict(toConsensus(reply).scores, mine, cids, opts.minSpearman);
    if (!verdict.passed) auditFailed.push(hotkey);
  }
  const hotkeyToAccuracy: Record<string, number> = {};
  for (const r of scorable) {
    const key = accuracyKey(r.scoring_method, r.model_config);
    const acc = key === null ? undefined : opts.accuracy[key];
    hotkeyToAccuracy[r.hotkey] = acc ?? 1;
  }
  const result = consensus(scorable.map(toConsensus), {
    accuracy: hotkeyToAccuracy,
    humanBoost: opts.humanBoost,
    cids,
    excluded: auditFailed,
  });
  const consensusScores = cids.map((c) => result.cidToConsensus[c] ?? null);
  let best: string | null = null;
  let bestScore = Number.NEGATIVE_INFINITY;
  entry.request.completions.forEach((c, i) => {
    const s = consensusScores[i];
    if (s !== null && s !== undefined && s > bestScore) {
      bestScore = s;
      best = c.text;
    }
  });
  const history: HistoryRecord = {
    request_id: entry.request.request_id,
    scored_at: opts.nowMs,
    modality: entry.request.modality,
    prompt: entry.request.prompt,
    num_completions: cids.length,
    consensus_scores: consensusScores,
    best_completion: best,
    num_responses: scorable.length,
    hotkey_to_score: result.hotkeyToScore,
    hotkey_to_accuracy: hotkeyToAccuracy,
    audit_failed: auditFailed,
  };
  return { consensus: result, rewards: result.hotkeyToScore, auditFailed, audited, hotkeyToAccuracy, history };
}
