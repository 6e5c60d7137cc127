import Fastify, { type FastifyReply } from 'fastify';

/**
 * A local stand-in for an OpenAI-compatible API (OpenAI, TogetherAI): `POST /v1/chat/completions` (with
 * `response_format`), `POST /v1/embeddings` (float and base64), `GET /v1/models`, bearer auth, OpenAI's error body
 * `{error: {message, type, param, code}}`. Answers are deterministic; faults can be scripted for retry tests.
 * It is not a language model: the default chat responder understands only Dojo's scoring and preference prompts.
 */

/** The chat request body as received (validated for the fields below, the rest passed through). */
export interface ChatRequestBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  response_format?: { type: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A scripted fault, consumed by the next matching request (FIFO). */
export type OpenAiFault =
  /** Reply with this HTTP status and an OpenAI error body. */
  | { route?: FaultRoute; status: number; message?: string }
  /** Reply 200 with this assistant message content (e.g. malformed JSON). */
  | { route?: 'chat'; content: string }
  /** Reply with this raw (non-JSON) body. */
  | { route?: FaultRoute; status?: number; rawBody: string };
type FaultRoute = 'chat' | 'embeddings' | 'any';

/** One request the server accepted past authentication. */
export interface RecordedRequest {
  route: 'chat' | 'embeddings' | 'models';
  body: unknown;
}

/** Options of {@link startOpenAiCompatibleServer}. */
export interface OpenAiServerOptions {
  /** Bind host. @defaultValue '127.0.0.1' */
  host?: string;
  /** Bind port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Required `Authorization: Bearer <apiKey>`. @defaultValue 'sk-local-dojo' */
  apiKey?: string;
  /** Model ids served; others get 404 `model_not_found`. @defaultValue DEFAULT_LOCAL_MODELS */
  models?: string[];
  /** Builds the assistant message content; default {@link dojoChatResponder}(). */
  chat?: (body: ChatRequestBody) => string;
  /** Embedding of one input text; default a hashed bag of words of `embeddingDim`, unit-norm. */
  embed?: (text: string, model: string) => number[];
  /** Dimension of the default embedding. @defaultValue 1536 (ada-002) */
  embeddingDim?: number;
  /** Longer embedding inputs are rejected with 400, like a token-limit error. @defaultValue 32768 characters */
  maxEmbeddingInputChars?: number;
  /** Faults to script before the first request. */
  faults?: OpenAiFault[];
  /** Max request body bytes. @defaultValue 1 MiB */
  bodyLimit?: number;
}

/** A running local OpenAI-compatible server. */
export interface OpenAiServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:40123/v1`: pass it as the client's `baseURL`. */
  readonly url: string;
  /** Requests accepted past auth, oldest first, bounded to the last 1000. */
  readonly requests: readonly RecordedRequest[];
  /** Appends faults to the script (at most 1000 queued). */
  enqueueFaults(...faults: OpenAiFault[]): void;
  /** Forgets recorded requests and queued faults. */
  reset(): void;
  close(): Promise<void>;
}

/** Model ids served by default. */
export const DEFAULT_LOCAL_MODELS = ['mistralai/Mixtral-8x7B-Instruct-v0.1', 'gpt-4o-mini', 'text-embedding-ada-002'];

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function hashedEmbedding(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const token of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (token.length === 0) continue;
    const h = fnv1a(token);
    v[h % dim] = (v[h % dim] as number) + (h & 0x80000000 ? -1 : 1);
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

// Upstream's block body is the completion as JSON (`{"cid": ..., "text": ...}`); a plain-text body is taken as is.
function completionText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { text?: unknown };
    if (typeof parsed === 'object' && parsed !== null && typeof parsed.text === 'string') return parsed.text;
  } catch {
    // not JSON: plain text
  }
  return body;
}

/** Options of {@link dojoChatResponder}. */
export interface DojoChatResponderOptions {
  /** Score of one completion in [0, 1]. @defaultValue a hash of the completion text */
  score?: (prompt: string, completion: { cid: string; text: string }) => number;
  /** Which text is preferred. @defaultValue the longer one, `1` on a tie */
  prefer?: (text1: string, text2: string) => 1 | 2;
}

/**
 * A chat responder that answers Dojo's `llm_api` scoring prompt (`Model #<cid>` blocks with the completion as JSON,
 * or `Completion #<cid>` blocks with plain text; dojo.md §5.2) with
 * `{"scores": [...]}` and the preference prompt (`Text 1:`/`Text 2:`, §12.4) with `{"preference_text": n}`;
 * anything else gets `{}`.
 * @param options - scoring and preference functions.
 * @returns a function for {@link OpenAiServerOptions.chat}.
 */
