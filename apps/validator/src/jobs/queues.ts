/**
 * Queue names, job names and job-data types. Job ids are request ids (BullMQ ignores a second job with the same id,
 * which makes scheduling idempotent); ids must not contain `:`.
 */
import type { JobsOptions, Queue } from 'bullmq';

/** One delayed job per request, due at its deadline. */
export const SCORING_QUEUE = 'scoring';
/** Repeatable accuracy evaluations (one scheduler per accuracy key) and the 24 h reset. */
export const ACCURACY_QUEUE = 'accuracy';

export const SCORE_JOB = 'score-request';
export const ACCURACY_JOB = 'evaluate-accuracy';
export const ACCURACY_RESET_JOB = 'reset-accuracy';
export const ACCURACY_RESET_SCHEDULER = 'accuracy-reset';

export interface ScoreJobData {
  requestId: string;
}

export interface AccuracyJobData {
  /** `hf_model:{model}` or `llm_api:{provider}:{model}`. */
  key: string;
}

/** Attempts before a request is dropped with an error log (dojo.md §11.1). */
export const SCORE_ATTEMPTS = 3;

/**
 * Converts a request id into a BullMQ job id (`:` is not allowed there).
 * @param requestId - the RankingRequest id (a uuid)
 * @returns the job id
 */
export function jobIdOf(requestId: string): string {
  return requestId.replace(/:/g, '_');
}

/** Scheduler id of an accuracy key (no `:`). */
export function accuracySchedulerId(key: string): string {
  return `acc-${Buffer.from(key).toString('base64url')}`;
}

/**
 * Adds the deadline job of a request; a second call with the same id is a no-op.
 * @param queue - the scoring queue
 * @param requestId - request id (job id)
 * @param deadlineMs - unix ms when scoring is due
 * @param nowMs - current unix ms
 */
export async function scheduleScoring(
  queue: Queue<ScoreJobData>,
  requestId: string,
  deadlineMs: number,
  nowMs: number,
): Promise<void> {
  const opts: JobsOptions = {
    jobId: jobIdOf(requestId),
    delay: Math.max(0, Math.round(deadlineMs - nowMs)),
    attempts: SCORE_ATTEMPTS,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: true,
    removeOnFail: { count: 1000 },
  };
  await queue.add(SCORE_JOB, { requestId }, opts);
}
