import { afterEach, describe, expect, it } from 'vitest';
import {
  dojoChatResponder,
  type OpenAiServer,
  type OpenAiServerOptions,
  startOpenAiCompatibleServer,
} from './openai-server.js';

let server: OpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  server = await startOpenAiCompatibleServer({ apiKey: 'k', ...options });
  return server;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response JSON
type Json = any;

async function call(path: string, body?: unknown, key = 'k'): Promise<{ status: number; json: Json; text: string }> {
  const res = await fetch(`${server?.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const scoringPrompt =
  '\nPrompt:\nwhat is 2+2?\n\n\nModel #c1\n{"cid": "c1", "text": "four"}\n\n\nCompletion #c2\nit is 4\nreally\n\n\nAssistant:\n';

describe('startOpenAiCompatibleServer', () => {
  it('binds 127.0.0.1 on a free port and lists models', async () => {
    const s = await start({ models: ['m1'] });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const { status, json } = await call('/models');
    expect(status).toBe(200);
    expect(json.data.map((m: { id: string }) => m.id)).toEqual(['m1']);
  });

  it('rejects a missing or wrong bearer key with 401 invalid_api_key', async () => {
    await start();
    const { status, json } = await call('/models', undefined, 'wrong');
    expect(status).toBe(401);
    expect(json.error.code).toBe('invalid_api_key');
    expect(server?.requests).toHaveLength(0);
  });

  it('answers the Dojo scoring prompt with scores for every completion id', async () => {
    await start({
      chat: dojoChatResponder({ score: (prompt, c) => (prompt === 'what is 2+2?' ? c.text.length / 100 : 0) }),
    });
    const { status, json } = await call('/chat/completions', {
      model: 'gpt-4o-mini',
      temperature: 0,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: 'answer in JSON' },
        { role: 'user', content: scoringPrompt },
      ],
    });
    expect(status).toBe(200);
    expect(json.object).toBe('chat.completion');
    expect(JSON.parse(json.choices[0].message.content)).toEqual({
      scores: [
        { completion_id: 'c1', score: 0.04 },
        { completion_id: 'c2', score: 0.14 },
      ],
    });
  });

  it('answers the preference prompt with the longer text by default', async () => {
    await start();
    const content = (a: string, b: string) => `\nText 1:\n${a}\n\nText 2:\n${b}\n`;
    const ask = async (a: string, b: string) =>
      JSON.parse(
        (
          await call('/chat/completions', {
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: content(a, b) }],
          })
        ).json.choices[0].message.content,
      );
    expect(await ask('short', 'a much longer text')).toEqual({ preference_text: 2 });
    expect(await ask('a much longer text', 'short')).toEqual({ preference_text: 1 });
  });

  it('validates chat requests with 400 and an OpenAI error body', async () => {
    await start();
    for (const bad of [
      {},
      { model: 'gpt-4o-mini', messages: [] },
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 1 }] },
    ]) {
      const { status, json } = await call('/chat/completions', bad);
      expect(status).toBe(400);
      expect(typeof json.error.message).toBe('string');
    }
    const garbage = await call('/chat/completions', '{not json');
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.type).toBe('invalid_request_error');
    const unknown = await call('/chat/completions', { model: 'nope', messages: [{ role: 'user', content: 'x' }] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('model_not_found');
  });

  it('answers 413 with an OpenAI error body for a body over the limit, and 500 when the responder throws', async () => {
    await start({
      bodyLimit: 200,
      chat: () => {
        throw new Error('responder bug');
      },
    });
    const big = await call('/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x'.repeat(500) }],
    });
    expect(big.status).toBe(413);
    expect(big.json.error.type).toBe('invalid_request_error');
    const broken = await call('/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(broken.status).toBe(500);
    expect(broken.json.error.message).toBe('internal server error');
    expect((await call('/models')).status).toBe(200);
  });

  it('plays scripted faults in order, then answers normally', async () => {
    await start({
      faults: [{ status: 429 }, { status: 500, route: 'chat' }, { rawBody: 'garbage<html>' }, { content: 'not json' }],
    });
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
    expect((await call('/chat/completions', body)).status).toBe(429);
    expect((await call('/chat/completions', body)).status).toBe(500);
    const raw = await call('/chat/completions', body);
    expect([raw.status, raw.text]).toEqual([200, 'garbage<html>']);
    expect((await call('/chat/completions', body)).json.choices[0].message.content).toBe('not json');
    expect((await call('/chat/completions', body)).json.choices[0].message.content).toBe('{}');
  });

  it('embeds as floats or base64 float32, unit-norm and deterministic', async () => {
    await start({ embeddingDim: 16 });
    const f = await call('/embeddings', { model: 'text-embedding-ada-002', input: ['hello world', 'hello world', ''] });
    expect(f.status).toBe(200);
    const [a, b, empty] = f.json.data.map((d: { embedding: number[] }) => d.embedding);
    expect(a).toHaveLength(16);
    expect(a).toEqual(b);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    expect(empty.every((x: number) => x === 0)).toBe(true);
    const b64 = await call('/embeddings', {
      model: 'text-embedding-ada-002',
      input: 'hello world',
      encoding_format: 'base64',
    });
    const bytes = Buffer.from(b64.json.data[0].embedding, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    expect(decoded.map((x) => x.toFixed(5))).toEqual(a.map((x: number) => x.toFixed(5)));
  });

  it('rejects embedding inputs over the limit with 400 (a token-limit error)', async () => {
    await start({ maxEmbeddingInputChars: 10 });
    const { status, json } = await call('/embeddings', {
      model: 'text-embedding-ada-002',
      input: ['ok', 'x'.repeat(11)],
    });
    expect(status).toBe(400);
    expect(json.error.message).toContain('input[1]');
    expect((await call('/embeddings', { model: 'text-embedding-ada-002', input: [] })).status).toBe(400);
  });

  it('records accepted requests; reset() clears requests and faults', async () => {
    await start();
    await call('/chat/completions', {
      model: 'gpt-4o-mini',
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(server?.requests.map((r) => r.route)).toEqual(['chat']);
    expect((server?.requests[0]?.body as { response_format: unknown } | undefined)?.response_format).toEqual({
      type: 'json_object',
    });
    server?.enqueueFaults({ status: 500 });
    server?.reset();
    expect(server?.requests).toHaveLength(0);
    expect(
      (await call('/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).status,
    ).toBe(200);
  });
});
