/**
 * Issue 7, "Must show": the human-feedback loop end to end, and the attacks on it.
 *
 * Real processes on real Redis (unique prefixes) and a LocalChain: the validator (pinned to MTurk `production`, a
 * shortened deadline) and an `aws_mturk` miner, both pointed at a local MTurk requester endpoint. Simulated workers
 * submit assignments there; each `AssignmentSubmitted` notification is an SNS-shaped Lambda event that invokes the
 * handler loaded FROM apps/lambda-forwarder/dist/lambda.zip, which posts the HMAC-signed callback to the miner; the
 * miner sends an `MTurkResponse` (with STS credentials from a local STS endpoint) to the validator, which verifies it
 * against MTurk (D12) and scores it at the deadline. Then: a forged callback, a replayed SNS message, a single-worker
 * HIT (with a validly signed forged `MTurkResponse`) and a sandbox HIT claimed as production, each rejected with
 * nothing credited. Assertions are on state (Redis, counters, answers), never on timings.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateHITCommand, MTurkClient } from '@aws-sdk/client-mturk';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { loadHotkeyPair } from '@dojo-ts/chain';
import { type AxonTarget, Dendrite } from '@dojo-ts/neuron';
import { type AWSCredentials, MTurkResponseDef } from '@dojo-ts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  counterValue,
  ForwarderSubscription,
  fetchText,
  keysUnder,
  type ValidatorEntry,
  validatorEntry,
  validatorHistory,
} from '../src/human-e2e/probe.js';
import { type HumanStack, startHumanStack } from '../src/human-e2e/stack.js';
import { pingRedis } from '../src/redis.js';
import { isAlive } from '../src/supervisor.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DEADLINE_S = 30;
/** A request is used for a scenario only when at least this much of its deadline is left. */
const MIN_LEFT_MS = 20_000;

const logDir = mkdtempSync(join(tmpdir(), 'dojo-human-e2e-log-'));
const logFile = join(logDir, 'processes.log');
let stack: HumanStack | null = null;
let sub: ForwarderSubscription | null = null;
let minerDendrite: Dendrite | null = null;
let stopped = false;

interface Picked {
  requestId: string;
  hitId: string;
  cids: string[];
}
let r1: Picked | null = null;
let r2: Picked | null = null;
let r1Means: Record<string, number> = {};

function s(): HumanStack {
  if (!stack) throw new Error('stack not started');
  return stack;
}

function processTails(): string {
  if (!stack) return '';
  return stack.sup.processes.map((p) => `--- ${p.name} ---\n${p.tail.slice(-25).join('\n')}`).join('\n');
}

async function waitUntil<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 90_000) {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}\n${processTails()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The miner's reply stored by the validator for a request. */
async function minerReply(requestId: string) {
  const e = await validatorEntry(s().redis, s().validatorBase, requestId);
  return e?.responses.find((r) => r.hotkey === s().hotkeys.miner) ?? null;
}

/**
 * The newest HIT whose request the validator saved with the miner's pending aws_mturk reply and whose deadline is far
 * enough away for a scenario.
 */
async function pickRequest(exclude: readonly string[]): Promise<Picked> {
  return waitUntil<Picked>('a fresh RankingRequest turned into a HIT', async () => {
    for (const hit of [...s().mturk.listHits()].reverse()) {
      if (exclude.includes(hit.HITId)) continue;
      const requestId = await s().redis.get(`${s().minerBase}hit:${hit.HITId}`);
      if (requestId === null) continue;
      const entry = (await validatorEntry(s().redis, s().validatorBase, requestId)) as
        | (ValidatorEntry & { deadline_ms?: number })
        | null;
      const reply = entry?.responses.find((r) => r.hotkey === s().hotkeys.miner);
      if (!entry || reply?.scoring_method !== 'aws_mturk' || reply.mturk_hit_id !== hit.HITId) continue;
      if ((entry.deadline_ms ?? 0) - Date.now() < MIN_LEFT_MS) continue;
      return { requestId, hitId: hit.HITId, cids: entry.request.completions.map((c) => c.cid) };
    }
    return null;
  });
}

/** Deterministic worker answers: every cid rated 1..10, different per worker. */
function answersOf(cids: readonly string[], worker: number): Record<string, number> {
  return Object.fromEntries(cids.map((c, i) => [c, 1 + ((i * 3 + worker * 2) % 9) + 0.25 * worker]));
}

function meansOf(maps: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const cid of Object.keys(maps[0] ?? {})) {
    out[cid] = maps.reduce((acc, m) => acc + (m[cid] ?? 0), 0) / maps.length;
  }
  return out;
}

