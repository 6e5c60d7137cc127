import type { MTurkClient } from '@aws-sdk/client-mturk';
import { type ForwardedAssignment, parseQuestionFormAnswers } from './answers.js';
import { ForwardFailedError } from './errors.js';
import { listAllAssignments } from './list-assignments.js';
import { type SnsRecordLike, submittedHitIds } from './notification.js';
import { signCallback } from './sign.js';

/** What the handler returns to Lambda (and so to whoever reads the invocation result). */
export interface ForwardResult {
  /** The miner's HTTP status, or 204 when no AssignmentSubmitted event was in the batch. */
  statusCode: number;
  /** The JSON body that was posted (assignments; no secrets). */
  body: string;
  /** The miner's response text (truncated to 2 KiB). */
  forwarded_response: string;
  hits: number;
  assignments: number;
}

/** Everything the handler needs; `main`-style wiring lives in `lambda.ts`. */
export interface ForwarderDeps {
  mturk: MTurkClient;
  loadSecret: () => Promise<string>;
  /** `http://<miner ip>:<api.port>/api/human_feedback/callback` */
  targetUrl: string;
  fetch?: typeof fetch;
  nowS?: () => number;
  /** Per-POST timeout; default 10 000 ms. */
  timeoutMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * Builds the SNS → MTurk → signed POST handler (dojo.md §6).
 * Redelivered SNS messages post the same cumulative body again; the miner skips identical bodies, so delivery is
 * idempotent. Network errors, MTurk errors and 5xx answers throw, so that Lambda reports a failure and SNS retries;
 * a 4xx answer (bad signature, stale timestamp) is returned as is, since retrying cannot fix it.
 *
 * @example
 * const handler = createForwarder({ mturk, loadSecret, targetUrl });
 * await handler({ Records: [snsRecord] });
 */
export function createForwarder(deps: ForwarderDeps): (event: { Records?: SnsRecordLike[] }) => Promise<ForwardResult> {
  const doFetch = deps.fetch ?? fetch;
  const nowS = deps.nowS ?? (() => Date.now() / 1000);
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  return async (event) => {
    const hitIds = submittedHitIds(event.Records ?? []);
    if (hitIds.length === 0) {
      log({ level: 'info', msg: 'no AssignmentSubmitted event in this delivery' });
      return { statusCode: 204, body: '[]', forwarded_response: '', hits: 0, assignments: 0 };
    }
    const answers: ForwardedAssignment[] = [];
    for (const hitId of hitIds) {
      for (const a of await listAllAssignments(deps.mturk, hitId)) {
        if (!a.AssignmentId || !a.WorkerId || !a.HITId) continue;
        answers.push({
          HITId: a.HITId,
          AssignmentId: a.AssignmentId,
          WorkerId: a.WorkerId,
          Answer: parseQuestionFormAnswers(a.Answer ?? ''),
        });
      }
    }
    const body = JSON.stringify(answers);
    const secret = await deps.loadSecret();
    let status: number;
    let text: string;
    try {
      const res = await doFetch(deps.targetUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signCallback(body, secret, nowS()) },
        body,
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
      status = res.status;
      text = (await res.text()).slice(0, 2048);
    } catch (cause) {
      throw new ForwardFailedError(`POST to the miner failed: ${(cause as Error).message}`, {
        details: { hits: hitIds.length },
        cause,
      });
    }
    const entry = { msg: 'forwarded', status, hits: hitIds, assignments: answers.length };
    if (status >= 500) throw new ForwardFailedError(`miner answered ${status}`, { details: { status, text } });
    log({ level: status >= 400 ? 'error' : 'info', ...entry });
    return { statusCode: status, body, forwarded_response: text, hits: hitIds.length, assignments: answers.length };
  };
}
