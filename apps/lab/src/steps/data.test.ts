import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { runDataStep } from './data.js';

const FILE = new URL('../../data/nq_open_sample.jsonl', import.meta.url).pathname;
const rows = readFileSync(FILE, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as Record<string, unknown>);

// A local server speaking the datasets-server /splits and /rows protocol over the bundled rows.
let server: Server;
const requests: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname + url.search);
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/splits' && url.searchParams.get('dataset') === 'nq_open') {
      res.end(
        JSON.stringify({
          splits: [
            { dataset: 'nq_open', config: 'nq_open', split: 'train' },
            { dataset: 'nq_open', config: 'nq_open', split: 'validation' },
          ],
        }),
      );
      return;
    }
    if (url.pathname === '/rows' && url.searchParams.get('config') === 'nq_open') {
      const offset = Number(url.searchParams.get('offset'));
      const length = Math.min(100, Number(url.searchParams.get('length')));
      const page = rows
        .slice(offset, offset + length)
        .map((row, i) => ({ row_idx: offset + i, row, truncated_cells: [] }));
      res.end(
        JSON.stringify({
          features: [],
          rows: page,
          num_rows_total: rows.length,
          num_rows_per_page: 100,
          partial: false,
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.env.HF_DATASETS_SERVER_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.HF_DATASETS_SERVER_URL;
  await new Promise((r) => server.close(r));
});

const config = resolveConfig({}, '/');

describe('data step (lab.md §4.3)', () => {
  it('a Hugging Face id reads the train split through datasets-server, sampling the same rows as the local file', async () => {
    const sample = { method: 'random' as const, n: 7, seed: 42 };
    const hf = await runDataStep(config, { id: 'd', path: 'nq_open', schema: null, sample });
    const local = await runDataStep(config, { id: 'd', path: FILE, schema: null, sample });
    expect(hf.map((r) => r.question)).toEqual(local.map((r) => r.question));
    expect(hf[0]?.answers).toEqual(local[0]?.answers);
    // only the pages holding sampled rows are fetched (248 rows: at most pages 0, 100, 200)
    expect(requests.filter((q) => q.startsWith('/rows')).length).toBeLessThanOrEqual(3);
  });
  it('first n fetches only the first page', async () => {
    requests.length = 0;
    const hf = await runDataStep(config, {
      id: 'd',
      path: 'nq_open',
      schema: null,
      sample: { method: 'first', n: 3, seed: 42 },
    });
    expect(hf.map((r) => r.question)).toEqual(rows.slice(0, 3).map((r) => r.question));
    expect(requests.filter((q) => q.startsWith('/rows'))).toHaveLength(1);
  });
  it('an unknown dataset is a data error', async () => {
    await expect(runDataStep(config, { id: 'd', path: 'nope', schema: null, sample: null })).rejects.toMatchObject({
      code: 'DOJO_LAB_DATA_INVALID',
    });
  });
  it('the schema maps columns to question and answers', async () => {
    const r = await runDataStep(config, {
      id: 'd',
      path: FILE,
      schema: { question: 'answer', answer: 'question' },
      sample: { method: 'first', n: 1, seed: 0 },
    });
    expect(r[0]?.answers).toEqual([rows[0]?.question]);
  });
});
