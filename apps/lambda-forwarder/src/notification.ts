import { InvalidNotificationError } from './errors.js';

/** One MTurk notification event (EventDocVersion 2014-08-15). */
export interface MTurkEvent {
  EventType: string;
  EventTimestamp: string;
  HITId: string;
  AssignmentId?: string;
  HITTypeId?: string;
}

/** The minimal SNS record shape a Lambda subscription delivers. */
export interface SnsRecordLike {
  EventSource?: string;
  Sns?: { MessageId?: string; Message?: string };
}

const MAX_EVENTS_PER_MESSAGE = 100;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Extracts the HIT ids with an `AssignmentSubmitted` event from SNS records, deduplicated, in order.
 *
 * @param records `event.Records` of an SNS-triggered Lambda invocation.
 * @returns HIT ids to fetch assignments for (other event types are ignored).
 * @throws InvalidNotificationError when a record carries no parsable MTurk notification.
 */
export function submittedHitIds(records: readonly SnsRecordLike[]): string[] {
  const hits = new Set<string>();
  for (const [i, record] of records.entries()) {
    const message = record.Sns?.Message;
    if (typeof message !== 'string') throw new InvalidNotificationError(`record ${i}: Sns.Message missing`);
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch (cause) {
      throw new InvalidNotificationError(`record ${i}: Sns.Message is not JSON`, { cause: String(cause) });
    }
    const events = (doc as { Events?: unknown } | null)?.Events;
    if (!Array.isArray(events)) throw new InvalidNotificationError(`record ${i}: no Events array`);
    if (events.length > MAX_EVENTS_PER_MESSAGE) {
      throw new InvalidNotificationError(`record ${i}: ${events.length} events exceed ${MAX_EVENTS_PER_MESSAGE}`);
    }
    for (const event of events as Partial<MTurkEvent>[]) {
      if (event?.EventType !== 'AssignmentSubmitted') continue;
      if (typeof event.HITId !== 'string' || !ID.test(event.HITId)) {
        throw new InvalidNotificationError(`record ${i}: AssignmentSubmitted without a valid HITId`);
      }
      hits.add(event.HITId);
    }
  }
  return [...hits];
}
