import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type HumanFeedbackDeps, handleHumanFeedback } from '../handlers/human-feedback.js';
import type { MinerMetrics } from '../metrics.js';

/** HTTP body limit of the API (dojo.md §15.2). */
export const API_BODY_LIMIT_BYTES = 1_048_576;

/** What the API needs. */
export interface ApiDeps {
  /** Callback dependencies; null when the miner does not use aws_mturk (the route then answers 404). */
  callback: HumanFeedbackDeps | null;
  metrics: MinerMetrics;
  /** Liveness details for `/health`; `ok: false` answers 503. */
  health: () => Promise<{ ok: boolean } & Record<string, unknown>>;
  /** Optional extra filter on the client IP (`--api.aws_ip_filter`); false answers 403. */
  allowIp?: (ip: string) => Promise<boolean>;
  logger?: FastifyBaseLogger | false;
}

/**
 * Builds the miner's HTTP API (never listens): `POST /api/human_feedback/callback`, `GET /health`, `GET /metrics`.
 * No CORS. Bodies above 1 MiB get 413 before anything is read or stored.
 *
 * @param deps - callback dependencies, metrics, health probe, optional IP filter and logger.
 * @returns the fastify instance.
 */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: API_BODY_LIMIT_BYTES,
    return503OnClosing: true,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: API_BODY_LIMIT_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status === 413) deps.metrics.callbacks.inc({ outcome: 'rejected_413' });
    reply
      .code(status)
      .send({ message: status === 413 ? `body larger than ${API_BODY_LIMIT_BYTES} bytes` : err.message });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ message: `no route ${req.method} ${req.url}` }));

  app.post('/api/human_feedback/callback', async (req, reply) => {
    if (deps.callback === null) return reply.code(404).send({ message: 'this miner does not use aws_mturk' });
    if (deps.allowIp && !(await deps.allowIp(req.ip))) {
      deps.metrics.callbacks.inc({ outcome: 'rejected_403' });
      return reply.code(403).send({ message: 'Forbidden' });
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const out = await handleHumanFeedback(deps.callback, raw, req.headers);
    deps.metrics.callbacks.inc({ outcome: out.outcome });
    return reply.code(out.status).header('content-type', 'application/json').send(JSON.stringify(out.body));
  });

  app.get('/health', async (_req, reply) => {
    const h = await deps.health();
    return reply.code(h.ok ? 200 : 503).send(h);
  });

  app.get('/metrics', async (_req, reply) => {
    return reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return app;
}
