/**
 * Validator-side records (dojo.md §3.6) as stored in Redis: plain JSON, independent of the wire classes so the
 * store survives protocol changes. Field names stay as on the wire.
 */

export type ScoringMethodName = 'hf_model' | 'llm_api' | 'aws_mturk';

/** What the validator sent: the immutable part of a `RankingRequest`. */
export interface StoredRequest {
  request_id: string;
  /** Unix seconds. */
  epoch_timestamp: number;
  prompt: string;
  n_completions: number;
  completions: Array<{ cid: string; text: string }>;
  modality: 'text' | 'image';
}

/** One miner's reply, attributed to the hotkey that was queried (never the echoed one). */
export interface StoredReply {
  hotkey: string;
  scoring_method: ScoringMethodName;
  model_config: { provider: string | null; model_name: string } | null;
  ranks: Array<{ cid: string; score: number }>;
  mturk_hit_id: string | null;
  /** True once an `MTurkResponse` for it verified (D12). */
  verified?: boolean;
}

/** `RequestEntry` (§3.6) plus its deadline and version counter. */
export interface RequestEntry {
  request: StoredRequest;
  responses: StoredReply[];
  queried_hotkeys: string[];
  /** Unix ms. */
  created_at: number;
  /** Unix ms at which the deadline job is due. */
  deadline_ms: number;
  /** Incremented by every reply attached after creation; scoring applies only the version it read. */
  version: number;
}

/** One scored request in the results log (§8.4). */
export interface HistoryRecord {
  request_id: string;
  scored_at: number;
  modality: string;
  prompt: string;
  num_completions: number;
  consensus_scores: Array<number | null>;
  best_completion: string | null;
  num_responses: number;
  hotkey_to_score: Record<string, number>;
  hotkey_to_accuracy: Record<string, number>;
  audit_failed: string[];
}