const minerMetrics = () => fetchText(`http://127.0.0.1:${s().ports.minerApi}/metrics`);
const validatorMetrics = () => fetchText(`http://127.0.0.1:${s().ports.validatorApi}/metrics`);
const mturkAnswers = async (status: string) =>
  counterValue(await validatorMetrics(), 'dojo_validator_mturk_responses_total', { status });
const callbacks = async (outcome: string) =>
  counterValue(await minerMetrics(), 'dojo_miner_callbacks_total', { outcome });

/** Temporary credentials from the local STS endpoint, as a miner would hand them over. */
async function stsCredentials(environment: 'production' | 'sandbox'): Promise<AWSCredentials> {
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: s().sts.endpoint,
    credentials: { accessKeyId: 'AKIAATTACKER', secretAccessKey: 'attacker-local' },
  });
  try {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: s().roleArn, RoleSessionName: 'subnet_validator' }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('no credentials');
    return {
      access_key_id: c.AccessKeyId,
      secret_access_key: c.SecretAccessKey,
      session_token: c.SessionToken,
      access_expiration: c.Expiration.toISOString(),
      environment,
    };
  } finally {
    sts.destroy();
  }
}

/** An `MTurkResponse` sent straight to the validator's axon, signed by the miner's own hotkey. */
async function sendMTurkResponse(claim: {
  request_id: string;
  mturk_hit_id: string;
  completion_id_to_score: Record<string, number>;
  aws_credentials: AWSCredentials | null;
}) {
  if (!minerDendrite) throw new Error('no dendrite');
  const target: AxonTarget = { ip: '127.0.0.1', port: s().ports.validatorAxon, hotkey: s().hotkeys.validator };
  const out = await minerDendrite.call(target, MTurkResponseDef.create({ ...claim, scoring_method: 'aws_mturk' }), {
    timeoutS: 30,
    def: MTurkResponseDef,
  });
  return { status: out.dendrite.status_code, message: out.dendrite.status_message ?? '' };
}

