import { createHash, randomBytes } from 'node:crypto';
import { questionFormAnswersXml } from './mturk-answers.js';
import { eventTimestamp, type MTurkEvent } from './mturk-notification.js';

/** An MTurk API error: rendered as `{__type, Message, TurkErrorCode}` with HTTP 400. */
export class MTurkApiError extends Error {
  override name = 'MTurkApiError';
  constructor(
    readonly type: 'RequestError' | 'ServiceFault',
    message: string,
    readonly turkErrorCode = 'AWS.ParameterOutOfRange',
  ) {
    super(message);
  }
}

/** A HIT as the MTurk API returns it (timestamps as Date; rendered as epoch seconds). */
export interface StoredHit {
  HITId: string;
  HITTypeId: string;
  HITGroupId: string;
  CreationTime: Date;
  Title: string;
  Description: string;
  Question: string;
  Keywords?: string;
  HITStatus: 'Assignable' | 'Unassignable' | 'Reviewable' | 'Reviewing' | 'Disposed';
  MaxAssignments: number;
  Reward: string;
  AutoApprovalDelayInSeconds: number;
  Expiration: Date;
  AssignmentDurationInSeconds: number;
  RequesterAnnotation?: string;
  QualificationRequirements: unknown[];
  HITReviewStatus: 'NotReviewed';
  NumberOfAssignmentsPending: number;
  NumberOfAssignmentsAvailable: number;
  NumberOfAssignmentsCompleted: number;
}

/** An assignment as the MTurk API returns it. */
export interface StoredAssignment {
  AssignmentId: string;
  WorkerId: string;
  HITId: string;
  AssignmentStatus: 'Submitted' | 'Approved' | 'Rejected';
  AutoApprovalTime: Date;
  AcceptTime: Date;
  SubmitTime: Date;
  ApprovalTime?: Date;
  Deadline: Date;
  Answer: string;
}

/** Notification settings of one HIT type. */
export interface NotificationSettings {
  Destination: string;
  Transport: string;
  Version: string;
  EventTypes: string[];
  Active: boolean;
}

const MAX_QUESTION_BYTES = 65_535;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function mturkId(seed?: Buffer): string {
  const bytes = seed ?? randomBytes(30);
  let out = '';
  for (let i = 0; i < 30; i++) out += ID_ALPHABET[(bytes[i] ?? 0) % ID_ALPHABET.length];
  return out;
}

function str(input: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) {
    if (required)
      throw new MTurkApiError(
        'RequestError',
        `Value null at '${key}' failed to satisfy constraint: Member must not be null`,
      );
    return undefined;
  }
  if (typeof v !== 'string') throw new MTurkApiError('RequestError', `${key} must be a string`);
  return v;
}

function int(input: Record<string, unknown>, key: string, min: number, max: number, fallback?: number): number {
  const v = input[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new MTurkApiError('RequestError', `${key} must be an integer between ${min} and ${max}`);
  }
  return v;
}

/** In-memory MTurk requester state, bounded by `maxHits` (the oldest HIT is evicted first). */
export class MTurkState {
  readonly hits = new Map<string, StoredHit>();
  readonly assignments = new Map<string, StoredAssignment[]>();
  readonly notificationSettings = new Map<string, NotificationSettings>();

  constructor(
    private readonly maxHits: number,
    private readonly now: () => Date,
  ) {}

