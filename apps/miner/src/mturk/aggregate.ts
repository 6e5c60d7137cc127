import { CallbackRejectedError } from '../errors.js';

/** One assignment as the Lambda forwarder posts it (dojo.md §6 step 4). */
export interface CallbackAssignment {
  HITId: string;
  AssignmentId: string;
  WorkerId: string;
  /** One object per QuestionFormAnswers `Answer`: `{<QuestionIdentifier>: parsed FreeText}`. */
  Answer: Array<Record<string, unknown>>;
}

/** Largest number of assignments accepted in one callback body. */
export const MAX_CALLBACK_ITEMS = 1000;
const ID = /^[A-Za-z0-9_-]{1,128}$/;

function fail(message: string): never {
  throw new CallbackRejectedError(400, message);
}

/**
 * Validates a parsed callback body: a JSON array of `{HITId, AssignmentId, WorkerId, Answer: object[]}`.
 *
 * @param body - the parsed JSON.
 * @returns the assignments.
 * @throws CallbackRejectedError (400) naming the first bad item and field.
 */
export function parseCallbackBody(body: unknown): CallbackAssignment[] {
  if (!Array.isArray(body)) fail('body must be a JSON array of assignments');
  if (body.length > MAX_CALLBACK_ITEMS) fail(`at most ${MAX_CALLBACK_ITEMS} assignments per callback`);
  return body.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(`[${i}]: expected an object`);
    const o = item as Record<string, unknown>;
    for (const key of ['HITId', 'AssignmentId', 'WorkerId'] as const) {
      if (typeof o[key] !== 'string' || !ID.test(o[key]))
        fail(`[${i}].${key}: expected an id of 1-128 letters, digits, _ or -`);
    }
    if (!Array.isArray(o.Answer) || !o.Answer.every((a) => typeof a === 'object' && a !== null && !Array.isArray(a))) {
      fail(`[${i}].Answer: expected a list of objects`);
    }
    return {
      HITId: o.HITId as string,
      AssignmentId: o.AssignmentId as string,
      WorkerId: o.WorkerId as string,
      Answer: o.Answer,
    };
  });
}

function toScore(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * Averages worker scores per cid (dojo.md §7): every score under each key of every element of every `taskAnswers`
 * list, divided by its count; counts distinct workers.
 *
 * @param assignments - the HIT's assignments.
 * @param cidOrder - request cids, used to order the result's keys (others follow in first-seen order).
 * @returns `{means, workers, assignmentIds}` (assignment ids sorted).
 */
export function aggregateScores(
  assignments: readonly CallbackAssignment[],
  cidOrder: readonly string[] = [],
): { means: Record<string, number>; workers: number; assignmentIds: string[] } {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const cid of cidOrder) sums.set(cid, { sum: 0, count: 0 });
  for (const a of assignments) {
    for (const answer of a.Answer) {
      const list = answer.taskAnswers;
      if (!Array.isArray(list)) continue;
      for (const element of list) {
        if (typeof element !== 'object' || element === null || Array.isArray(element)) continue;
        for (const [cid, raw] of Object.entries(element as Record<string, unknown>)) {
          const score = toScore(raw);
          if (score === null) continue;
          const acc = sums.get(cid) ?? { sum: 0, count: 0 };
          acc.sum += score;
          acc.count += 1;
          sums.set(cid, acc);
        }
      }
    }
  }
  const means: Record<string, number> = {};
  for (const [cid, { sum, count }] of sums) if (count > 0) means[cid] = sum / count;
  return {
    means,
    workers: new Set(assignments.map((a) => a.WorkerId)).size,
    assignmentIds: assignments.map((a) => a.AssignmentId).sort(),
  };
}
