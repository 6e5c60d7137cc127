import { ScoringInputError } from './errors.js';
import type { ScoringMethod } from './methods.js';
import type { Rng } from './rng.js';
import { spearman } from './spearman.js';

/**
 * Picks the responses to audit (D3): each `hf_model`/`llm_api` response, in order, is selected with probability
 * `fraction` (one `rng.next()` per eligible response); `aws_mturk` responses are never audited.
 * @param responses - the request's responses.
 * @param rng - injected generator.
 * @param fraction - selection probability in [0, 1]. @defaultValue 0.1
 * @returns the selected hotkeys.
 * @throws {ScoringInputError} DOJO_SCORING_INVALID_INPUT for a fraction outside [0, 1].
 */
export function selectForAudit(
  responses: readonly { hotkey: string; method: ScoringMethod }[],
  rng: Rng,
  fraction = 0.1,
): string[] {
  if (!(fraction >= 0 && fraction <= 1))
    throw new ScoringInputError('DOJO_SCORING_INVALID_INPUT', `fraction must be in [0, 1], got ${fraction}`);
  const out: string[] = [];
  for (const r of responses) {
    if (r.method === 'aws_mturk') continue;
    if (rng.next() < fraction) out.push(r.hotkey);
  }
  return out;
}

/** Result of {@link auditVerdict}. */
export interface AuditVerdict {
  /** Spearman between the miner's and the validator's scores, NaN → 0. */
  rho: number;
  /** False when `rho < minSpearman`: the response is excluded and scores 0. */
  passed: boolean;
}

/**
 * Decides an audit (dojo.md §10): ρ = spearman(miner, validator re-score) over the request's cids (missing → 0,
 * NaN → 0); passes when ρ ≥ minSpearman.
 * @param minerScores - the miner's scores by cid.
 * @param validatorScores - the validator's re-scores by cid.
 * @param cids - the request's cids.
 * @param minSpearman - threshold. @defaultValue 0.9
 * @returns `{ rho, passed }`.
 */
export function auditVerdict(
  minerScores: Readonly<Record<string, number>>,
  validatorScores: Readonly<Record<string, number>>,
  cids: readonly string[],
  minSpearman = 0.9,
): AuditVerdict {
  const a = cids.map((c) => minerScores[c] ?? 0);
  const b = cids.map((c) => validatorScores[c] ?? 0);
  let rho = spearman(a, b);
  if (Number.isNaN(rho)) rho = 0;
  return { rho, passed: rho >= minSpearman };
}
