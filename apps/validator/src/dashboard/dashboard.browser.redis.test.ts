/**
 * The dashboard in headless Debian Chromium (playwright-core, /usr/bin/chromium): the page behind Basic auth shows the
 * pending request with its deadline, the EMA chart, the miners and queue health, bull-board loads under the same
 * auth, and a screenshot is kept at artifacts/dashboard.png (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScoringQueue } from '../jobs/workers.js';
import { type StoreKeys, storeKeys } from '../store/keys.js';
import { saveRequest } from '../store/request-store.js';
import { deleteKeys, makeEntry, newRedis, testPrefix } from '../test-utils/helpers.js';
import { registerDashboard } from './register.js';

const ARTIFACTS = fileURLToPath(new URL('../../../../artifacts/', import.meta.url));
const TOKEN = 'browser-test-token';
const prefix = testPrefix();
const HOTKEYS = ['5BrowserMinerA', '5BrowserMinerB'];
let redis: Redis;
let keys: StoreKeys;
let queue: Queue;
let app: FastifyInstance;
let browser: Browser;
let base = '';

beforeAll(async () => {
  redis = newRedis();
  keys = storeKeys(prefix, 1, '5Validator');
  queue = openScoringQueue(redis, keys.bullPrefix);
  await saveRequest(
    redis,
    keys,
    queue,
    makeEntry('browser-req-1', HOTKEYS, { deadlineMs: Date.now() + 600_000 }),
    Date.now(),
  );
  await redis.hset(keys.hotkeys, '1', HOTKEYS[0] as string, '2', HOTKEYS[1] as string);
  await redis.hset(keys.meta, 'n', '3', 'scored', '2');
  await redis.hset(keys.scores, '1', '0.2', '2', '0.1');
  app = Fastify();
  registerDashboard(app, { redis, keys, queues: [queue], token: TOKEN, sampleMs: 200 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  // a second EMA sample with other values, so the chart draws lines
  await new Promise((r) => setTimeout(r, 300));
  await redis.hset(keys.scores, '1', '0.5', '2', '0.05');
  await new Promise((r) => setTimeout(r, 300));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await queue?.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('dashboard in headless Chromium', () => {
  it('refuses the browser without credentials', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    // Chromium answers the Basic challenge without credentials by failing the navigation
    await expect(page.goto(`${base}/dashboard/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    const res = await page.request.get(`${base}/dashboard/api/state`);
    expect(res.status()).toBe(401);
    await ctx.close();
  });

  it('shows pending requests with deadlines, the score chart, miners and queue health; bull-board loads', async () => {
    const ctx = await browser.newContext({ httpCredentials: { username: 'operator', password: TOKEN } });
    const page = await ctx.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    const res = await page.goto(`${base}/dashboard`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Dojo validator dashboard');
    await expect(page.locator('#pending').textContent()).resolves.toBe('Pending requests (1)');
    const row = page.locator('table').first().locator('tr').nth(1);
    await expect(row.textContent()).resolves.toMatch(/browser-\S*\d{4}-\d\d-\d\dT.*in \d+ s/);
    expect(await page.locator('svg polyline.series').count()).toBe(2);
    await expect(page.locator('body').textContent()).resolves.toContain('5Brows…nerA');
    await expect(page.locator('#queues + table').textContent()).resolves.toContain(queue.name);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    await page.click('text=queues (bull-board)');
    await page.waitForURL(/\/dashboard\/queues/);
    await page.getByText(queue.name).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-queues.png') });
    expect(external).toEqual([]);
    await ctx.close();
  }, 60_000);
});