export function dojoChatResponder(options: DojoChatResponderOptions = {}): (body: ChatRequestBody) => string {
  const score = options.score ?? ((_p, c) => (fnv1a(c.text) % 1001) / 1000);
  const prefer = options.prefer ?? ((a, b) => (b.length > a.length ? 2 : 1));
  return (body) => {
    const user = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const start = user.indexOf('\nPrompt:\n');
    if (start >= 0 && /\n(?:Model|Completion) #/.test(user)) {
      const rest = user.slice(start + '\nPrompt:\n'.length).replace(/\n\nAssistant:\n$/, '');
      const [prompt = '', ...blocks] = rest.split(/\n\n\n(?:Model|Completion) #/);
      const scores = blocks.map((block) => {
        const nl = block.indexOf('\n');
        const cid = nl < 0 ? block : block.slice(0, nl);
        const body = nl < 0 ? '' : block.slice(nl + 1).replace(/\n$/, '');
        return { completion_id: cid, score: score(prompt, { cid, text: completionText(body) }) };
      });
      return JSON.stringify({ scores });
    }
    const pref = /^\nText 1:\n([\s\S]*)\n\nText 2:\n([\s\S]*)\n$/.exec(user);
    if (pref) return JSON.stringify({ preference_text: prefer(pref[1] as string, pref[2] as string) });
    return '{}';
  };
}

const ERROR_TYPES: Record<number, [string, string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
  500: ['server_error', null],
  503: ['server_error', null],
};

function sendError(reply: FastifyReply, status: number, message: string, param: string | null = null): FastifyReply {
  const [type, code] = ERROR_TYPES[status] ?? [status < 500 ? 'invalid_request_error' : 'server_error', null];
  return reply.code(status).send({ error: { message, type, param, code } });
}

function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function validateChat(body: unknown): string | ChatRequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model.length === 0) return "'model' must be a non-empty string";
  if (!Array.isArray(b.messages) || b.messages.length === 0) return "'messages' must be a non-empty array";
  for (const [i, m] of b.messages.entries()) {
    const msg = m as Record<string, unknown> | null;
    if (typeof msg !== 'object' || msg === null) return `messages[${i}] must be an object`;
    if (!['system', 'user', 'assistant', 'developer'].includes(msg.role as string))
      return `messages[${i}].role is invalid`;
    if (typeof msg.content !== 'string') return `messages[${i}].content must be a string`;
  }
  if (b.stream === true) return 'streaming is not supported by the local server';
  if (b.temperature !== undefined && (typeof b.temperature !== 'number' || b.temperature < 0 || b.temperature > 2)) {
    return "'temperature' must be a number in [0, 2]";
  }
  if (b.n !== undefined && b.n !== 1) return "'n' must be 1";
  const rf = b.response_format as Record<string, unknown> | undefined;
  if (
    rf !== undefined &&
    (typeof rf !== 'object' || rf === null || !['text', 'json_object', 'json_schema'].includes(rf.type as string))
  ) {
    return "'response_format.type' must be one of text, json_object, json_schema";
  }
  return b as ChatRequestBody;
}

/**
 * Starts the local OpenAI-compatible server on `host:port` (127.0.0.1:0 by default).
 * @param options - auth key, models, chat and embedding behaviour, scripted faults.
 * @returns the running server: `url` (base URL with `/v1`), recorded requests, `enqueueFaults`, `close()`.
 * @example
 * const llm = await startOpenAiCompatibleServer({ apiKey: 'k' });
 * const client = new OpenAI({ baseURL: llm.url, apiKey: 'k' });
 */