  createHit(input: Record<string, unknown>): StoredHit {
    const title = str(input, 'Title', true) as string;
    const description = str(input, 'Description', true) as string;
    const reward = str(input, 'Reward', true) as string;
    if (!/^\d{1,6}(\.\d{1,2})?$/.test(reward))
      throw new MTurkApiError('RequestError', `Reward ${reward} is not a valid amount`);
    const question = str(input, 'Question', false);
    if (question === undefined) throw new MTurkApiError('RequestError', 'Question or HITLayoutId is required');
    if (Buffer.byteLength(question, 'utf8') > MAX_QUESTION_BYTES) {
      throw new MTurkApiError(
        'RequestError',
        `Question is longer than ${MAX_QUESTION_BYTES} bytes`,
        'AWS.MechanicalTurk.XMLParseError',
      );
    }
    if (!/<(HTMLQuestion|ExternalQuestion|QuestionForm)\b[^>]*xmlns="[^"]+"/.test(question)) {
      throw new MTurkApiError(
        'RequestError',
        'There was an error parsing the XML question or answer data in your request.',
        'AWS.MechanicalTurk.XMLParseError',
      );
    }
    const lifetime = int(input, 'LifetimeInSeconds', 30, 31_536_000);
    const assignmentDuration = int(input, 'AssignmentDurationInSeconds', 30, 31_536_000);
    const autoApproval = int(input, 'AutoApprovalDelayInSeconds', 0, 2_592_000, 2_592_000);
    const maxAssignments = int(input, 'MaxAssignments', 1, 1_000_000, 1);
    const keywords = str(input, 'Keywords', false);
    const annotation = str(input, 'RequesterAnnotation', false);
    const quals = Array.isArray(input.QualificationRequirements) ? input.QualificationRequirements : [];
    // MTurk groups HITs with identical properties into one HIT type; derive the id from those properties.
    const typeSeed = createHash('sha256')
      .update(JSON.stringify([title, description, reward, keywords, assignmentDuration, autoApproval, quals]))
      .digest();
    const hitTypeId = mturkId(typeSeed);
    const now = this.now();
    const hit: StoredHit = {
      HITId: mturkId(),
      HITTypeId: hitTypeId,
      HITGroupId: mturkId(createHash('sha256').update(hitTypeId).digest()),
      CreationTime: now,
      Title: title,
      Description: description,
      Question: question,
      ...(keywords === undefined ? {} : { Keywords: keywords }),
      HITStatus: 'Assignable',
      MaxAssignments: maxAssignments,
      Reward: reward,
      AutoApprovalDelayInSeconds: autoApproval,
      Expiration: new Date(now.getTime() + lifetime * 1000),
      AssignmentDurationInSeconds: assignmentDuration,
      ...(annotation === undefined ? {} : { RequesterAnnotation: annotation }),
      QualificationRequirements: quals,
      HITReviewStatus: 'NotReviewed',
      NumberOfAssignmentsPending: 0,
      NumberOfAssignmentsAvailable: maxAssignments,
      NumberOfAssignmentsCompleted: 0,
    };
    while (this.hits.size >= this.maxHits) {
      const oldest = this.hits.keys().next().value as string;
      this.hits.delete(oldest);
      this.assignments.delete(oldest);
    }
    this.hits.set(hit.HITId, hit);
    this.assignments.set(hit.HITId, []);
    return hit;
  }

  getHit(hitId: unknown): StoredHit {
    const hit = typeof hitId === 'string' ? this.hits.get(hitId) : undefined;
    if (!hit)
      throw new MTurkApiError(
        'RequestError',
        `Hit ${String(hitId)} does not exist.`,
        'AWS.MechanicalTurk.HITDoesNotExist',
      );
    return hit;
  }

  listAssignments(input: Record<string, unknown>): {
    Assignments: StoredAssignment[];
    NextToken?: string;
    NumResults: number;
  } {
    const hit = this.getHit(input.HITId);
    const max = int(input, 'MaxResults', 1, 100, 10);
    const statuses = Array.isArray(input.AssignmentStatuses) ? (input.AssignmentStatuses as unknown[]) : null;
    const all = (this.assignments.get(hit.HITId) ?? []).filter(
      (a) => statuses === null || statuses.includes(a.AssignmentStatus),
    );
    let offset = 0;
    if (typeof input.NextToken === 'string') {
      offset = Number.parseInt(Buffer.from(input.NextToken, 'base64').toString('utf8'), 10);
      if (!Number.isInteger(offset) || offset < 0) throw new MTurkApiError('RequestError', 'NextToken is invalid');
    }
    const page = all.slice(offset, offset + max);
    const next = offset + max < all.length ? Buffer.from(String(offset + max)).toString('base64') : undefined;
    return { Assignments: page, NumResults: page.length, ...(next === undefined ? {} : { NextToken: next }) };
  }

  updateNotificationSettings(input: Record<string, unknown>): void {
    const hitTypeId = str(input, 'HITTypeId', true) as string;
    if (![...this.hits.values()].some((h) => h.HITTypeId === hitTypeId)) {
      throw new MTurkApiError('RequestError', `HIT type ${hitTypeId} does not exist.`);
    }
    const n = input.Notification as Record<string, unknown> | undefined;
    const prev = this.notificationSettings.get(hitTypeId);
    if (n === undefined) {
      if (!prev) throw new MTurkApiError('RequestError', 'No notification settings exist for this HIT type');
      prev.Active = input.Active !== false;
      return;
    }
    const transport = str(n, 'Transport', true) as string;
    if (!['SNS', 'SQS', 'Email'].includes(transport))
      throw new MTurkApiError('RequestError', `Transport ${transport} is not valid`);
    const eventTypes = n.EventTypes;
    if (!Array.isArray(eventTypes) || eventTypes.length === 0 || !eventTypes.every((e) => typeof e === 'string')) {
      throw new MTurkApiError('RequestError', 'EventTypes must be a non-empty list of strings');
    }
    const destination = str(n, 'Destination', true) as string;
    if (transport === 'SNS' && !/^arn:aws:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(destination)) {
      throw new MTurkApiError('RequestError', `Destination ${destination} is not a valid SNS topic ARN`);
    }
    this.notificationSettings.set(hitTypeId, {
      Destination: destination,
      Transport: transport,
      Version: str(n, 'Version', true) as string,
      EventTypes: eventTypes as string[],
      Active: input.Active !== false,
    });
  }

  /** Simulates a worker accepting and submitting an assignment; returns it and the event MTurk would emit. */
  submit(
    hitId: string,
    workerId: string,
    answers: Readonly<Record<string, unknown>>,
  ): { assignment: StoredAssignment; event: MTurkEvent } {
    const hit = this.getHit(hitId);
    const now = this.now();
    if (hit.HITStatus !== 'Assignable' || hit.Expiration.getTime() <= now.getTime()) {
      throw new MTurkApiError('RequestError', `Hit ${hitId} is not assignable (${hit.HITStatus})`);
    }
    const list = this.assignments.get(hitId) ?? [];
    if (list.some((a) => a.WorkerId === workerId)) {
      throw new MTurkApiError('RequestError', `Worker ${workerId} already submitted an assignment for HIT ${hitId}`);
    }
    const assignment: StoredAssignment = {
      AssignmentId: mturkId(),
      WorkerId: workerId,
      HITId: hitId,
      AssignmentStatus: 'Submitted',
      AutoApprovalTime: new Date(now.getTime() + hit.AutoApprovalDelayInSeconds * 1000),
      AcceptTime: now,
      SubmitTime: now,
      Deadline: new Date(now.getTime() + hit.AssignmentDurationInSeconds * 1000),
      Answer: questionFormAnswersXml(answers),
    };
    list.push(assignment);
    this.assignments.set(hitId, list);
    hit.NumberOfAssignmentsCompleted = list.length;
    hit.NumberOfAssignmentsAvailable = hit.MaxAssignments - list.length;
    if (hit.NumberOfAssignmentsAvailable === 0) hit.HITStatus = 'Reviewable';
    const event: MTurkEvent = {
      EventType: 'AssignmentSubmitted',
      EventTimestamp: eventTimestamp(now),
      HITId: hitId,
      AssignmentId: assignment.AssignmentId,
      HITTypeId: hit.HITTypeId,
    };
    return { assignment, event };
  }

  approve(assignmentId: unknown): void {
    for (const list of this.assignments.values()) {
      const a = list.find((x) => x.AssignmentId === assignmentId);
      if (a) {
        a.AssignmentStatus = 'Approved';
        a.ApprovalTime = this.now();
        return;
      }
    }
    throw new MTurkApiError('RequestError', `Assignment ${String(assignmentId)} does not exist.`);
  }

  getAssignment(assignmentId: unknown): { Assignment: StoredAssignment; HIT: StoredHit } {
    for (const [hitId, list] of this.assignments) {
      const a = list.find((x) => x.AssignmentId === assignmentId);
      if (a) return { Assignment: a, HIT: this.getHit(hitId) };
    }
    throw new MTurkApiError('RequestError', `Assignment ${String(assignmentId)} does not exist.`);
  }
}
