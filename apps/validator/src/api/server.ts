/**
 * The validator's HTTP API on `--api.port` (dojo.md §2, §8.5): `/metrics`, `/status`, and the external
 * `POST /api/reward_model` route, off by default and guarded by a bearer token (upstream left it open, §16 #22).
 * Built here, listened on by main.ts; tests use `inject()`.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** Validated body of `POST /api/reward_model`. */
export interface ExternalRequest {
  prompt: string;
  completions: string[];
  media_type: 'text' | 'image';
  callback_url?: string;
}

/** Options of {@link buildApi}. */
export interface ApiOptions {
  registry: Registry;
  status: () => Promise<Record<string, unknown>>;
  /** Present when `--api.enable_reward_route` is on. */
  rewardRoute?: {
    /** `DOJO_API_TOKEN`. */
    token: string;
    /** Runs `sendRequest` with the given content; returns the saved entry or null. */
    handle: (req: ExternalRequest) => Promise<unknown>;
  };
}

const MiB = 1024 * 1024;

const externalRequestSchema = {
  type: 'object',
  required: ['prompt', 'completions', 'media_type'],
  additionalProperties: false,
  properties: {
    prompt: { type: 'string', minLength: 1, maxLength: 65536 },
    completions: {
      type: 'array',
      minItems: 1,
      maxItems: 64,
      items: { type: 'string', minLength: 1, maxLength: 65536 },
    },
    media_type: { type: 'string', pattern: '^(text|image)$' },
    callback_url: { type: 'string', maxLength: 2048 },
  },
} as const;

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * Builds the API (does not listen).
 * @param opts - metrics registry, status source, optional reward route
 * @returns the fastify instance
 */
export function buildApi(opts: ApiOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: MiB,
    exposeHeadRoutes: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  app.setErrorHandler((err: { statusCode?: number; validation?: unknown; message: string }, _req, reply) => {
    const status = err.validation ? 400 : (err.statusCode ?? 500);
    void reply.code(status).send({ message: status >= 500 ? 'Internal Server Error' : err.message });
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ message: 'Not Found' });
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', opts.registry.contentType);
    return opts.registry.metrics();
  });
  app.get('/status', async () => opts.status());
  const route = opts.rewardRoute;
  if (route) {
    const handler = async (
      req: { headers: Record<string, string | string[] | undefined>; body: unknown },
      reply: { code: (n: number) => { send: (b: unknown) => unknown } },
    ) => {
      if (!tokenMatches(req.headers.authorization as string | undefined, route.token)) {
        return reply.code(401).send({ message: 'Unauthorized' });
      }
      try {
        return reply.code(200).send((await route.handle(req.body as ExternalRequest)) ?? null);
      } catch {
        return reply.code(200).send(null);
      }
    };
    // the token check runs before body validation, so an unauthenticated caller learns nothing about the schema
    for (const url of ['/api/reward_model', '/api/reward_model/']) {
      app.post(url, {
        onRequest: async (req, reply) => {
          if (!tokenMatches(req.headers.authorization, route.token))
            await reply.code(401).send({ message: 'Unauthorized' });
        },
        schema: { body: externalRequestSchema },
        handler: handler as never,
      });
    }
  }
  return app;
}
