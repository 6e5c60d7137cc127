import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { cleanDocument, corpusFromFile, wikipediaSource } from './corpus.js';
import { BUNDLED_CORPUS_PATH, BUNDLED_PREFERENCE_PATH, BUNDLED_SEED_PATH } from './paths.js';
import {
  bundledPreferenceSource,
  localPreferenceSource,
  rowsApiPreferenceSource,
  toPreferencePair,
} from './preference-source.js';
import { parseJsonl, readRows } from './read-rows.js';
import { fetchRows } from './rows-api.js';
import { parseSeedRow, seedSourceFromFile, seedSourceFromRowsApi } from './seed-source.js';

let dir: string;
let server: FastifyInstance;
let base: string;
const seen: Array<{ url: string; auth: string | undefined }> = [];

// A local stand-in for the datasets-server rows API (same query parameters and body shape).
const TABLES: Record<string, Array<Record<string, unknown>>> = {
  'prooompt/test_dataset': Array.from({ length: 150 }, (_, i) => ({
    prompt: i === 3 ? '' : `prompt ${i}`,
    responses: [{ response: `answer ${i}` }, { response: `other ${i}` }],
  })),
  'stanfordnlp/SHP': [
    { human_ref_A: 'A0', human_ref_B: 'B0', labels: 1, score_A: 5, score_B: 2 },
    { human_ref_A: 'A1', human_ref_B: 'B1', labels: 0, score_A: 1, score_B: 4 },
    { human_ref_A: 'A2', human_ref_B: 'B2', labels: 1, score_A: 3, score_B: 3 },
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dojo-validator-datasets-'));
  server = Fastify();
  server.get('/rows', async (req, reply) => {
    const q = req.query as Record<string, string>;
    seen.push({ url: req.url, auth: req.headers.authorization });
    const table = TABLES[q.dataset ?? ''];
    if (!table || q.split !== 'train' || q.config !== 'default') return reply.code(404).send({ error: 'not found' });
    const offset = Number(q.offset);
    const length = Number(q.length);
    if (length > 100) return reply.code(422).send({ error: 'length' });
    const rows = table.slice(offset, offset + length).map((row, i) => ({
      row_idx: offset + i,
      row,
      truncated_cells: offset + i === 1 && q.dataset === 'stanfordnlp/SHP' ? ['human_ref_A'] : [],
    }));
    return { rows, num_rows_total: table.length };
  });
  base = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('bundled data', () => {
  it('seed prompts, preference pairs and the chunking corpus are usable', async () => {
    const seeds = await seedSourceFromFile(BUNDLED_SEED_PATH);
    const first = await seeds.at(0);
    expect(first.prompt.length).toBeGreaterThan(0);
    expect(first.completions.length).toBeGreaterThanOrEqual(2);
    expect(await seeds.at(12)).toEqual(first);
    const prefs = await bundledPreferenceSource(BUNDLED_PREFERENCE_PATH);
    expect(await prefs.datasets()).toEqual([{ id: 'bundled', size: 32 }]);
    const pairs = await prefs.pairs('bundled', [0, 1]);
    expect(pairs).toHaveLength(2);
    expect(pairs[0]?.chosen).not.toEqual(pairs[0]?.rejected);
    const corpus = await corpusFromFile(BUNDLED_CORPUS_PATH);
    const doc = await corpus.next(() => 3);
    expect(doc.id).toBe('collection');
    expect([...doc.text].length).toBeGreaterThan(4096);
    expect(doc.text).not.toMatch(/\n|\s{2}/);
  });
});

describe('local files', () => {
  it('reads JSONL and Parquet with the same columns; preference transforms per dataset', async () => {
    await writeFile(
      join(dir, 'Anthropic__hh-rlhf.jsonl'),
      '{"chosen":"good","rejected":"bad"}\n\n{"chosen":"fine","rejected":"worse"}\n',
    );
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: 'answer_0', data: ['x0', 'y0', 'z0'], type: 'STRING' },
        { name: 'answer_1', data: ['x1', 'y1', 'z1'], type: 'STRING' },
        { name: 'score_0', data: [1.0, -1.0, 0.5], type: 'DOUBLE' },
        { name: 'score_1', data: [-1.0, 1.0, 0.5], type: 'DOUBLE' },
      ],
    });
    await writeFile(join(dir, 'openai__webgpt_comparisons.parquet'), Buffer.from(parquet));
    expect(await readRows(join(dir, 'openai__webgpt_comparisons.parquet'))).toHaveLength(3);
    const src = await localPreferenceSource(dir);
    expect(await src.datasets()).toEqual([
      { id: 'Anthropic/hh-rlhf', size: 2 },
      { id: 'openai/webgpt_comparisons', size: 3 },
    ]);
    expect(await src.pairs('openai/webgpt_comparisons', [0, 1, 2])).toEqual([
      { chosen: 'x0', rejected: 'x1' },
      { chosen: 'y1', rejected: 'y0' },
    ]);
    expect(await src.pairs('Anthropic/hh-rlhf', [1])).toEqual([{ chosen: 'fine', rejected: 'worse' }]);
  });

  it('SHP: ties dropped, labels pick the chosen side', () => {
    const shp = TABLES['stanfordnlp/SHP'] as Array<Record<string, unknown>>;
    expect(shp.map((r) => toPreferencePair('stanfordnlp/SHP', r))).toEqual([
      { chosen: 'A0', rejected: 'B0' },
      { chosen: 'B1', rejected: 'A1' },
      null,
    ]);
  });

  it('rejects malformed JSONL and unknown extensions with a DatasetError', async () => {
    expect(() => parseJsonl('{"a":1}\nnot json\n', 'f')).toThrow(/f:2: not JSON/);
    expect(() => parseJsonl('[1,2]\n')).toThrow(DatasetError);
    await writeFile(join(dir, 'x.csv'), 'a,b\n');
    await expect(readRows(join(dir, 'x.csv'))).rejects.toThrow(DatasetError);
    await expect(readRows(join(dir, 'missing.jsonl'))).rejects.toThrow(DatasetError);
  });

  it('seed rows need a prompt and at least one response', () => {
    expect(parseSeedRow({ prompt: 'p', responses: [{ response: 'r' }, { response: '' }] })).toEqual({
      prompt: 'p',
      completions: ['r'],
    });
    expect(parseSeedRow({ prompt: '', responses: [{ response: 'r' }] })).toBeNull();
    expect(parseSeedRow({ prompt: 'p', responses: [] })).toBeNull();
  });
});

