import { ScoringInputError } from './errors.js';
import { METHOD_RANGE, normalizeScore, type ScoringMethod } from './methods.js';
import { averageRanks, pearson } from './spearman.js';

/** One miner's reply to a request, as the consensus sees it. */
export interface ConsensusResponse {
  hotkey: string;
  method: ScoringMethod;
  /** Raw scores on the method's declared range, keyed by completion id. */
  scores: Readonly<Record<string, number>>;
}

/** Options of {@link consensus}. */
export interface ConsensusOptions {
  /** Classification-accuracy multiplier per hotkey; missing → 1, and always 1 for `aws_mturk` (D10). */
  accuracy?: Readonly<Record<string, number>>;
  /** Multiplier on `s` for `aws_mturk` responses (D7). @defaultValue 1.2 */
  humanBoost?: number;
  /** The request's completion ids in request order; default: ids in order of first appearance in the responses. */
  cids?: readonly string[];
  /** Audit-failed hotkeys (dojo.md §10): excluded from the consensus and softmax, their score is 0. */
  excluded?: Iterable<string>;
}

/** Result of {@link consensus}: wire-named maps of `RankingResult` plus the per-hotkey intermediate values. */
export interface ConsensusResult {
  /** Mean normalised score per cid, over the hotkeys that scored it. */
  cidToConsensus: Record<string, number>;
  /** Per-request softmax score per hotkey (sums to 1 over non-excluded participants; excluded → 0). */
  hotkeyToScore: Record<string, number>;
  /** Spearman ρ per participating hotkey, NaN already turned into 0. */
  hotkeyToSpearman: Record<string, number>;
}

/**
 * Consensus scoring of one request (dojo.md §11.2): normalise by method range, mean per cid, missing → 0,
 * ρ = Spearman(miner, consensus), s = 0.5(ρ + 1), ×humanBoost for `aws_mturk`, ×accuracy once, softmax.
 * Callers pass at most one response per hotkey (see `dedupeResponses`).
 * @param responses - the valid responses of one request.
 * @param opts - accuracy multipliers, boost, cid order and audit exclusions.
 * @returns `{ cidToConsensus, hotkeyToScore, hotkeyToSpearman }`.
 * @throws {ScoringInputError} DOJO_SCORING_INVALID_INPUT on a duplicate hotkey, unknown method or bad option.
 * @example
 * consensus([{ hotkey: 'a', method: 'hf_model', scores: { x: 0.9, y: 0.1 } }]).hotkeyToScore; // { a: 1 }
 */
export function consensus(responses: readonly ConsensusResponse[], opts: ConsensusOptions = {}): ConsensusResult {
  const humanBoost = opts.humanBoost ?? 1.2;
  if (!(humanBoost >= 0) || !Number.isFinite(humanBoost)) {
    throw new ScoringInputError(
      'DOJO_SCORING_INVALID_INPUT',
      `humanBoost must be a finite number ≥ 0, got ${humanBoost}`,
    );
  }
  const excluded = new Set(opts.excluded ?? []);
  const seen = new Set<string>();
  const active: ConsensusResponse[] = [];
  for (const r of responses) {
    if (seen.has(r.hotkey))
      throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `duplicate response for hotkey ${r.hotkey}`);
    if (!Object.hasOwn(METHOD_RANGE, r.method)) {
      throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `unknown scoring method ${String(r.method)}`);
    }
    seen.add(r.hotkey);
    if (!excluded.has(r.hotkey)) active.push(r);
  }

  // cid order: the request's, else first appearance; keep only cids with at least one score (§11.2 step 3)
  const candidate: string[] = opts.cids ? [...opts.cids] : [];
  if (!opts.cids) {
    const s = new Set<string>();
    for (const r of active) {
      for (const cid of Object.keys(r.scores)) {
        if (s.has(cid)) continue;
        s.add(cid);
        candidate.push(cid);
      }
    }
  }
  const cids = candidate.filter((cid) => active.some((r) => Object.hasOwn(r.scores, cid)));
  const n = cids.length;
  const m = active.length;

  // miner matrix (row per miner, missing = 0) and the consensus as the mean over present scores only (D5)
  const matrix = new Float64Array(m * n);
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  for (let h = 0; h < m; h++) {
    const r = active[h] as ConsensusResponse;
    for (let j = 0; j < n; j++) {
      const raw = r.scores[cids[j] as string];
      if (raw === undefined) continue;
      const v = normalizeScore(r.method, raw);
      matrix[h * n + j] = v;
      sum[j] = (sum[j] as number) + v;
      count[j] = (count[j] as number) + 1;
    }
  }
  const c = new Float64Array(n);
  const cidToConsensus: Record<string, number> = {};
  for (let j = 0; j < n; j++) {
    c[j] = (sum[j] as number) / (count[j] as number);
    cidToConsensus[cids[j] as string] = c[j] as number;
  }

  // ranks of the consensus once; each miner's ranks into a reused buffer
  const cRanks = averageRanks(c);
  const buf = new Float64Array(n);
  const s = new Float64Array(m);
  const hotkeyToSpearman: Record<string, number> = {};
  const accuracy = opts.accuracy ?? {};
  for (let h = 0; h < m; h++) {
    const r = active[h] as ConsensusResponse;
    const row = matrix.subarray(h * n, (h + 1) * n);
    let rho = n < 2 ? Number.NaN : pearson(averageRanks(row, buf), cRanks);
    if (Number.isNaN(rho)) rho = 0;
    hotkeyToSpearman[r.hotkey] = rho;
    let sh = 0.5 * (rho + 1);
    if (r.method === 'aws_mturk') sh *= humanBoost;
    else {
      const acc = accuracy[r.hotkey];
      if (acc !== undefined && Number.isFinite(acc)) sh *= acc;
    }
    s[h] = sh;
  }

  let max = Number.NEGATIVE_INFINITY;
  for (let h = 0; h < m; h++) if ((s[h] as number) > max) max = s[h] as number;
  let z = 0;
  for (let h = 0; h < m; h++) {
    s[h] = Math.exp((s[h] as number) - max);
    z += s[h] as number;
  }
  const hotkeyToScore: Record<string, number> = {};
  for (const r of responses) hotkeyToScore[r.hotkey] = 0;
  for (let h = 0; h < m; h++) hotkeyToScore[(active[h] as ConsensusResponse).hotkey] = (s[h] as number) / z;
  return { cidToConsensus, hotkeyToScore, hotkeyToSpearman };
}
