import {
  CreateHITCommand,
  GetAccountBalanceCommand,
  GetHITCommand,
  ListAssignmentsForHITCommand,
  MTurkClient,
  RequestError,
  UpdateNotificationSettingsCommand,
} from '@aws-sdk/client-mturk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionFormAnswersXml } from './mturk-answers.js';
import { type MTurkServer, startMTurkServer } from './mturk-server.js';

const QUESTION =
  '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">' +
  '<HTMLContent><![CDATA[<crowd-slider name="cid-1"></crowd-slider>]]></HTMLContent><FrameHeight>0</FrameHeight></HTMLQuestion>';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:mturk_sns_topic';

let server: MTurkServer;
let client: MTurkClient;

beforeAll(async () => {
  server = await startMTurkServer();
  client = new MTurkClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

async function createHit(overrides: Record<string, unknown> = {}) {
  const out = await client.send(
    new CreateHITCommand({
      Title: 'Prompt & Completion Evaluation Task',
      Description: 'score things',
      Keywords: 'text, quick',
      Reward: '0.01',
      MaxAssignments: 3,
      LifetimeInSeconds: 3600,
      AssignmentDurationInSeconds: 600,
      AutoApprovalDelayInSeconds: 86400,
      Question: QUESTION,
      ...overrides,
    }),
  );
  if (!out.HIT?.HITId || !out.HIT.HITTypeId) throw new Error('no HIT');
  return out.HIT;
}

describe('local MTurk server through @aws-sdk/client-mturk', () => {
  it('CreateHIT returns a HIT whose dates and counts decode, and GetHIT returns the same question', async () => {
    const hit = await createHit();
    expect(hit.HITId).toMatch(/^[A-Z0-9]{30}$/);
    expect(hit.HITStatus).toBe('Assignable');
    expect(hit.CreationTime).toBeInstanceOf(Date);
    expect(hit.Expiration?.getTime()).toBe((hit.CreationTime?.getTime() ?? 0) + 3_600_000);
    const got = await client.send(new GetHITCommand({ HITId: hit.HITId }));
    expect(got.HIT?.Question).toBe(QUESTION);
    expect(got.HIT?.NumberOfAssignmentsAvailable).toBe(3);
    expect(server.calls).toContain('CreateHIT');
  });

  it('HITs with identical properties share one HIT type', async () => {
    const a = await createHit();
    const b = await createHit();
    const c = await createHit({ Reward: '0.02' });
    expect(a.HITTypeId).toBe(b.HITTypeId);
    expect(c.HITTypeId).not.toBe(a.HITTypeId);
  });

  it('errors come back as the SDK RequestError with the server message', async () => {
    await expect(client.send(new GetHITCommand({ HITId: 'NOPE' }))).rejects.toBeInstanceOf(RequestError);
    await expect(client.send(new GetHITCommand({ HITId: 'NOPE' }))).rejects.toThrow(/does not exist/);
    await expect(createHit({ Question: 'x'.repeat(70_000) })).rejects.toThrow(/65535 bytes/);
    await expect(createHit({ Question: '<p>not a question</p>' })).rejects.toThrow(/parsing the XML/);
  });

  it('a submitted assignment is listed with QuestionFormAnswers XML and notified as AssignmentSubmitted', async () => {
    const hit = await createHit();
    await client.send(
      new UpdateNotificationSettingsCommand({
        HITTypeId: hit.HITTypeId,
        Notification: {
          Destination: TOPIC,
          Transport: 'SNS',
          Version: '2006-05-05',
          EventTypes: ['AssignmentSubmitted'],
        },
        Active: true,
      }),
    );
    const assignment = server.submitAssignment(hit.HITId as string, 'WORKER1', { taskAnswers: [{ 'cid-1': 5.68 }] });
    const n = await server.nextNotification();
    expect(n.destination).toBe(TOPIC);
    expect(n.message.EventDocVersion).toBe('2006-05-05');
    expect(n.message.Events).toEqual([
      {
        EventType: 'AssignmentSubmitted',
        EventTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        HITId: hit.HITId,
        AssignmentId: assignment.AssignmentId,
        HITTypeId: hit.HITTypeId,
      },
    ]);
    expect(n.snsEvent.Records[0]?.Sns.Message).toBe(n.messageJson);
    expect(JSON.parse(n.messageJson)).toEqual(n.message);

    const listed = await client.send(new ListAssignmentsForHITCommand({ HITId: hit.HITId }));
    expect(listed.NumResults).toBe(1);
    expect(listed.Assignments?.[0]?.WorkerId).toBe('WORKER1');
    expect(listed.Assignments?.[0]?.Answer).toBe(
      '<?xml version="1.0" encoding="ASCII"?><QuestionFormAnswers xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd">' +
        '<Answer><QuestionIdentifier>taskAnswers</QuestionIdentifier><FreeText>[{"cid-1":5.68}]</FreeText></Answer></QuestionFormAnswers>',
    );
  });

  it('no notification is published for a HIT type without settings, and a worker cannot answer a HIT twice', async () => {
    const hit = await createHit({ Title: 'other type' });
    const seen: string[] = [];
    const off = server.onNotification((n) => seen.push(n.message.Events[0]?.HITId ?? ''));
    server.submitAssignment(hit.HITId as string, 'W1', { taskAnswers: [{}] });
    expect(() => server.submitAssignment(hit.HITId as string, 'W1', { taskAnswers: [{}] })).toThrow(
      /already submitted/,
    );
    off();
    expect(seen).toEqual([]);
  });

  it('the HIT becomes Reviewable once MaxAssignments workers submitted, and pages of assignments chain by NextToken', async () => {
    const hit = await createHit({ MaxAssignments: 3 });
    for (const w of ['A', 'B', 'C']) server.submitAssignment(hit.HITId as string, w, { q: 'x' });
    expect(() => server.submitAssignment(hit.HITId as string, 'D', { q: 'x' })).toThrow(/not assignable/);
    const first = await client.send(new ListAssignmentsForHITCommand({ HITId: hit.HITId, MaxResults: 2 }));
    expect(first.Assignments?.map((a) => a.WorkerId)).toEqual(['A', 'B']);
    const second = await client.send(
      new ListAssignmentsForHITCommand({ HITId: hit.HITId, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.Assignments?.map((a) => a.WorkerId)).toEqual(['C']);
    expect(second.NextToken).toBeUndefined();
    expect((await client.send(new GetHITCommand({ HITId: hit.HITId }))).HIT?.HITStatus).toBe('Reviewable');
  });

  it('GetAccountBalance answers the configured balance', async () => {
    expect((await client.send(new GetAccountBalanceCommand({}))).AvailableBalance).toBe('10000.00');
  });

  it('requests without a SigV4 Authorization header or with an unknown target are refused', async () => {
    const unsigned = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'MTurkRequesterServiceV20170117.GetAccountBalance',
      },
      body: '{}',
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      Message: 'Missing Authentication Token',
    });
    const unknown = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'MTurkRequesterServiceV20170117.DeleteEverything',
        authorization: 'AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/mturk-requester/aws4_request',
        'x-amz-date': '20240101T000000Z',
      },
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('memory stays bounded: the oldest HIT is evicted past maxHits', async () => {
    const small = await startMTurkServer({ maxHits: 2 });
    const c = new MTurkClient({
      region: 'us-east-1',
      endpoint: small.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await c.send(
        new CreateHITCommand({
          Title: 't',
          Description: 'd',
          Reward: '0.01',
          LifetimeInSeconds: 60,
          AssignmentDurationInSeconds: 60,
          Question: QUESTION,
        }),
      );
      ids.push(out.HIT?.HITId as string);
    }
    expect(small.listHits().map((h) => h.HITId)).toEqual(ids.slice(1));
    c.destroy();
    await small.close();
  });
});

describe('questionFormAnswersXml', () => {
  it('escapes markup and writes non-ASCII as character references (encoding="ASCII")', () => {
    expect(questionFormAnswersXml({ 'a<b': 'x & y > é' })).toContain(
      '<QuestionIdentifier>a&lt;b</QuestionIdentifier><FreeText>x &amp; y &gt; &#233;</FreeText>',
    );
  });
});