describe('datasets-server rows API client', () => {
  it('pages seed rows (≤ 100 per request), skips unusable rows, restarts at the end, sends the bearer token', async () => {
    const seeds = seedSourceFromRowsApi({ baseUrl: base, token: 'hf_x' });
    expect((await seeds.at(0)).prompt).toBe('prompt 0');
    expect((await seeds.at(3)).prompt).toBe('prompt 4');
    expect((await seeds.at(120)).prompt).toBe('prompt 120');
    expect((await seeds.at(150)).prompt).toBe('prompt 0');
    expect(seen.every((s) => s.auth === 'Bearer hf_x')).toBe(true);
    expect(seen.every((s) => Number(new URL(s.url, base).searchParams.get('length')) <= 100)).toBe(true);
  });

  it('skips rows whose needed cells are truncated and reports HTTP errors as DatasetError', async () => {
    const page = await fetchRows({
      baseUrl: base,
      dataset: 'stanfordnlp/SHP',
      offset: 0,
      length: 3,
      neededCells: ['human_ref_A'],
    });
    expect(page.rows).toHaveLength(2);
    expect(page.skipped).toBe(1);
    expect(page.numRowsTotal).toBe(3);
    await expect(fetchRows({ baseUrl: base, dataset: 'nope/nope', offset: 0, length: 1 })).rejects.toThrow(/404/);
    const src = rowsApiPreferenceSource({ baseUrl: base, datasets: ['stanfordnlp/SHP'] });
    expect(await src.datasets()).toEqual([{ id: 'stanfordnlp/SHP', size: 3 }]);
    expect(await src.pairs('stanfordnlp/SHP', [0, 1, 2])).toEqual([{ chosen: 'A0', rejected: 'B0' }]);
  });
});

describe('Wikipedia featured articles source', () => {
  it('follows cmcontinue, picks a page id and cleans its extract', async () => {
    const wiki = Fastify();
    wiki.get('/w/api.php', async (req) => {
      const q = req.query as Record<string, string>;
      if (q.list === 'categorymembers') {
        expect(q.cmpageid).toBe('8966941');
        return q.cmcontinue
          ? { query: { categorymembers: [{ pageid: 30 }] } }
          : { query: { categorymembers: [{ pageid: 10 }, { pageid: 20 }] }, continue: { cmcontinue: 'next' } };
      }
      return { query: { pages: { [q.pageids as string]: { extract: `Page ${q.pageids}.\n\tSecond  line.` } } } };
    });
    const url = await wiki.listen({ host: '127.0.0.1', port: 0 });
    try {
      const src = wikipediaSource({ apiUrl: `${url}/w/api.php` });
      const doc = await src.next((n) => n - 1);
      expect(doc).toEqual({ id: '30', text: 'Page 30. Second line.' });
    } finally {
      await wiki.close();
    }
    expect(cleanDocument(' a\n\nb\tc ')).toBe('a b c');
  });
});
