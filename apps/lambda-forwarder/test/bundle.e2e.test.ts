import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateHITCommand, MTurkClient, UpdateNotificationSettingsCommand } from '@aws-sdk/client-mturk';
import { type MTurkServer, startMTurkServer } from '@dojo-ts/local-services';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The handler under test is the one inside dist/lambda.zip, extracted to a folder with no node_modules around it,
// so the test also proves the bundle is self-contained.
const root = join(import.meta.dirname, '..');
const SECRET = 'test-secret-do-not-use';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:mturk_sns_topic';

type Received = { body: string; signature: string; timestamp: string; validSignature: boolean };
let mturk: MTurkServer;
let target: Server;
let extracted: string;
let handler: (event: unknown) => Promise<{ statusCode: number; body: string; assignments: number }>;
const received: Received[] = [];
let answerWith = 200;

beforeAll(async () => {
  execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, 'scripts', 'bundle.ts')], {
    stdio: 'pipe',
  });
  extracted = mkdtempSync(join(tmpdir(), 'dojo-lambda-'));
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(join(root, 'dist', 'lambda.zip'))))) {
    writeFileSync(join(extracted, name), bytes);
  }
  mturk = await startMTurkServer();
  target = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const signature = String(req.headers['x-dojo-signature'] ?? '');
    const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const validSignature =
      signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    received.push({ body, signature, timestamp: String(req.headers['x-dojo-timestamp'] ?? ''), validSignature });
    res.statusCode = answerWith;
    res.setHeader('content-type', 'application/json');
    res.end(answerWith === 200 ? 'null' : JSON.stringify({ message: 'nope' }));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    TARGET_URL: `http://127.0.0.1:${(target.address() as AddressInfo).port}/api/human_feedback/callback`,
    MTURK_ENDPOINT_URL: mturk.endpoint,
    DOJO_ALLOW_LOCAL_MTURK: '1',
    DOJO_CALLBACK_SECRET_SOURCE: 'env:TEST_DOJO_SECRET',
    TEST_DOJO_SECRET: SECRET,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
  });
  ({ handler } = await import(pathToFileURL(join(extracted, 'index.mjs')).href));
}, 60_000);

afterAll(async () => {
  await mturk?.close();
  await new Promise<void>((resolve) => target?.close(() => resolve()));
  rmSync(extracted, { recursive: true, force: true });
});

async function createHit(cids: string[]): Promise<string> {
  const client = new MTurkClient({
    region: 'us-east-1',
    endpoint: mturk.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
  });
  const sliders = cids.map(
    (c) => `<crowd-slider name="${c}" min="1" max="10" step="0.01" required pin></crowd-slider>`,
  );
  const question = `<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"><HTMLContent><![CDATA[<crowd-form>${sliders.join('')}</crowd-form>]]></HTMLContent><FrameHeight>0</FrameHeight></HTMLQuestion>`;
  const out = await client.send(
    new CreateHITCommand({
      Title: 'Prompt & Completion Evaluation Task',
      Description: 'score',
      Reward: '0.01',
      MaxAssignments: 3,
      LifetimeInSeconds: 3600,
      AssignmentDurationInSeconds: 600,
      Question: question,
    }),
  );
  await client.send(
    new UpdateNotificationSettingsCommand({
      HITTypeId: out.HIT!.HITTypeId!,
      Notification: {
        Destination: TOPIC,
        Transport: 'SNS',
        Version: '2006-05-05',
        EventTypes: ['AssignmentSubmitted'],
      },
      Active: true,
    }),
  );
  return out.HIT!.HITId!;
}

describe('the bundled forwarder, driven by MTurk notifications', () => {
  it('posts every assignment so far, HMAC-signed with a fresh timestamp, once per SNS delivery', async () => {
    const hitId = await createHit(['c1', 'c2']);
    mturk.submitAssignment(hitId, 'WORKER1', { taskAnswers: [{ c1: 5.5, c2: 7 }] });
    const first = await mturk.nextNotification();
    const r1 = await handler(first.snsEvent);
    expect(r1).toMatchObject({ statusCode: 200, assignments: 1 });

    mturk.submitAssignment(hitId, 'WORKER2', { taskAnswers: [{ c1: 6.5, c2: 9 }] });
    const r2 = await handler((await mturk.nextNotification()).snsEvent);
    expect(r2.assignments).toBe(2);

    const last = received.at(-1)!;
    expect(last.validSignature).toBe(true);
    expect(Math.abs(Number(last.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const posted = JSON.parse(last.body) as Array<{ HITId: string; WorkerId: string; Answer: unknown[] }>;
    expect(posted.map((a) => a.WorkerId).sort()).toEqual(['WORKER1', 'WORKER2']);
    expect(posted[0]).toMatchObject({ HITId: hitId, Answer: [{ taskAnswers: [expect.any(Object)] }] });
    expect(posted.flatMap((a) => a.Answer)).toContainEqual({ taskAnswers: [{ c1: 6.5, c2: 9 }] });
  });

  it('re-posts the identical body on SNS redelivery (the miner skips it), so delivery is idempotent', async () => {
    const hitId = await createHit(['x1']);
    mturk.submitAssignment(hitId, 'W1', { taskAnswers: [{ x1: 3 }] });
    const n = await mturk.nextNotification();
    await handler(n.snsEvent);
    await handler(n.snsEvent);
    const [a, b] = received.slice(-2);
    expect(a!.body).toBe(b!.body);
  });

  it('throws on a 5xx or unreachable miner so SNS retries, and returns a 4xx as is', async () => {
    const hitId = await createHit(['y1']);
    mturk.submitAssignment(hitId, 'W1', { taskAnswers: [{ y1: 2 }] });
    const n = await mturk.nextNotification();
    answerWith = 503;
    await expect(handler(n.snsEvent)).rejects.toThrow(/miner answered 503/);
    answerWith = 401;
    await expect(handler(n.snsEvent)).resolves.toMatchObject({ statusCode: 401 });
    answerWith = 200;
  });

  it('posts nothing for a delivery without AssignmentSubmitted events', async () => {
    const before = received.length;
    const ping = {
      Records: [
        { EventSource: 'aws:sns', Sns: { Message: JSON.stringify({ Events: [{ EventType: 'Ping', HITId: 'H' }] }) } },
      ],
    };
    await expect(handler(ping)).resolves.toMatchObject({ statusCode: 204 });
    expect(received.length).toBe(before);
  });

  it('fails the invocation on a malformed SNS message instead of dropping it silently', async () => {
    await expect(handler({ Records: [{ Sns: { Message: '{' } }] })).rejects.toThrow(/not JSON/);
  });
});
