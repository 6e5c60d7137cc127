/**
 * MTurkResponse handling against the local MTurk requester server, driven through @aws-sdk/client-mturk, with the
 * request store on real Redis.
 */
import { CreateHITCommand, MTurkClient } from '@aws-sdk/client-mturk';
import { type MTurkServer, startMTurkServer } from '@dojo-ts/local-services';
import { emptyTerminalInfo, MTurkResponseDef } from '@dojo-ts/protocol';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreJobData } from '../jobs/queues.js';
import { openScoringQueue } from '../jobs/workers.js';
import { emptyView } from '../neuron-view.js';
import { storeKeys } from '../store/keys.js';
import { loadRequest, saveRequest } from '../store/request-store.js';
import { deleteKeys, makeEntry, newRedis, silentLog, testPrefix } from '../test-utils/helpers.js';
import { handleMTurkResponse, mturkBlacklist } from './mturk-response.js';
import { type MTurkVerifyOptions, parseTaskAnswers, verifyMTurkResponse } from './mturk-verify.js';

const prefix = testPrefix();
const keys = storeKeys(prefix, 1, 'validator');
let redis: Redis;
let queue: Queue<ScoreJobData>;
let mturk: MTurkServer;
let requester: MTurkClient;

const creds = (environment: 'production' | 'sandbox') => ({
  access_key_id: 'ASIALOCAL',
  secret_access_key: 'local-secret',
  session_token: 'local-session',
  access_expiration: new Date(Date.now() + 3600_000).toISOString(),
  environment,
});

function question(cids: readonly string[]): string {
  const sliders = cids.map(
    (c) => `<crowd-slider name="${c}" min="1" max="10" step="0.01" required pin></crowd-slider>`,
  );
  return (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">' +
    `<HTMLContent><![CDATA[<crowd-form>${sliders.join('')}</crowd-form>]]></HTMLContent><FrameHeight>0</FrameHeight></HTMLQuestion>`
  );
}

async function createHit(cids: readonly string[]): Promise<string> {
  const out = await requester.send(
    new CreateHITCommand({
      Title: 'Prompt & Completion Evaluation Task',
      Description: 'score',
      Reward: '0.01',
      MaxAssignments: 3,
      LifetimeInSeconds: 3600,
      AssignmentDurationInSeconds: 600,
      Question: question(cids),
    }),
  );
  return out.HIT?.HITId as string;
}

function opts(over: Partial<MTurkVerifyOptions> = {}): MTurkVerifyOptions {
  return {
    environment: 'production',
    endpoint: mturk.endpoint,
    minWorkers: 2,
    meanTolerance: 1e-6,
    credentialsMode: 'miner',
    ...over,
  };
}

const deps = () => ({
  redis,
  keys,
  log: silentLog,
  verify: (claim: Parameters<typeof verifyMTurkResponse>[0], cids: readonly string[]) =>
    verifyMTurkResponse(claim, cids, opts()),
});

function response(
  requestId: string,
  hitId: string,
  scores: Record<string, number>,
  env: 'production' | 'sandbox' = 'production',
) {
  return MTurkResponseDef.create({
    request_id: requestId,
    mturk_hit_id: hitId,
    aws_credentials: creds(env),
    completion_id_to_score: scores,
  });
}