function signedHeaders(body: string, secret: string, ts: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-dojo-timestamp': String(ts),
    'x-dojo-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

beforeAll(async () => {
  expect(await pingRedis(REDIS_URL), `no Redis answers on ${REDIS_URL}`).toBe(true);
  stack = await startHumanStack({
    repoRoot: ROOT,
    redisUrl: REDIS_URL,
    deadlineS: DEADLINE_S,
    queryIntervalS: 5,
    logFile,
  });
  sub = new ForwarderSubscription(stack.mturk, stack.forwarder);
  minerDendrite = new Dendrite(await loadHotkeyPair({ walletPath: stack.walletPath, name: 'miner' }), {
    externalIp: '127.0.0.1',
  });
}, 240_000);

afterAll(async () => {
  await sub?.close().catch(() => {});
  await minerDendrite?.close().catch(() => {});
  if (stack && !stopped) await stack.stop().catch(() => {});
  rmSync(logDir, { recursive: true, force: true });
}, 60_000);

describe('human feedback end to end: MTurk → SNS → bundled Lambda → signed callback → miner → validator', () => {
  it('a RankingRequest becomes a HIT; 3 workers answer; the validator verifies the aws_mturk reply (D12)', async () => {
    r1 = await pickRequest([]);
    const { hitId, cids, requestId } = r1;
    const hit = s().mturk.getHit(hitId);
    expect(hit?.MaxAssignments).toBe(3);
    for (const cid of cids) expect(hit?.Question).toContain(`name="${cid}"`);
    expect(await minerReply(requestId)).toMatchObject({ scoring_method: 'aws_mturk', ranks: [] });

    const answers = [1, 2, 3].map((w) => answersOf(cids, w));
    for (const [i, a] of answers.entries()) {
      s().mturk.submitAssignment(hitId, `E2EWORKER${i + 1}`, { taskAnswers: [a] });
    }
    r1Means = meansOf(answers);

    // three SNS deliveries; each ListAssignmentsForHIT already sees all three, so the bodies are identical
    const mine = await waitUntil('three forwarder deliveries', async () => {
      const d = sub?.deliveries.filter((x) => x.hitId === hitId) ?? [];
      return d.length === 3 ? d : null;
    });
    expect(mine.map((d) => [d.statusCode, d.assignments, d.error])).toEqual([
      [200, 3, null],
      [200, 3, null],
      [200, 3, null],
    ]);
    const verified = await waitUntil('the verified aws_mturk reply', async () => {
      const r = await minerReply(requestId);
      return r?.verified === true ? r : null;
    });
    expect(verified.mturk_hit_id).toBe(hitId);
    expect(verified.ranks.map((r) => r.cid)).toEqual(cids);
    for (const r of verified.ranks) expect(Math.abs(r.score - (r1Means[r.cid] as number))).toBeLessThanOrEqual(1e-9);
    // the credentials the validator verified with came from STS AssumeRole (session "subnet_validator")
    expect(s().sts.issued.map((c) => c.roleSessionName)).toContain('subnet_validator');
    // one body accepted; every further POST of it (the other two deliveries, any SNS-style retry) skipped
    expect(await callbacks('accepted')).toBe(1);
    expect(await callbacks('duplicate')).toBeGreaterThanOrEqual(2);
    expect(await mturkAnswers('200')).toBe(1);
    expect(await keysUnder(s().redis, `${s().minerBase}sent:${hitId}:*`)).toHaveLength(1);
  }, 150_000);

  it('a replayed SNS message is forwarded again but credits nothing twice (the miner skips the identical body)', async () => {
    if (!r1 || !sub) throw new Error('positive path did not run');
    const hitId = r1.hitId;
    const first = sub.notifications.find((n) => n.message.Events[0]?.HITId === hitId);
    expect(first).toBeDefined();
    const before = { dup: await callbacks('duplicate'), ok200: await mturkAnswers('200') };
    const again = await sub.redeliver(first?.snsEvent as NonNullable<typeof first>['snsEvent']);
    expect([again.statusCode, again.assignments, again.error]).toEqual([200, 3, null]);
    expect(await callbacks('duplicate')).toBeGreaterThan(before.dup);
    expect(await callbacks('accepted')).toBe(1);
    // no second assignment set was claimed for delivery, the validator answered no second MTurkResponse
    expect(await keysUnder(s().redis, `${s().minerBase}sent:${hitId}:*`)).toHaveLength(1);
    expect(await mturkAnswers('200')).toBe(before.ok200);
    const entry = await validatorEntry(s().redis, s().validatorBase, r1.requestId);
    const mturkReplies = entry?.responses.filter((r) => r.scoring_method === 'aws_mturk') ?? [];
    expect(mturkReplies).toHaveLength(1);
    expect(mturkReplies[0]).toMatchObject({ hotkey: s().hotkeys.miner, verified: true });
  }, 60_000);

  it('a forged callback (wrong HMAC, stale timestamp) is refused with 401 and stores nothing', async () => {
    if (!r1) throw new Error('positive path did not run');
    r2 = await pickRequest([r1.hitId]);
    const { hitId, cids, requestId } = r2;
    const body = JSON.stringify(
      [1, 2].map((w) => ({
        HITId: hitId,
        AssignmentId: `FORGEDASSIGNMENT${w}`,
        WorkerId: `FORGEDWORKER${w}`,
        Answer: [{ taskAnswers: [Object.fromEntries(cids.map((c) => [c, 10]))] }],
      })),
    );
    const url = `http://127.0.0.1:${s().ports.minerApi}/api/human_feedback/callback`;
    const before = { rejected: await callbacks('rejected_401'), v: await mturkAnswers('200') };
    const now = Math.floor(Date.now() / 1000);
    const wrongKey = await fetch(url, { method: 'POST', body, headers: signedHeaders(body, 'not-the-secret', now) });
    expect(wrongKey.status).toBe(401);
    const stale = await fetch(url, {
      method: 'POST',
      body,
      headers: signedHeaders(body, s().callbackSecret, now - 3600),
    });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { message: string }).message).toMatch(/stale/i);
    expect(await callbacks('rejected_401')).toBe(before.rejected + 2);
    // nothing stored for the HIT, nothing queued, nothing verified
    expect(await s().redis.exists(`${s().minerBase}asg:${hitId}`)).toBe(0);
    expect(await keysUnder(s().redis, `${s().minerBase}sent:${hitId}:*`)).toEqual([]);
    expect(await mturkAnswers('200')).toBe(before.v);
    expect(await minerReply(requestId)).toMatchObject({ ranks: [] });
    expect((await minerReply(requestId))?.verified).not.toBe(true);
  }, 120_000);

  it('a single-worker HIT: the miner waits, and a signed MTurkResponse claiming it is rejected (< 2 workers)', async () => {
    if (!r2 || !sub) throw new Error('forged-callback case did not run');
    const { hitId, cids, requestId } = r2;
    const only = answersOf(cids, 4);
    s().mturk.submitAssignment(hitId, 'E2ESOLOWORKER', { taskAnswers: [only] });
    const d = await waitUntil('the single-worker delivery', async () => sub?.deliveries.find((x) => x.hitId === hitId));
    expect([d.statusCode, d.assignments, d.error]).toEqual([200, 1, null]);
    // stored, but below --mturk.min_workers: no MTurkResponse queued
    expect(await s().redis.hlen(`${s().minerBase}asg:${hitId}`)).toBe(1);
    expect(await keysUnder(s().redis, `${s().minerBase}sent:${hitId}:*`)).toEqual([]);

    const before = { rejected: await mturkAnswers('401'), ok: await mturkAnswers('200') };
    const forged = await sendMTurkResponse({
      request_id: requestId,
      mturk_hit_id: hitId,
      completion_id_to_score: only,
      aws_credentials: await stsCredentials('production'),
    });
    expect(forged.status).toBe(401);
    expect(forged.message).toMatch(/Not enough distinct workers/);
    expect(await mturkAnswers('401')).toBe(before.rejected + 1);
    expect(await mturkAnswers('200')).toBe(before.ok);
    expect((await minerReply(requestId))?.verified).not.toBe(true);
    expect(await minerReply(requestId)).toMatchObject({ ranks: [] });
  }, 120_000);

  it('a sandbox HIT claimed as production is rejected by the pinned environment', async () => {
    if (!r2) throw new Error('forged-callback case did not run');
    const { hitId, cids, requestId } = r2;
    // the same question, really answered by two workers, but on the sandbox endpoint
    const client = new MTurkClient({
      region: 'us-east-1',
      endpoint: s().sandbox.endpoint,
      credentials: { accessKeyId: 'AKIASANDBOX', secretAccessKey: 'sandbox-local' },
    });
    let sandboxHit: string;
    try {
      const out = await client.send(
        new CreateHITCommand({
          Title: 'Prompt & Completion Evaluation Task',
          Description: 'score each response from 1 to 10',
          Reward: '0.01',
          MaxAssignments: 3,
          LifetimeInSeconds: 3600,
          AssignmentDurationInSeconds: 600,
          Question: s().mturk.getHit(hitId)?.Question ?? '',
        }),
      );
      sandboxHit = out.HIT?.HITId ?? '';
    } finally {
      client.destroy();
    }
    expect(sandboxHit).not.toBe('');
    const answers = [5, 6].map((w) => answersOf(cids, w));
    for (const [i, a] of answers.entries()) {
      s().sandbox.submitAssignment(sandboxHit, `SANDBOXWORKER${i + 1}`, { taskAnswers: [a] });
    }
    const means = meansOf(answers);

    const before = { rejected: await mturkAnswers('401'), ok: await mturkAnswers('200') };
    const asProduction = await sendMTurkResponse({
      request_id: requestId,
      mturk_hit_id: sandboxHit,
      completion_id_to_score: means,
      aws_credentials: await stsCredentials('production'),
    });
    expect(asProduction.status).toBe(401);
    expect(asProduction.message).toMatch(/GetHIT failed/);
    const asSandbox = await sendMTurkResponse({
      request_id: requestId,
      mturk_hit_id: sandboxHit,
      completion_id_to_score: means,
      aws_credentials: await stsCredentials('sandbox'),
    });
    expect(asSandbox.status).toBe(401);
    expect(asSandbox.message).toMatch(/Environment mismatch/);
    expect(await mturkAnswers('401')).toBe(before.rejected + 2);
    expect(await mturkAnswers('200')).toBe(before.ok);
    // the validator only ever asked its pinned (production) endpoint: the sandbox saw our CreateHIT alone
    expect(s().sandbox.calls).toEqual(['CreateHIT']);
    expect((await minerReply(requestId))?.verified).not.toBe(true);
  }, 120_000);

  it('at the shortened deadline the verified reply is scored and the miner gets its RankingResult; the attacked request credits nothing', async () => {
    if (!r1 || !r2) throw new Error('earlier cases did not run');
    const { validatorBase, minerBase, hotkeys, redis } = s();
    const ids = [r1.requestId, r2.requestId];
    await waitUntil(
      'both requests scored at their deadline',
      async () =>
        (await Promise.all(ids.map((id) => redis.exists(`${validatorBase}scored:${id}`)))).every((x) => x === 1),
      120_000,
    );
    const history = await validatorHistory(redis, validatorBase);
    const rec1 = history.find((h) => h.request_id === r1?.requestId);
    expect(rec1?.hotkey_to_score[hotkeys.miner]).toBeGreaterThan(0);
    expect(rec1?.num_responses).toBe(1);
    // consensus of the single (human) reply follows the workers' means
    const order = r1.cids.map((c) => r1Means[c] as number);
    const best = order.indexOf(Math.max(...order));
    expect(rec1?.consensus_scores.indexOf(Math.max(...(rec1?.consensus_scores ?? []).map((x) => x ?? -1)))).toBe(best);
    const rec2 = history.find((h) => h.request_id === r2?.requestId);
    expect(rec2?.hotkey_to_score[hotkeys.miner] ?? 0).toBe(0);

    // the miner received its own RankingResult for the verified request (D15), and no positive score for the other
    const results = await waitUntil('the RankingResult at the miner', async () => {
      const rows = (await redis.lrange(`${minerBase}scores`, 0, -1)).map(
        (r) => JSON.parse(r) as { request_id: string; score: number | null },
      );
      return rows.some((r) => r.request_id === r1?.requestId) ? rows : null;
    });
    expect(results.find((r) => r.request_id === r1?.requestId)?.score).toBeGreaterThan(0);
    expect(results.find((r) => r.request_id === r2?.requestId)?.score ?? 0).toBe(0);
    // the miner's EMA ranking score (uid → score, uid → hotkey) is positive, and /status counts both scored requests
    const [uids, scores] = await Promise.all([
      redis.hgetall(`${validatorBase}hotkeys`),
      redis.hgetall(`${validatorBase}scores`),
    ]);
    const minerUid = Object.entries(uids).find(([, hk]) => hk === hotkeys.miner)?.[0];
    expect(Number(scores[minerUid ?? ''] ?? 0)).toBeGreaterThan(0);
    const status = JSON.parse(await fetchText(`http://127.0.0.1:${s().ports.validatorApi}/status`)) as {
      scored: number;
    };
    expect(status.scored).toBeGreaterThanOrEqual(2);
    // exactly one MTurkResponse was ever accepted
    expect(await mturkAnswers('200')).toBe(1);
  }, 150_000);

  it('stops every process it started', async () => {
    await sub?.close();
    const { pids, alive } = await s().stop();
    stopped = true;
    expect(pids).toHaveLength(3);
    expect(alive).toEqual([]);
    for (const pid of pids) expect(isAlive(pid) || isAlive(-pid), String(pid)).toBe(false);
    expect(readFileSync(logFile, 'utf8')).toContain('verified MTurk response attached');
  }, 60_000);
});