export async function startOpenAiCompatibleServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const apiKey = options.apiKey ?? 'sk-local-dojo';
  const models = options.models ?? DEFAULT_LOCAL_MODELS;
  const chat = options.chat ?? dojoChatResponder();
  const dim = options.embeddingDim ?? 1536;
  const embed = options.embed ?? ((text: string) => hashedEmbedding(text, dim));
  const maxChars = options.maxEmbeddingInputChars ?? 32_768;
  const faults: OpenAiFault[] = [...(options.faults ?? [])];
  const requests: RecordedRequest[] = [];
  let counter = 0;

  const record = (route: RecordedRequest['route'], body: unknown): void => {
    requests.push({ route, body });
    if (requests.length > 1000) requests.shift();
  };

  // Sends the next scripted fault for this route (true), returns a content fault for chat, or false when none is queued.
  const applyFault = (route: 'chat' | 'embeddings', reply: FastifyReply): { content: string } | boolean => {
    const i = faults.findIndex((f) =>
      'content' in f ? route === 'chat' : (f.route ?? 'any') === 'any' || f.route === route,
    );
    if (i < 0) return false;
    const [fault] = faults.splice(i, 1) as [OpenAiFault];
    if ('content' in fault) return { content: fault.content };
    if ('rawBody' in fault) {
      void reply
        .code(fault.status ?? 200)
        .header('content-type', 'application/json')
        .send(fault.rawBody);
      return true;
    }
    void sendError(reply, fault.status, fault.message ?? `scripted fault ${fault.status}`);
    return true;
  };

  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 1_048_576 });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return sendError(reply, status, status < 500 ? err.message : 'internal server error');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, `Invalid URL (${req.method} ${req.url})`));

  app.addHook('onRequest', async (req, reply) => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return sendError(reply, 401, 'Incorrect API key provided.');
    }
  });

  app.get('/v1/models', async () => {
    record('models', null);
    return {
      object: 'list',
      data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'dojo-local' })),
    };
  });

  app.post('/v1/chat/completions', async (req, reply) => {
    const body = validateChat(req.body);
    if (typeof body === 'string') return sendError(reply, 400, body);
    if (!models.includes(body.model)) return sendError(reply, 404, `The model '${body.model}' does not exist`, 'model');
    record('chat', body);
    const fault = applyFault('chat', reply);
    if (fault === true) return reply;
    const content = typeof fault === 'object' ? fault.content : chat(body);
    const promptTokens = body.messages.reduce((n, m) => n + approxTokens(m.content), 0);
    const completionTokens = approxTokens(content);
    return {
      id: `chatcmpl-local-${++counter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        { index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    };
  });

  app.post('/v1/embeddings', async (req, reply) => {
    const b = req.body as Record<string, unknown> | null;
    if (typeof b !== 'object' || b === null || typeof b.model !== 'string')
      return sendError(reply, 400, "'model' must be a string", 'model');
    const inputs = typeof b.input === 'string' ? [b.input] : b.input;
    if (
      !Array.isArray(inputs) ||
      inputs.length === 0 ||
      inputs.length > 2048 ||
      !inputs.every((x) => typeof x === 'string')
    ) {
      return sendError(reply, 400, "'input' must be a string or an array of 1 to 2048 strings", 'input');
    }
    const format = b.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64')
      return sendError(reply, 400, "'encoding_format' must be float or base64", 'encoding_format');
    if (!models.includes(b.model)) return sendError(reply, 404, `The model '${b.model}' does not exist`, 'model');
    const tooLong = inputs.findIndex((t) => t.length > maxChars);
    if (tooLong >= 0) {
      return sendError(
        reply,
        400,
        `input[${tooLong}] exceeds the maximum context length (${maxChars} characters here)`,
        'input',
      );
    }
    record('embeddings', b);
    const fault = applyFault('embeddings', reply);
    if (fault !== false) return reply;
    const data = inputs.map((text, index) => {
      const vector = embed(text, b.model as string);
      const embedding = format === 'base64' ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    const tokens = inputs.reduce((n, t) => n + approxTokens(t), 0);
    return { object: 'list', data, model: b.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/v1`,
    requests,
    enqueueFaults(...more) {
      faults.push(...more);
      if (faults.length > 1000) faults.splice(0, faults.length - 1000);
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
    },
    close: () => app.close(),
  };
}
