import { type OpenAiServer, startOpenAiCompatibleServer } from '@dojo-ts/local-services';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddingError, EmbeddingInputError } from '../errors.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

describe('createOpenAiEmbedder against the local OpenAI-compatible server (real openai SDK)', () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    // Deliberately not unit-norm and index-dependent, to see normalisation and ordering.
    server = await startOpenAiCompatibleServer({
      apiKey: 'k',
      maxEmbeddingInputChars: 100,
      embed: (text) => [text.length, 1, 0, 0],
    });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const embedder = (maxRetries = 0) => createOpenAiEmbedder({ baseURL: server.url, apiKey: 'k', dim: 4, maxRetries });

  it('sends one request with every text and returns unit vectors in input order', async () => {
    const vectors = await embedder().embed(['abc', 'a', '']);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toMatchObject({ model: 'text-embedding-ada-002', input: ['abc', 'a', ''] });
    expect(vectors.map((v) => Array.from(v).map((x) => Number(x.toFixed(6))))).toEqual([
      [Number((3 / Math.sqrt(10)).toFixed(6)), Number((1 / Math.sqrt(10)).toFixed(6)), 0, 0],
      [Number((1 / Math.sqrt(2)).toFixed(6)), Number((1 / Math.sqrt(2)).toFixed(6)), 0, 0],
      [0, 1, 0, 0],
    ]);
  });

  it("a 400 (input over the token limit) is the miner's fault: EmbeddingInputError", async () => {
    const err = await embedder()
      .embed(['ok', 'x'.repeat(101)])
      .catch((e) => e);
    expect(err).toBeInstanceOf(EmbeddingInputError);
    expect(err.code).toBe('DOJO_MODELS_EMBEDDING_INPUT_REJECTED');
  });

  it('a 429 or 500 is a validator-side failure: EmbeddingError', async () => {
    server.enqueueFaults({ route: 'embeddings', status: 429 });
    await expect(embedder().embed(['a'])).rejects.toBeInstanceOf(EmbeddingError);
    server.enqueueFaults({ route: 'embeddings', status: 500 });
    await expect(embedder().embed(['a'])).rejects.toMatchObject({ code: 'DOJO_MODELS_EMBEDDING_FAILED' });
  });

  it('the SDK retries a transient 503 when maxRetries allows it', async () => {
    server.enqueueFaults({ route: 'embeddings', status: 503 });
    const [v] = await embedder(1).embed(['abcd']);
    expect(v?.length).toBe(4);
    expect(server.requests).toHaveLength(2);
  });

  it('rejects vectors of the wrong dimension', async () => {
    const wrong = createOpenAiEmbedder({ baseURL: server.url, apiKey: 'k', dim: 1536, maxRetries: 0 });
    await expect(wrong.embed(['a'])).rejects.toMatchObject({ code: 'DOJO_MODELS_EMBEDDING_FAILED' });
  });

  it('needs OPENAI_API_KEY', () => {
    expect(() => createOpenAiEmbedder({ env: {} })).toThrow(/OPENAI_API_KEY/);
    expect(createOpenAiEmbedder({ env: { OPENAI_API_KEY: 'k' } }).id).toBe('openai:text-embedding-ada-002');
  });
});
