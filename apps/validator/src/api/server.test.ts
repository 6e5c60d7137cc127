import { afterAll, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';
import { buildApi, type ExternalRequest } from './server.js';

const received: ExternalRequest[] = [];
const metrics = createMetrics(async () => 3, false);
const app = buildApi({
  registry: metrics.registry,
  status: async () => ({ role: 'all', pending: 3 }),
  rewardRoute: {
    token: 'secret-token',
    handle: async (req) => {
      received.push(req);
      return { request: { prompt: req.prompt }, responses: [] };
    },
  },
});
afterAll(() => app.close());

const body = { prompt: 'Why?', completions: ['a', 'b'], media_type: 'text', callback_url: 'http://x' };

describe('validator HTTP API', () => {
  it('serves Prometheus metrics including the pending-requests gauge', async () => {
    metrics.requestsSent.inc();
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('dojo_validator_pending_requests 3');
    expect(res.body).toContain('dojo_validator_requests_sent_total 1');
  });

  it('serves /status as JSON', async () => {
    const res = await app.inject({ method: 'GET', url: '/status' });
    expect(res.json()).toEqual({ role: 'all', pending: 3 });
  });

  it('requires the bearer token on POST /api/reward_model', async () => {
    const none = await app.inject({ method: 'POST', url: '/api/reward_model', payload: body });
    expect([none.statusCode, none.json()]).toEqual([401, { message: 'Unauthorized' }]);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/reward_model/',
      payload: body,
      headers: { authorization: 'Bearer secret-tokeX' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(received).toHaveLength(0);
  });

  it('validates the body and rejects bad input with 400 and a message', async () => {
    const auth = { authorization: 'Bearer secret-token' };
    for (const bad of [
      { ...body, media_type: 'video' },
      { ...body, completions: [] },
      { ...body, prompt: 7 },
      { prompt: 'x', completions: ['a'] },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/reward_model', payload: bad, headers: auth });
      expect(res.statusCode).toBe(400);
      expect(typeof res.json().message).toBe('string');
    }
    const big = await app.inject({
      method: 'POST',
      url: '/api/reward_model',
      payload: { ...body, prompt: 'x'.repeat(1024 * 1024 + 10) },
      headers: auth,
    });
    expect(big.statusCode).toBe(413);
    expect(received).toHaveLength(0);
  });

  it('runs the request with a valid token and body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/reward_model/',
      payload: body,
      headers: { authorization: 'Bearer secret-token' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ request: { prompt: 'Why?' }, responses: [] });
    expect(received).toEqual([body]);
  });

  it('has no reward route unless enabled', async () => {
    const off = buildApi({ registry: metrics.registry, status: async () => ({}) });
    const res = await off.inject({ method: 'POST', url: '/api/reward_model', payload: body });
    expect(res.statusCode).toBe(404);
    await off.close();
  });
});
