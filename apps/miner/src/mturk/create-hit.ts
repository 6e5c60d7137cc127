import {
  CreateHITCommand,
  GetAccountBalanceCommand,
  MTurkClient,
  UpdateNotificationSettingsCommand,
} from '@aws-sdk/client-mturk';
import { buildHtmlQuestion } from './html-question.js';

/** MTurk requester endpoints and worker preview pages (dojo.md §5.3). */
export const MTURK_ENDPOINTS = {
  production: {
    endpoint: 'https://mturk-requester.us-east-1.amazonaws.com',
    preview: 'https://www.mturk.com/mturk/preview',
  },
  sandbox: {
    endpoint: 'https://mturk-requester-sandbox.us-east-1.amazonaws.com',
    preview: 'https://workersandbox.mturk.com/mturk/preview',
  },
} as const;

/** Options of {@link createMTurkClient}. */
export interface MTurkClientOptions {
  environment: 'sandbox' | 'production';
  /** Overrides the environment's endpoint (the local MTurk server in tests and demos). */
  endpoint?: string | null;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | null;
}

/**
 * Builds an MTurk client in us-east-1 for the environment's endpoint (or `endpoint` when given).
 *
 * @param o - environment, optional endpoint override and credentials.
 * @returns the client; call `destroy()` when done.
 */
export function createMTurkClient(o: MTurkClientOptions): MTurkClient {
  return new MTurkClient({
    region: 'us-east-1',
    endpoint: o.endpoint ?? MTURK_ENDPOINTS[o.environment].endpoint,
    credentials: {
      accessKeyId: o.accessKeyId,
      secretAccessKey: o.secretAccessKey,
      ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}),
    },
    maxAttempts: 3,
  });
}

/** What {@link createRankingHit} needs besides the client. */
export interface CreateRankingHitParams {
  prompt: string;
  completions: ReadonlyArray<{ cid: string; text: string }>;
  /** USD per assignment, e.g. `'0.01'`. */
  reward: string;
  /** SNS topic ARN receiving `AssignmentSubmitted`. */
  snsArn: string;
  environment: 'sandbox' | 'production';
  /** HIT types whose notification settings were already written (shared across calls; bounded by the caller). */
  notifiedHitTypes: Set<string>;
}

/** Result of {@link createRankingHit}: `success` is false when the HIT exists but notifications could not be set. */
export interface CreateRankingHitResult {
  success: boolean;
  hitId: string | null;
  hitTypeId: string | null;
  previewUrl: string | null;
  error?: unknown;
}

/**
 * Creates the ranking HIT of dojo.md §5.3 (3 assignments, 1 h lifetime, 10 min per assignment, auto-approve after 1 day)
 * and, once per HIT type, points its `AssignmentSubmitted` notifications at the SNS topic.
 *
 * @param client - MTurk client.
 * @param p - request content, reward, topic and environment.
 * @returns success flag, HIT id and preview URL; an AWS error yields `{success: false, hitId: null}`.
 * @throws HitTooLargeError when the question does not fit MTurk's 65 535-byte limit.
 */
export async function createRankingHit(
  client: MTurkClient,
  p: CreateRankingHitParams,
): Promise<CreateRankingHitResult> {
  const question = buildHtmlQuestion(p.prompt, p.completions);
  let hit: { HITId?: string | undefined; HITTypeId?: string | undefined; HITGroupId?: string | undefined } | undefined;
  try {
    const out = await client.send(
      new CreateHITCommand({
        Title: 'Prompt & Completion Evaluation Task',
        Description: `Read up to ${p.completions.length} sentences and score each prompt and sentence on a scale of 1 to 10 for quality.`,
        Keywords: 'text, quick, labeling, scoring, easy, bonus',
        Reward: p.reward,
        MaxAssignments: 3,
        LifetimeInSeconds: 3600,
        AssignmentDurationInSeconds: 600,
        AutoApprovalDelayInSeconds: 86400,
        Question: question,
      }),
    );
    hit = out.HIT;
  } catch (error) {
    return { success: false, hitId: null, hitTypeId: null, previewUrl: null, error };
  }
  if (!hit?.HITId || !hit.HITTypeId) {
    return {
      success: false,
      hitId: null,
      hitTypeId: null,
      previewUrl: null,
      error: new Error('CreateHIT returned no HIT'),
    };
  }
  const previewUrl = `${MTURK_ENDPOINTS[p.environment].preview}?groupId=${hit.HITGroupId ?? ''}`;
  if (!p.notifiedHitTypes.has(hit.HITTypeId)) {
    try {
      await client.send(
        new UpdateNotificationSettingsCommand({
          HITTypeId: hit.HITTypeId,
          Notification: {
            Destination: p.snsArn,
            Transport: 'SNS',
            Version: '2006-05-05',
            EventTypes: ['AssignmentSubmitted'],
          },
          Active: true,
        }),
      );
      p.notifiedHitTypes.add(hit.HITTypeId);
    } catch (error) {
      return { success: false, hitId: hit.HITId, hitTypeId: hit.HITTypeId, previewUrl, error };
    }
  }
  return { success: true, hitId: hit.HITId, hitTypeId: hit.HITTypeId, previewUrl };
}

/**
 * Reads the requester's available balance.
 *
 * @param client - MTurk client.
 * @returns `AvailableBalance` as MTurk returns it (a USD string).
 */
export async function getBalance(client: MTurkClient): Promise<string | undefined> {
  return (await client.send(new GetAccountBalanceCommand({}))).AvailableBalance;
}
