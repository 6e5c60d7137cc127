import { dojoChatResponder, type OpenAiServer, startOpenAiCompatibleServer } from '@dojo-ts/local-services';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmRequestError, LlmResponseError } from './errors.js';
import { LlmJudge, type LlmJudgeOptions } from './llm-judge.js';
import { SCORES_RESPONSE_SCHEMA } from './llm-prompts.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary request JSON
type Json = any;

const KEY = 'sk-test-judge';
const completions = [
  { cid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', text: 'four' },
  { cid: '6fa459ea-ee8a-3ca4-894e-db77e160355e', text: 'it is four, because two plus two is four' },
];

function seeded(seed: number) {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

describe('LlmJudge against the local OpenAI-compatible server (real openai SDK)', () => {
  let server: OpenAiServer;
  let delays: number[];
  const judge = (options: LlmJudgeOptions = {}) =>
    new LlmJudge({
      baseURL: server.url,
      apiKey: KEY,
      model: 'gpt-4o-mini',
      sleep: async (ms) => {
        delays.push(ms);
      },
      ...options,
    });

  beforeAll(async () => {
    server = await startOpenAiCompatibleServer({
      apiKey: KEY,
      chat: dojoChatResponder({
        score: (_p, c) => Math.min(1, c.text.length / 50),
        prefer: (a, b) => (a.includes('chosen') ? 1 : b.includes('chosen') ? 2 : 1),
      }),
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    delays = [];
    server.reset();
  });

  it('togetherai dialect: temperature 0, system + user messages, json_object with the ScoresResponse schema', async () => {
    const scores = await judge({ provider: 'togetherai' }).score('what is 2+2?', completions);
    expect(scores).toEqual({ [completions[0]!.cid]: 4 / 50, [completions[1]!.cid]: 40 / 50 });
    const body = server.requests[0]?.body as Json;
    expect(body.temperature).toBe(0);
    expect(body.response_format).toEqual({ type: 'json_object', schema: SCORES_RESPONSE_SCHEMA });
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[1].content).toBe(
      `\nPrompt:\nwhat is 2+2?\n\n\nModel #${completions[0]!.cid}\n{"cid": "${completions[0]!.cid}", "text": "four"}\n\n\nModel #${completions[1]!.cid}\n{"cid": "${completions[1]!.cid}", "text": "${completions[1]!.text}"}\n\n\nAssistant:\n`,
    );
  });

  it('openai dialect: json_object without schema, schema stated in the system prompt', async () => {
    await judge({ provider: 'openai' }).score('what is 2+2?', completions);
    const body = server.requests[0]?.body as Json;
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0].content).toContain(JSON.stringify(SCORES_RESPONSE_SCHEMA));
  });

  it('divides scores by the range upper bound', async () => {
    server.enqueueFaults({
      content: JSON.stringify({ scores: completions.map((c, i) => ({ completion_id: c.cid, score: 2 + i * 6 })) }),
    });
    const scores = await judge({ range: { lower: 1, upper: 10 } }).score('p', completions);
    expect(Object.values(scores)).toEqual([0.2, 0.8]);
  });

  it('retries 429, 500 and malformed JSON with exponential backoff (4 s, 4 s, 4 s), then succeeds', async () => {
    server.enqueueFaults({ status: 429 }, { status: 500 }, { content: '{"scores": [' });
    const scores = await judge().score('p', completions);
    expect(Object.keys(scores)).toHaveLength(2);
    expect(server.requests).toHaveLength(4);
    expect(delays).toEqual([4000, 4000, 4000]);
  });

  it('gives up after 5 attempts on persistent 503 with DOJO_MODELS_LLM_REQUEST_FAILED', async () => {
    server.enqueueFaults(...Array.from({ length: 5 }, () => ({ status: 503 })));
    const err = await judge()
      .score('p', completions)
      .catch((e) => e);
    expect(err).toBeInstanceOf(LlmRequestError);
    expect(err).toMatchObject({ code: 'DOJO_MODELS_LLM_REQUEST_FAILED', status: 503 });
    expect(server.requests).toHaveLength(5);
    expect(delays).toEqual([4000, 4000, 4000, 8000]);
  });

  it('does not retry a 401 and never puts the key in the error', async () => {
    const err = await judge({ apiKey: 'sk-wrong-secret' })
      .score('p', completions)
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'DOJO_MODELS_LLM_REQUEST_FAILED', status: 401 });
    expect(delays).toEqual([]);
    expect(String(err.message)).not.toContain('sk-wrong-secret');
  });

  it('does not retry a 404 unknown model', async () => {
    const err = await judge({ model: 'no-such-model' })
      .score('p', completions)
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'DOJO_MODELS_LLM_REQUEST_FAILED', status: 404 });
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['a missing cid', { scores: [{ completion_id: completions[0]!.cid, score: 0.5 }] }, /misses completion_id/],
    [
      'an unknown cid',
      { scores: [...completions.map((c) => ({ completion_id: c.cid, score: 0.5 })), { completion_id: 'x', score: 1 }] },
      /unknown completion_id 'x'/,
    ],
    [
      'an out-of-range score',
      { scores: completions.map((c) => ({ completion_id: c.cid, score: 1.5 })) },
      /outside \[0, 1\]/,
    ],
    [
      'a string score',
      { scores: completions.map((c) => ({ completion_id: c.cid, score: '0.5' })) },
      /does not match the schema/,
    ],
  ])('rejects an answer with %s after retrying it', async (_name, answer, message) => {
    server.enqueueFaults({ content: JSON.stringify(answer) }, { content: JSON.stringify(answer) });
    const err = await judge({ retry: { attempts: 2 } })
      .score('p', completions)
      .catch((e) => e);
    expect(err).toBeInstanceOf(LlmResponseError);
    expect(err.code).toBe('DOJO_MODELS_LLM_RESPONSE_INVALID');
    expect(err.message).toMatch(message);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a garbage (non-JSON) HTTP body', async () => {
    server.enqueueFaults({ rawBody: '<html>bad gateway</html>' });
    const scores = await judge().score('p', completions);
    expect(Object.keys(scores)).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it('prefer: places the chosen text at position 1 or 2 as the RNG says and reports whether it was preferred', async () => {
    const rng = seeded(7);
    const positions: number[] = [];
    for (let i = 0; i < 40; i++) {
      const outcome = await judge().prefer({ chosen: `chosen ${i}`, rejected: `rejected ${i}` }, rng);
      const user = (server.requests.at(-1)?.body as { messages: Array<{ content: string }> } | undefined)?.messages[1]
        ?.content;
      const expected =
        outcome.chosenPosition === 1
          ? `\nText 1:\nchosen ${i}\n\nText 2:\nrejected ${i}\n`
          : `\nText 1:\nrejected ${i}\n\nText 2:\nchosen ${i}\n`;
      expect(user).toBe(expected);
      expect(outcome.preferredChosen).toBe(true);
      expect(outcome.preference).toBe(outcome.chosenPosition);
      positions.push(outcome.chosenPosition);
    }
    // Both positions occur (D16): a model that always answers "1" can no longer score 100 %.
    expect(positions.filter((p) => p === 1).length).toBeGreaterThan(10);
    expect(positions.filter((p) => p === 2).length).toBeGreaterThan(10);
  });

  it('prefer: rng.next() < 0.5 puts the chosen text first (same rule as chosenPosition of @dojo-ts/scoring)', async () => {
    expect((await judge().prefer({ chosen: 'chosen', rejected: 'r' }, { next: () => 0.4999 })).chosenPosition).toBe(1);
    expect((await judge().prefer({ chosen: 'chosen', rejected: 'r' }, { next: () => 0.5 })).chosenPosition).toBe(2);
  });

  it('prefer: an always-"Text 1" model is right only when the chosen text happened to be first', async () => {
    const rng = seeded(11);
    let correct = 0;
    for (let i = 0; i < 20; i++) {
      server.enqueueFaults({ content: '{"preference_text": 1}' });
      const outcome = await judge().prefer({ chosen: 'a', rejected: 'b' }, rng);
      expect(outcome.preferredChosen).toBe(outcome.chosenPosition === 1);
      if (outcome.preferredChosen) correct++;
    }
    expect(correct).toBeLessThan(20);
  });

  it('prefer: rejects preference_text 3 and a missing field', async () => {
    server.enqueueFaults({ content: '{"preference_text": 3}' }, { content: '{"choice": 1}' });
    const err = await judge({ retry: { attempts: 2 } })
      .prefer({ chosen: 'a', rejected: 'b' }, seeded(1))
      .catch((e) => e);
    expect(err).toBeInstanceOf(LlmResponseError);
    expect(delays).toEqual([4000]);
  });

  it('reads the key from the provider env var and fails clearly without one', () => {
    expect(new LlmJudge({ provider: 'openai', env: { OPENAI_API_KEY: 'k' } }).id).toBe(
      'llm_api:openai:mistralai/Mixtral-8x7B-Instruct-v0.1',
    );
    expect(() => new LlmJudge({ provider: 'togetherai', env: { OPENAI_API_KEY: 'k' } })).toThrow(/TOGETHER_API_KEY/);
    expect(new LlmJudge({ provider: 'togetherai', apiKey: 'k' }).client.baseURL).toBe('https://api.together.xyz/v1');
    expect(new LlmJudge({ provider: 'openai', apiKey: 'k' }).client.baseURL).toBe('https://api.openai.com/v1');
  });

  it('rejects an empty range', () => {
    expect(() => judge({ range: { lower: 1, upper: 1 } })).toThrow(/lower < upper/);
  });
});
