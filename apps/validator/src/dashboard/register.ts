/**
 * The validator dashboard on the API port: `GET /dashboard` (server-rendered page), `GET /dashboard/api/state` (JSON)
 * and bull-board at `/dashboard/queues`, all behind one guard. With `DOJO_DASHBOARD_TOKEN` set, every request needs
 * `Authorization: Bearer <token>` or HTTP Basic with the token as password (what a browser prompts for); without a
 * token, only loopback callers are served (403 for anyone else).
 */
import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.js';
import { getRankingState } from '../store/state-store.js';
import { renderDashboard } from './render.js';
import { type DashboardState, readState } from './state.js';

/** Dependencies of {@link registerDashboard}. */
export interface DashboardDeps {
  redis: Redis;
  keys: StoreKeys;
  /** BullMQ queues shown in bull-board (read-only) and in the queue-health table. */
  queues: readonly Queue[];
  /** `DOJO_DASHBOARD_TOKEN`; null or empty = loopback callers only. */
  token: string | null | undefined;
  /** The last set_weights outcome (main.ts keeps it in memory). */
  lastWeights?: () => unknown;
  /** EMA sampling period for the chart. @defaultValue 5000 */
  sampleMs?: number;
  /** Samples kept. @defaultValue 720 */
  maxSamples?: number;
  /** Pending requests and history rows listed. @defaultValue 50 */
  limit?: number;
  /** Page auto-refresh period. @defaultValue 5 */
  refreshS?: number;
}

const PREFIX = '/dashboard';

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, '');
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the Authorization header carries the token (Bearer, or Basic with the token as password). */
export function dashboardAuthorized(header: string | undefined, token: string): boolean {
  if (!header) return false;
  if (header.startsWith('Bearer ')) return safeEqual(header.slice(7).trim(), token);
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && safeEqual(decoded.slice(colon + 1), token);
  }
  return false;
}

/**
 * Mounts the dashboard at `/dashboard` (call before `listen`).
 * @param app - the validator's API fastify instance.
 * @param deps - Redis state, queues, token, options.
 * @returns nothing; the routes are registered on `app` (EMA sampling stops when `app` closes).
 */
export function registerDashboard(app: FastifyInstance, deps: DashboardDeps): void {
  const token = deps.token ? deps.token : null;
  const series: DashboardState['series'] = [];
  const maxSamples = deps.maxSamples ?? 720;
  const sampleMs = deps.sampleMs ?? 5000;
  let lastSample = 0;
  const sample = async () => {
    const now = Date.now();
    if (now - lastSample < sampleMs / 2) return;
    lastSample = now;
    const r = await getRankingState(deps.redis, deps.keys);
    const scores: Record<string, number> = {};
    r.hotkeys.forEach((h, uid) => {
      if (h !== '') scores[h] = r.scores[uid] ?? 0;
    });
    series.push({ t: now, scores });
    if (series.length > maxSamples) series.splice(0, series.length - maxSamples);
  };
  const timer = setInterval(() => void sample().catch(() => {}), sampleMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    if (token === null) {
      if (!isLoopback(req.socket.remoteAddress)) {
        return reply
          .code(403)
          .send({ message: 'the dashboard serves loopback callers only; set DOJO_DASHBOARD_TOKEN for remote access' });
      }
      return;
    }
    if (!dashboardAuthorized(req.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="dojo-dashboard", charset="UTF-8"')
        .send({ message: 'Unauthorized: send the dashboard token (Bearer, or Basic with the token as password)' });
    }
  };

  const source = {
    redis: deps.redis,
    keys: deps.keys,
    queues: deps.queues,
    lastWeights: deps.lastWeights,
    limit: deps.limit ?? 50,
  };
  const board = new FastifyAdapter();
  createBullBoard({
    queues: deps.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Dojo validator queues' } },
  });
  board.setBasePath(`${PREFIX}/queues`);

  void app.register(async (scope) => {
    scope.addHook('onRequest', guard);
    const state = async () => {
      await sample().catch(() => {});
      return readState(source, series);
    };
    scope.get(PREFIX, async (_req, reply) => reply.redirect(`${PREFIX}/`));
    scope.get(`${PREFIX}/`, async (_req, reply) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderDashboard(await state(), { refreshS: deps.refreshS ?? 5, queuesPath: `${PREFIX}/queues` })),
    );
    scope.get(`${PREFIX}/api/state`, async (_req, reply) =>
      reply.header('cache-control', 'no-store').send(await state()),
    );
    // bull-board's page links Google Fonts; the dashboard loads nothing from outside (system fonts instead)
    scope.addHook('onSend', async (_req, reply, payload) => {
      if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('text/html'))
        return payload;
      return payload.replace(/<link[^>]+fonts\.(googleapis|gstatic)\.com[^>]*>/g, '');
    });
    await scope.register(board.registerPlugin(), { prefix: `${PREFIX}/queues` });
  });
}
