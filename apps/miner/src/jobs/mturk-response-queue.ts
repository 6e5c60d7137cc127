import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { MTURK_RESPONSE_QUEUE } from './queues.js';

/** One `MTurkResponse` to deliver; small and JSON-serialisable. */
export interface MTurkResponseJob {
  request_id: string;
  hit_id: string;
  validator_hotkey: string;
  /** Mean worker score per cid (1–10 scale). */
  completion_id_to_score: Record<string, number>;
}

/** Outcome a delivery attempt reports. */
export interface DeliveryResult {
  status: number;
  message: string | null;
}

/** The bounded retry queue for `MTurkResponse` deliveries. */
export interface DeliveryQueue {
  /** False when `maxDepth` deliveries are already waiting or retrying. */
  hasRoom(): Promise<boolean>;
  /** Adds a delivery; `jobId` (no `:`) makes a repeated add a no-op. */
  enqueue(jobId: string, job: MTurkResponseJob): Promise<void>;
  /** Waiting + delayed + active + prioritised deliveries. */
  depth(): Promise<number>;
  readonly queue: Queue<MTurkResponseJob, DeliveryResult>;
  close(): Promise<void>;
}

/** Options of {@link createDeliveryQueue}. */
export interface DeliveryQueueOptions {
  connection: Redis;
  /** BullMQ key prefix. */
  prefix: string;
  /** Deliveries allowed in the queue at once. */
  maxDepth: number;
  /** Attempts per delivery (exponential backoff from `backoffMs`). */
  attempts: number;
  /** First retry delay in ms. @defaultValue 2000 */
  backoffMs?: number;
}

/**
 * Creates the delivery queue (finished jobs are trimmed to the last 1000, so Redis use stays bounded).
 *
 * @param o - connection, prefix, bound and retry policy.
 * @returns the queue facade.
 */
export function createDeliveryQueue(o: DeliveryQueueOptions): DeliveryQueue {
  const queue = new Queue<MTurkResponseJob, DeliveryResult>(MTURK_RESPONSE_QUEUE, {
    connection: o.connection,
    prefix: o.prefix,
    defaultJobOptions: {
      attempts: o.attempts,
      backoff: { type: 'exponential', delay: o.backoffMs ?? 2000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    },
  });
  const depth = () => queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
  return {
    queue,
    depth,
    hasRoom: async () => (await depth()) < o.maxDepth,
    enqueue: async (jobId, job) => {
      await queue.add('deliver', job, { jobId });
    },
    close: () => queue.close(),
  };
}

/** Statuses worth retrying: timeouts, unavailability and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Starts the worker that runs `deliver` for each job: a 200 completes the job, a retryable status throws (BullMQ retries
 * with backoff), any other status fails the job without retries.
 *
 * @param o - connection (a dedicated one: BullMQ blocks on it), prefix, concurrency and the delivery function.
 * @returns the worker; `close()` waits for running deliveries.
 */
export function startDeliveryWorker(o: {
  connection: Redis;
  prefix: string;
  concurrency?: number;
  deliver: (job: MTurkResponseJob) => Promise<DeliveryResult>;
  onError?: (err: Error) => void;
}): Worker<MTurkResponseJob, DeliveryResult> {
  const worker = new Worker<MTurkResponseJob, DeliveryResult>(
    MTURK_RESPONSE_QUEUE,
    async (job: Job<MTurkResponseJob, DeliveryResult>) => {
      const result = await o.deliver(job.data);
      if (result.status === 200) return result;
      const message = `validator answered ${result.status}: ${result.message ?? ''}`;
      if (isRetryableStatus(result.status)) throw new Error(message);
      throw new UnrecoverableError(message);
    },
    { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency ?? 4 },
  );
  worker.on('error', (err) => o.onError?.(err));
  return worker;
}
