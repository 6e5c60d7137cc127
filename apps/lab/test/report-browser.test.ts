import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runLab } from '../src/run/runner.js';

const out = mkdtempSync(join(tmpdir(), 'lab-report-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

describe('the HTML report of reward-model-analysis', () => {
  it('opens in headless Chromium offline and shows its charts as SVG with marks', async () => {
    const r = await runLab({
      configPath: new URL('../experiments/reward-model-analysis.yml', import.meta.url).pathname,
      outputDir: out,
      set: { 'data.sample': { method: 'first', n: 40 } },
    });
    expect(r.analysis?.metrics['gbr.rewards.test.r2']).toBeTypeOf('number');
    const browser = await chromium.launch({
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
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on('request', (req) => {
        if (!req.url().startsWith('file:')) requests.push(req.url());
      });
      await page.goto(pathToFileURL(r.reportPath).href);
      const charts = await page.$$eval('svg.chart', (els) =>
        els.map((e) => ({
          key: e.closest('figure')?.getAttribute('data-key') ?? '',
          marks: e.querySelectorAll('.mark').length,
          w: e.getBoundingClientRect().width,
        })),
      );
      const byKey = new Map(charts.map((c) => [c.key, c]));
      for (const key of [
        'uid_vs_rewards',
        'num_words vs rewards',
        'embedding_x_and_embedding_y_vs_rewards',
        'gbr_rewards_true_vs_pred_test',
        'gbr_rewards_train_loss',
      ]) {
        expect(byKey.get(key)?.marks, key).toBeGreaterThan(0);
        expect(byKey.get(key)?.w, key).toBeGreaterThan(100);
      }
      expect(requests).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'lab-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
