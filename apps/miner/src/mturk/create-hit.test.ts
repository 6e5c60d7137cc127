import { GetHITCommand } from '@aws-sdk/client-mturk';
import { type MTurkServer, startMTurkServer } from '@dojo-ts/local-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HitTooLargeError } from '../errors.js';
import { createMTurkClient, createRankingHit, getBalance } from './create-hit.js';
import { buildHtmlQuestion, escapeHtml } from './html-question.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:mturk_sns_topic';
const completions = [
  { cid: '0b7c3a52-8f43-4a43-9c3e-1e6c7a0f0c11', text: 'A **bold** answer with <script>alert(1)</script>' },
  { cid: '6a1e2f77-2d0b-4a51-8f0b-3b5a8d2c9e22', text: '[click](javascript:alert(1)) and ]]> end' },
];

describe('buildHtmlQuestion', () => {
  it('escapes the prompt and renders completions without raw HTML or script links', () => {
    const xml = buildHtmlQuestion('<img src=x onerror=alert(1)> & "q"', completions);
    expect(xml).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;');
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('<script>alert');
    expect(xml).toContain('<strong>bold</strong>');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).not.toContain('href="javascript:');
  });

  it('names one 1-10 slider per completion by its raw cid, in order', () => {
    const xml = buildHtmlQuestion('p', completions);
    const names = [...xml.matchAll(/<crowd-slider name="([^"]+)" min="1" max="10" step="0.01" required pin>/g)].map(
      (m) => m[1],
    );
    expect(names).toEqual(completions.map((c) => c.cid));
    expect(xml).toMatch(
      /^<HTMLQuestion xmlns="http:\/\/mechanicalturk\.amazonaws\.com\/AWSMechanicalTurkDataSchemas\/2011-11-11\/HTMLQuestion\.xsd">/,
    );
    expect(xml).toContain('<FrameHeight>0</FrameHeight>');
  });

  it('keeps a "]]>" in content from closing the CDATA section early', () => {
    const xml = buildHtmlQuestion(']]>', [{ cid: 'c', text: 'x' }]);
    const inner = xml.slice(xml.indexOf('<HTMLContent>') + 13, xml.indexOf('</HTMLContent>'));
    const reassembled = inner
      .replace(/^<!\[CDATA\[/, '')
      .replace(/\]\]>$/, '')
      .replaceAll(']]]]><![CDATA[>', ']]>');
    expect(reassembled).not.toContain('<![CDATA[');
    expect(reassembled).toContain('Prompt:');
  });

  it('refuses a question above 65 535 bytes instead of truncating it', () => {
    expect(() => buildHtmlQuestion('x'.repeat(70_000), completions)).toThrow(HitTooLargeError);
  });

  it('escapeHtml covers the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('createRankingHit against the local MTurk server', () => {
  let server: MTurkServer;
  beforeAll(async () => {
    server = await startMTurkServer();
  });
  afterAll(async () => server.close());

  it('creates the HIT with the spec parameters and sets SNS notifications once per HIT type', async () => {
    const client = createMTurkClient({
      environment: 'sandbox',
      endpoint: server.endpoint,
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    const notified = new Set<string>();
    const params = {
      prompt: 'p?',
      completions,
      reward: '0.01',
      snsArn: TOPIC,
      environment: 'sandbox' as const,
      notifiedHitTypes: notified,
    };
    const first = await createRankingHit(client, params);
    const second = await createRankingHit(client, params);
    expect(first.success && second.success).toBe(true);
    expect(first.previewUrl).toMatch(/^https:\/\/workersandbox\.mturk\.com\/mturk\/preview\?groupId=[A-Z0-9]{30}$/);
    expect(server.calls.filter((c) => c === 'UpdateNotificationSettings')).toHaveLength(1);
    const hit = (await client.send(new GetHITCommand({ HITId: first.hitId as string }))).HIT;
    expect(hit).toMatchObject({ Title: 'Prompt & Completion Evaluation Task', Reward: '0.01', MaxAssignments: 3 });
    expect(hit?.AssignmentDurationInSeconds).toBe(600);
    expect(hit?.AutoApprovalDelayInSeconds).toBe(86400);
    expect(hit?.QualificationRequirements ?? []).toEqual([]);
    for (const c of completions) expect(hit?.Question).toContain(`name="${c.cid}"`);
    expect(await getBalance(client)).toBe('10000.00');
    client.destroy();
  });

  it('an AWS error yields success=false and no HIT id (no throw)', async () => {
    const client = createMTurkClient({
      environment: 'sandbox',
      endpoint: server.endpoint,
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    const out = await createRankingHit(client, {
      prompt: 'p',
      completions,
      reward: '0.001',
      snsArn: TOPIC,
      environment: 'sandbox',
      notifiedHitTypes: new Set(),
    });
    expect(out).toMatchObject({ success: false, hitId: null });
    client.destroy();
  });

  it('a notification failure leaves the HIT live but reports failure', async () => {
    const client = createMTurkClient({
      environment: 'sandbox',
      endpoint: server.endpoint,
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    const out = await createRankingHit(client, {
      prompt: 'p',
      completions,
      reward: '0.01',
      snsArn: 'not-an-arn',
      environment: 'sandbox',
      notifiedHitTypes: new Set(),
    });
    expect(out.success).toBe(false);
    expect(server.getHit(out.hitId as string)?.HITStatus).toBe('Assignable');
    client.destroy();
  });
});
