/**
 * The deadline job (dojo.md §11.1): load the request, score it, apply the EMA + scored marker + history + cleanup in
 * one Lua transaction, then send each participant its own `RankingResult` (D15). A retry after a crash finds the
 * marker and does nothing, so a request is applied exactly once.
 */

import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ScoredEntry, ScoreEntryOptions } from '../scores.js';
import { scoreEntry } from '../scores.js';
import type { StoreKeys } from '../store/keys.js';
import { type ApplyOutcome, applyScores, dropRequest, loadRequest } from '../store/request-store.js';
import { getAccuracyCache } from '../store/state-store.js';
import type { RequestEntry } from '../store/types.js';

/** Sends each participant its own `RankingResult`; failures are logged by the implementation, never thrown. */
export type ResultSender = (entry: RequestEntry, scored: ScoredEntry) => Promise<void>;

/** Everything the processor needs. */
export interface ScoreRequestDeps {
  redis: Redis;
  keys: StoreKeys;
  log: Logger;
  /** `--neuron.moving_average_alpha`. */
  alpha: number;
  /** `--history.max_len`. */
  historyMaxLen: number;
  scoring: Omit<ScoreEntryOptions, 'accuracy' | 'nowMs'>;
  sendResults?: ResultSender;
  now?: () => number;
  /** Test hook: called between computing and applying (the crash window). */
  beforeApply?: (requestId: string) => Promise<void>;
  /** Test hook: called after the transaction with its outcome, before the job completes. */
  afterApply?: (requestId: string, outcome: ApplyOutcome) => Promise<void>;
}

/** What one job run did. */
export interface ScoreRequestOutcome {
  outcome: ApplyOutcome;
  rewards?: Record<string, number>;
}

const MAX_RECOMPUTE = 5;

/**
 * Scores one request exactly once.
 * @param deps - connections and options
 * @param requestId - the request (job id)
 * @returns `applied`, `already-applied` (a retry after a crash) or `missing` (no such request)
 * @throws when scoring fails; BullMQ retries, and {@link dropFailedRequest} drops it after the last attempt
 */
export async function scoreRequest(deps: ScoreRequestDeps, requestId: string): Promise<ScoreRequestOutcome> {
  const now = deps.now ?? Date.now;
  for (let i = 0; i < MAX_RECOMPUTE; i++) {
    const entry = await loadRequest(deps.redis, deps.keys, requestId);
    if (entry === null) {
      const scored = (await deps.redis.exists(deps.keys.scored(requestId))) === 1;
      const outcome: ApplyOutcome = scored ? 'already-applied' : 'missing';
      await deps.afterApply?.(requestId, outcome);
      return { outcome };
    }
    const cache = await getAccuracyCache(deps.redis, deps.keys);
    const accuracy: Record<string, number> = {};
    for (const [k, v] of Object.entries(cache)) accuracy[k] = v.accuracy;
    const scored = await scoreEntry(entry, { ...deps.scoring, accuracy, nowMs: now() });
    await deps.beforeApply?.(requestId);
    const outcome = await applyScores(deps.redis, deps.keys, {
      requestId,
      alpha: deps.alpha,
      rewards: scored.rewards,
      history: scored.history,
      historyMaxLen: deps.historyMaxLen,
      version: entry.version,
    });
    if (outcome === 'changed') continue; // a verified MTurk reply arrived meanwhile: score again with it
    await deps.afterApply?.(requestId, outcome);
    if (outcome === 'applied') {
      deps.log.info(
        {
          requestId,
          responses: scored.history.num_responses,
          auditFailed: scored.auditFailed.length,
          audited: scored.audited.length,
        },
        'request scored',
      );
      if (deps.sendResults) {
        await deps.sendResults(entry, scored).catch((err: unknown) => {
          deps.log.warn({ requestId, err: (err as Error).message }, 'sending RankingResults failed');
        });
      }
    }
    return { outcome, rewards: scored.rewards };
  }
  throw new Error(`request ${requestId} kept changing while being scored`);
}

/**
 * Drops a request whose job failed its last attempt (§11.1), logging an error; a later retry does nothing.
 */
export async function dropFailedRequest(
  deps: Pick<ScoreRequestDeps, 'redis' | 'keys' | 'log'>,
  requestId: string,
  err: unknown,
): Promise<void> {
  const dropped = await dropRequest(deps.redis, deps.keys, requestId);
  deps.log.error(
    { requestId, dropped, err: (err as Error)?.message },
    'request dropped after its last scoring attempt',
  );
}