beforeAll(async () => {
  redis = newRedis();
  queue = openScoringQueue(redis, keys.bullPrefix);
  mturk = await startMTurkServer();
  requester = new MTurkClient({
    region: 'us-east-1',
    endpoint: mturk.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  requester.destroy();
  await mturk.close();
  await queue.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('MTurkResponse verification (D12) and attachment (§9.1)', () => {
  it('attaches a verified response as the miner aws_mturk reply with ranks in request order', async () => {
    const entry = makeEntry('mt-ok', ['miner-a', 'miner-b'], { nCompletions: 3, deadlineMs: Date.now() + 60_000 });
    await saveRequest(redis, keys, queue, entry, Date.now());
    const cids = entry.request.completions.map((c) => c.cid);
    const hit = await createHit(cids);
    mturk.submitAssignment(hit, 'W1', {
      taskAnswers: [{ [cids[0] as string]: 8, [cids[1] as string]: 3, [cids[2] as string]: 5.5 }],
    });
    mturk.submitAssignment(hit, 'W2', {
      taskAnswers: [{ [cids[0] as string]: 9, [cids[1] as string]: 2, [cids[2] as string]: 6 }],
    });
    const means = { [cids[2] as string]: 5.75, [cids[0] as string]: 8.5, [cids[1] as string]: 2.5 };
    const out = await handleMTurkResponse(deps(), response('mt-ok', hit, means), 'miner-b');
    expect(out.axon.status_code).toBe(200);
    const stored = await loadRequest(redis, keys, 'mt-ok');
    const reply = stored?.responses.find((r) => r.hotkey === 'miner-b');
    expect(reply?.scoring_method).toBe('aws_mturk');
    expect(reply?.verified).toBe(true);
    expect(reply?.mturk_hit_id).toBe(hit);
    expect(reply?.ranks).toEqual([
      { cid: cids[0], score: 8.5 },
      { cid: cids[1], score: 2.5 },
      { cid: cids[2], score: 5.75 },
    ]);
    expect(stored?.version).toBe(1);
  });

  it('rejects: unknown request 404, non-participant 403, foreign cid 400', async () => {
    const entry = makeEntry('mt-guard', ['miner-a'], { nCompletions: 2, deadlineMs: Date.now() + 60_000 });
    await saveRequest(redis, keys, queue, entry, Date.now());
    const cid = entry.request.completions[0]?.cid as string;
    expect((await handleMTurkResponse(deps(), response('nope', 'H', { [cid]: 5 }), 'miner-a')).axon.status_code).toBe(
      404,
    );
    const notParticipant = await handleMTurkResponse(deps(), response('mt-guard', 'H', { [cid]: 5 }), 'miner-z');
    expect([notParticipant.axon.status_code, notParticipant.axon.status_message]).toEqual([403, 'Not a participant']);
    expect(
      (await handleMTurkResponse(deps(), response('mt-guard', 'H', { other: 5 }), 'miner-a')).axon.status_code,
    ).toBe(400);
    expect((await handleMTurkResponse(deps(), response('mt-guard', 'H', {}), 'miner-a')).axon.status_code).toBe(400);
    expect((await handleMTurkResponse(deps(), response('mt-guard', 'H', { [cid]: 5 }), null)).axon.status_code).toBe(
      403,
    );
  });

  it('rejects with 401 and stores nothing: sandbox credentials, foreign HIT, one worker, wrong means, extra cid', async () => {
    const entry = makeEntry('mt-bad', ['miner-a'], { nCompletions: 2, deadlineMs: Date.now() + 60_000 });
    await saveRequest(redis, keys, queue, entry, Date.now());
    const [c0, c1] = entry.request.completions.map((c) => c.cid) as [string, string];
    const reason = async (
      hit: string,
      scores: Record<string, number>,
      env: 'production' | 'sandbox' = 'production',
    ) => {
      const out = await handleMTurkResponse(deps(), response('mt-bad', hit, scores, env), 'miner-a');
      expect(out.axon.status_code).toBe(401);
      return out.axon.status_message;
    };
    const good = await createHit([c0, c1]);
    mturk.submitAssignment(good, 'W1', { taskAnswers: [{ [c0]: 4, [c1]: 6 }] });
    expect(await reason(good, { [c0]: 4, [c1]: 6 }, 'sandbox')).toBe('Environment mismatch');
    expect(await reason(good, { [c0]: 4, [c1]: 6 })).toBe('Not enough distinct workers');
    mturk.submitAssignment(good, 'W1b', { taskAnswers: [{ [c0]: 6, [c1]: 8 }] });
    expect(await reason(good, { [c0]: 5, [c1]: 7.1 })).toBe('Score mismatch');
    expect(await reason(good, { [c0]: 5 })).toBe('Score mismatch');
    const foreign = await createHit([c0, 'someone-else']);
    expect(await reason(foreign, { [c0]: 5 })).toBe('HIT does not match request');
    const empty = await createHit([c0, c1]);
    expect(await reason(empty, { [c0]: 5 })).toBe('No assignments found for HIT');
    const extra = await createHit([c0, c1]);
    mturk.submitAssignment(extra, 'W1', { taskAnswers: [{ [c0]: 4, bogus: 1 }] });
    mturk.submitAssignment(extra, 'W2', { taskAnswers: [{ [c0]: 4 }] });
    expect(await reason(extra, { [c0]: 4 })).toBe('Unexpected completion ID');
    const stored = await loadRequest(redis, keys, 'mt-bad');
    expect(stored?.responses.map((r) => r.scoring_method)).toEqual(['hf_model']);
    expect(stored?.version).toBe(0);
  });

  it('parses QuestionFormAnswers with escaped FreeText', () => {
    const xml =
      '<QuestionFormAnswers><Answer><QuestionIdentifier>taskAnswers</QuestionIdentifier>' +
      '<FreeText>[{&quot;a&quot;:5.68,&quot;b&quot;:7.49}]</FreeText></Answer>' +
      '<Answer><QuestionIdentifier>other</QuestionIdentifier><FreeText>1</FreeText></Answer></QuestionFormAnswers>';
    expect(parseTaskAnswers(xml)).toEqual([{ a: 5.68, b: 7.49 }]);
  });
});

describe('MTurkResponse blacklist', () => {
  it('rejects unknown hotkeys and validators, accepts miners', () => {
    const view = {
      ...emptyView(1),
      n: 2,
      hotkeys: ['m', 'v'],
      stakes: [10, 50_000],
      uidOf: new Map([
        ['m', 0],
        ['v', 1],
      ]),
    };
    const bl = mturkBlacklist(() => view, 1000);
    const hs = (hotkey: string | null) => ({ dendrite: { ...emptyTerminalInfo(), hotkey } }) as never;
    expect(bl(hs('x'))).toEqual([true, 'Unrecognized hotkey']);
    expect(bl(hs(null))).toEqual([true, 'Unrecognized hotkey']);
    expect(bl(hs('v'))).toEqual([true, 'Validators not allowed']);
    expect(bl(hs('m'))[0]).toBe(false);
  });
});
