import { createHash } from 'node:crypto';
import { CallbackRejectedError } from '../errors.js';
import type { MTurkResponseJob } from '../jobs/mturk-response-queue.js';
import { aggregateScores, type CallbackAssignment, parseCallbackBody } from '../mturk/aggregate.js';
import { verifyCallback } from '../mturk/verify-callback.js';
import type { FeedbackStore } from '../store/feedback-store.js';
import type { RoutingStore } from '../store/routing-store.js';

/** Minimal logger shape (pino satisfies it). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the callback handler needs. */
export interface HumanFeedbackDeps {
  /** `DOJO_CALLBACK_SECRET`. */
  secret: string;
  nowS: () => number;
  /** Distinct workers needed before an `MTurkResponse` is sent (`--mturk.min_workers`). */
  minWorkers: number;
  routing: RoutingStore;
  feedback: FeedbackStore;
  delivery: { hasRoom(): Promise<boolean>; enqueue(jobId: string, job: MTurkResponseJob): Promise<void> };
  log: Log;
}

/** The HTTP answer of the callback route. */
export interface CallbackOutcome {
  status: number;
  body: null | { message: string };
  /** What happened, for metrics: `accepted`, `duplicate`, `rejected_<status>`, `busy`. */
  outcome: string;
  /** `MTurkResponse` deliveries queued by this callback. */
  queued: number;
}

function rejected(status: number, message: string): CallbackOutcome {
  return { status, body: { message }, outcome: `rejected_${status}`, queued: 0 };
}

/**
 * `POST /api/human_feedback/callback` (dojo.md §7): verifies the HMAC signature and freshness before anything else,
 * stores the assignments per HIT (idempotent per assignment), and once `minWorkers` distinct workers answered queues
 * one `MTurkResponse` per new assignment set for the validator that sent the request.
 *
 * @param deps - secret, clock, stores, queue and logger.
 * @param rawBody - the exact bytes received (at most the route's body limit).
 * @param headers - request headers.
 * @returns the status and JSON body to answer; never throws for bad input.
 */
export async function handleHumanFeedback(
  deps: HumanFeedbackDeps,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<CallbackOutcome> {
  let assignments: CallbackAssignment[];
  try {
    verifyCallback(rawBody, headers, deps.secret, deps.nowS());
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new CallbackRejectedError(400, 'body is not valid JSON');
    }
    assignments = parseCallbackBody(json);
  } catch (err) {
    if (err instanceof CallbackRejectedError) {
      deps.log.warn({ status: err.status, reason: err.message }, 'human-feedback callback refused');
      return rejected(err.status, err.message);
    }
    throw err;
  }

  const bodySha = createHash('sha256').update(rawBody).digest('hex');
  if (await deps.feedback.isBodyProcessed(bodySha)) return { status: 200, body: null, outcome: 'duplicate', queued: 0 };
  if (!(await deps.delivery.hasRoom())) {
    deps.log.warn({}, 'MTurkResponse retry queue is full; refusing the callback so the forwarder retries');
    return { status: 503, body: { message: 'retry queue full, try again later' }, outcome: 'busy', queued: 0 };
  }

  const byHit = new Map<string, CallbackAssignment[]>();
  for (const a of assignments) byHit.set(a.HITId, [...(byHit.get(a.HITId) ?? []), a]);
  let queued = 0;
  for (const [hitId, items] of byHit) {
    const requestId = await deps.routing.getHitRequestId(hitId);
    const request = requestId === null ? null : await deps.routing.getRequest(requestId);
    if (requestId === null || request === null) {
      deps.log.warn({ hitId }, 'callback for an unknown or expired HIT skipped');
      continue;
    }
    await deps.feedback.addAssignments(hitId, items);
    const all = await deps.feedback.getAssignments(hitId);
    const { means, workers, assignmentIds } = aggregateScores(
      all,
      request.completions.map((c) => c.cid),
    );
    if (workers < deps.minWorkers || Object.keys(means).length === 0) {
      deps.log.info({ hitId, requestId, workers, minWorkers: deps.minWorkers }, 'waiting for more workers');
      continue;
    }
    const setKey = createHash('sha256').update(assignmentIds.join(',')).digest('hex').slice(0, 32);
    if (!(await deps.feedback.claimSend(hitId, setKey))) continue;
    try {
      await deps.delivery.enqueue(`${hitId}-${setKey}`, {
        request_id: requestId,
        hit_id: hitId,
        validator_hotkey: request.validator_hotkey,
        completion_id_to_score: means,
      });
      queued++;
      deps.log.info({ hitId, requestId, workers, validator: request.validator_hotkey }, 'MTurkResponse queued');
    } catch (err) {
      await deps.feedback.releaseSend(hitId, setKey);
      deps.log.error({ hitId, err: (err as Error).message }, 'could not queue MTurkResponse');
      return {
        status: 503,
        body: { message: 'could not queue the response, try again later' },
        outcome: 'busy',
        queued,
      };
    }
  }
  await deps.feedback.markBodyProcessed(bodySha);
  return { status: 200, body: null, outcome: 'accepted', queued };
}
