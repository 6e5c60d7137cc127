/**
 * BullMQ workers. Processors stay thin: parse `job.data`, call the job function, return. Connections are passed in
 * (opened by main.ts); BullMQ needs `maxRetriesPerRequest: null` on worker connections.
 */
import { type ConnectionOptions, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { SCORE_ATTEMPTS, SCORING_QUEUE, type ScoreJobData } from './queues.js';
import { dropFailedRequest, type ScoreRequestDeps, scoreRequest } from './score-request.js';

/** Worker tuning (`--jobs.*`). */
export interface WorkerTuning {
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/**
 * Opens the scoring queue (producer side).
 * @param connection - ioredis instance or options
 * @param prefix - BullMQ prefix (`StoreKeys.bullPrefix`)
 */
export function openScoringQueue(connection: ConnectionOptions, prefix: string): Queue<ScoreJobData> {
  // The events stream is capped low: with thousands of pending requests, 10 000 retained events (BullMQ's default)
  // would cost more memory per request than the job itself; nothing here consumes QueueEvents history.
  return new Queue<ScoreJobData>(SCORING_QUEUE, { connection, prefix, streams: { events: { maxLen: 1000 } } });
}

/**
 * Starts the deadline worker.
 * @param connection - a connection with `maxRetriesPerRequest: null`
 * @param prefix - BullMQ prefix
 * @param deps - processor dependencies
 * @param tuning - concurrency and lock settings
 * @returns the running worker (close it with `await worker.close()`)
 */
export function startScoringWorker(
  connection: ConnectionOptions,
  prefix: string,
  deps: ScoreRequestDeps,
  tuning: WorkerTuning,
): Worker<ScoreJobData> {
  const worker = new Worker<ScoreJobData>(
    SCORING_QUEUE,
    async (job: Job<ScoreJobData>) => {
      const requestId = job.data?.requestId;
      if (typeof requestId !== 'string' || requestId.length === 0)
        throw new UnrecoverableError('job without requestId');
      try {
        return (await scoreRequest(deps, requestId)).outcome;
      } catch (err) {
        const attempts = job.opts.attempts ?? SCORE_ATTEMPTS;
        if (job.attemptsMade + 1 >= attempts || err instanceof UnrecoverableError) {
          await dropFailedRequest(deps, requestId, err);
          throw new UnrecoverableError((err as Error).message);
        }
        throw err;
      }
    },
    {
      connection,
      prefix,
      concurrency: tuning.concurrency,
      lockDuration: tuning.lockDurationMs,
      stalledInterval: tuning.stalledIntervalMs,
      // A job whose worker died is recovered as stalled; the scored marker makes the rerun a no-op.
      maxStalledCount: 10,
    },
  );
  attachErrorLog(worker, deps.log);
  return worker;
}

/** Every worker gets an `error` listener (an unhandled one would crash the process). */
export function attachErrorLog(worker: Worker, log: Logger): void {
  worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
  worker.on('failed', (job, err) => log.warn({ jobId: job?.id, err: err.message }, 'job failed'));
}
