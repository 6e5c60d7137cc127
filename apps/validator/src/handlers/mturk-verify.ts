/**
 * Verification of an `MTurkResponse` against MTurk itself (dojo.md §9.2, D12): pinned environment, the HIT question
 * names every request cid, ≥ min distinct workers, claimed means equal the assignment means within a tolerance.
 * A fresh MTurk client is built for every verification (upstream reused one client with the first miner's keys).
 */
import {
  GetHITCommand,
  ListAssignmentsForHITCommand,
  type ListAssignmentsForHITCommandOutput,
  MTurkClient,
} from '@aws-sdk/client-mturk';
import type { AWSCredentials } from '@dojo-ts/protocol';
import { MTurkVerificationError } from '../errors.js';

/** Requester endpoints by environment (region us-east-1). */
export const MTURK_ENDPOINTS = {
  production: 'https://mturk-requester.us-east-1.amazonaws.com',
  sandbox: 'https://mturk-requester-sandbox.us-east-1.amazonaws.com',
} as const;

/** Options of {@link verifyMTurkResponse}. */
export interface MTurkVerifyOptions {
  /** `--mturk.environment`: the only environment accepted (D12). */
  environment: 'production' | 'sandbox';
  /** `--mturk.endpoint`: overrides the endpoint of `environment` (a local MTurk server in tests). */
  endpoint?: string | null;
  /** `--mturk.min_workers` (2). */
  minWorkers: number;
  /** `--mturk.mean_tolerance` (1e-6). */
  meanTolerance: number;
  /** `--mturk.credentials`: `miner` uses the response's STS credentials, `validator` the validator's own keys. */
  credentialsMode: 'miner' | 'validator';
  /** The validator's keys (env), for `credentialsMode = 'validator'`. */
  validatorCredentials?: { accessKeyId: string; secretAccessKey: string } | null;
  /** Largest number of assignment pages read. @defaultValue 20 */
  maxPages?: number;
}

/** What a verification needs from the response. */
export interface MTurkClaim {
  mturk_hit_id: string;
  aws_credentials: AWSCredentials | null;
  completion_id_to_score: Readonly<Record<string, number>>;
}

const decodeXml = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, '&');

/**
 * Extracts `{cid: score}` maps from a QuestionFormAnswers XML (`taskAnswers` is a JSON list of one map, §6).
 * @returns every answered map (malformed `FreeText` values are ignored)
 */
export function parseTaskAnswers(answerXml: string): Array<Record<string, number>> {
  const out: Array<Record<string, number>> = [];
  const answerRe = /<Answer>([\s\S]*?)<\/Answer>/g;
  for (let m = answerRe.exec(answerXml); m !== null; m = answerRe.exec(answerXml)) {
    const body = m[1] ?? '';
    const qid = /<QuestionIdentifier>([\s\S]*?)<\/QuestionIdentifier>/.exec(body)?.[1];
    const cdata = /<FreeText><!\[CDATA\[([\s\S]*?)\]\]><\/FreeText>/.exec(body)?.[1];
    const free = cdata ?? /<FreeText>([\s\S]*?)<\/FreeText>/.exec(body)?.[1];
    if (qid === undefined || free === undefined || decodeXml(qid).trim() !== 'taskAnswers') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(cdata !== undefined ? free : decodeXml(free));
    } catch {
      continue;
    }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    for (const item of items) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
      const map: Record<string, number> = {};
      for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
        if (Number.isFinite(n)) map[k] = n;
      }
      out.push(map);
    }
  }
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Verifies a claimed MTurk result (§9.2).
 * @param claim - hit id, credentials and claimed per-cid means (1–10 scale)
 * @param requestCids - the request's completion ids
 * @param opts - environment, endpoint, thresholds, credential mode
 * @throws MTurkVerificationError with the reason the miner gets back (401)
 */
export async function verifyMTurkResponse(
  claim: MTurkClaim,
  requestCids: readonly string[],
  opts: MTurkVerifyOptions,
): Promise<void> {
  let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  if (opts.credentialsMode === 'validator') {
    if (!opts.validatorCredentials) throw new MTurkVerificationError('Validator has no MTurk credentials');
    credentials = opts.validatorCredentials;
  } else {
    const c = claim.aws_credentials;
    if (!c) throw new MTurkVerificationError('Missing AWS credentials');
    if (c.environment !== opts.environment) throw new MTurkVerificationError('Environment mismatch');
    credentials = { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key, sessionToken: c.session_token };
  }
  if (
    opts.credentialsMode === 'validator' &&
    claim.aws_credentials &&
    claim.aws_credentials.environment !== opts.environment
  ) {
    throw new MTurkVerificationError('Environment mismatch');
  }
  const client = new MTurkClient({
    region: 'us-east-1',
    endpoint: opts.endpoint ?? MTURK_ENDPOINTS[opts.environment],
    credentials,
    maxAttempts: 2,
  });
  try {
    let question: string;
    try {
      const hit = await client.send(new GetHITCommand({ HITId: claim.mturk_hit_id }));
      question = hit.HIT?.Question ?? '';
    } catch (err) {
      throw new MTurkVerificationError(`GetHIT failed: ${(err as Error).name}`, { cause: err });
    }
    for (const cid of requestCids) {
      if (!new RegExp(`name=["']${escapeRe(cid)}["']`).test(question)) {
        throw new MTurkVerificationError('HIT does not match request');
      }
    }
    const assignments: Array<{ workerId: string; answers: Array<Record<string, number>> }> = [];
    let token: string | undefined;
    let pages = 0;
    do {
      let page: ListAssignmentsForHITCommandOutput;
      try {
        page = await client.send(
          new ListAssignmentsForHITCommand({ HITId: claim.mturk_hit_id, MaxResults: 100, NextToken: token }),
        );
      } catch (err) {
        throw new MTurkVerificationError(`ListAssignmentsForHIT failed: ${(err as Error).name}`, { cause: err });
      }
      for (const a of page.Assignments ?? []) {
        assignments.push({ workerId: a.WorkerId ?? '', answers: parseTaskAnswers(a.Answer ?? '') });
      }
      token = page.NextToken;
      pages++;
    } while (token && pages < (opts.maxPages ?? 20));
    if (assignments.length === 0) throw new MTurkVerificationError('No assignments found for HIT');
    const workers = new Set(assignments.map((a) => a.workerId).filter((w) => w !== ''));
    if (workers.size < opts.minWorkers) throw new MTurkVerificationError('Not enough distinct workers');
    const cidSet = new Set(requestCids);
    const sums = new Map<string, { sum: number; count: number }>();
    // mean over every answered score, as the miner computes it (§7 step 2; one map per assignment in practice)
    for (const a of assignments) {
      for (const map of a.answers) {
        for (const [cid, score] of Object.entries(map)) {
          if (!cidSet.has(cid)) throw new MTurkVerificationError('Unexpected completion ID');
          const s = sums.get(cid) ?? { sum: 0, count: 0 };
          s.sum += score;
          s.count += 1;
          sums.set(cid, s);
        }
      }
    }
    const claimed = Object.keys(claim.completion_id_to_score);
    if (claimed.length !== sums.size || claimed.some((c) => !sums.has(c))) {
      throw new MTurkVerificationError('Score mismatch');
    }
    for (const [cid, s] of sums) {
      const mean = s.sum / s.count;
      if (!(Math.abs((claim.completion_id_to_score[cid] as number) - mean) <= opts.meanTolerance)) {
        throw new MTurkVerificationError('Score mismatch');
      }
    }
  } finally {
    client.destroy();
  }
}
