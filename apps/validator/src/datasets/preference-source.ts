/**
 * Preference (classification) pairs for the accuracy evaluation (dojo.md §14.2–§14.3): the five upstream datasets
 * with their chosen/rejected transforms, read from local files (`<owner>__<name>.jsonl|parquet`), the rows API, or
 * the bundled set.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import { readRows } from './read-rows.js';
import { fetchRows } from './rows-api.js';

/** One preference pair. */
export interface PreferencePair {
  chosen: string;
  rejected: string;
}

/** The upstream preference datasets (split train). */
export const PREFERENCE_DATASETS = [
  'Anthropic/hh-rlhf',
  'stanfordnlp/SHP',
  'openai/webgpt_comparisons',
  'yitingxie/rlhf-reward-datasets',
  'Dahoas/synthetic-instruct-gptj-pairwise',
] as const;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * Maps a raw row of `dataset` to a pair (§14.2), or null when the row is dropped (ties, missing texts).
 * @param dataset - dataset id; unknown ids use native `chosen`/`rejected`
 * @param row - raw row
 */
export function toPreferencePair(dataset: string, row: Record<string, unknown>): PreferencePair | null {
  if (dataset === 'stanfordnlp/SHP') {
    if (Number(row.score_A) === Number(row.score_B)) return null;
    const a = str(row.human_ref_A);
    const b = str(row.human_ref_B);
    if (a === null || b === null) return null;
    return Number(row.labels) === 1 ? { chosen: a, rejected: b } : { chosen: b, rejected: a };
  }
  if (dataset === 'openai/webgpt_comparisons') {
    const s0 = Number(row.score_0);
    const s1 = Number(row.score_1);
    if (!Number.isFinite(s0) || !Number.isFinite(s1) || s0 === s1) return null;
    const a0 = str(row.answer_0);
    const a1 = str(row.answer_1);
    if (a0 === null || a1 === null) return null;
    return s0 > s1 ? { chosen: a0, rejected: a1 } : { chosen: a1, rejected: a0 };
  }
  const chosen = str(row.chosen);
  const rejected = str(row.rejected);
  return chosen === null || rejected === null ? null : { chosen, rejected };
}

/** Cells the transform needs (rows with these truncated are skipped by the rows API). */
export function neededCells(dataset: string): string[] {
  if (dataset === 'stanfordnlp/SHP') return ['human_ref_A', 'human_ref_B'];
  if (dataset === 'openai/webgpt_comparisons') return ['answer_0', 'answer_1'];
  return ['chosen', 'rejected'];
}

/** Where preference rows come from. */
export interface PreferenceSource {
  /** Dataset ids and row counts (raw rows, before dropping ties). */
  datasets(): Promise<Array<{ id: string; size: number }>>;
  /** Pairs for the given raw row indices of one dataset (dropped rows are left out). */
  pairs(dataset: string, rows: readonly number[]): Promise<PreferencePair[]>;
}

/**
 * Source over in-memory rows per dataset (bundled set, local files).
 * @throws DatasetError when no dataset has rows
 */
export function preferenceSourceFromRows(
  byDataset: ReadonlyMap<string, ReadonlyArray<Record<string, unknown>>>,
): PreferenceSource {
  const sets = [...byDataset.entries()].filter(([, rows]) => rows.length > 0);
  if (sets.length === 0) throw new DatasetError('no preference rows');
  const map = new Map(sets);
  return {
    datasets: async () => sets.map(([id, rows]) => ({ id, size: rows.length })),
    pairs: async (dataset, idx) => {
      const rows = map.get(dataset);
      if (!rows) throw new DatasetError(`unknown preference dataset ${dataset}`);
      const out: PreferencePair[] = [];
      for (const i of idx) {
        const row = rows[i];
        const pair = row ? toPreferencePair(dataset, row) : null;
        if (pair) out.push(pair);
      }
      return out;
    },
  };
}

/**
 * Source over the bundled file: every batch draws from this one set (§14.3).
 */
export async function bundledPreferenceSource(path: string): Promise<PreferenceSource> {
  return preferenceSourceFromRows(new Map([['bundled', await readRows(path)]]));
}

/**
 * Source over `dir/<owner>__<name>.jsonl|parquet` files; each file is a dataset named `owner/name`.
 * @throws DatasetError when the directory holds no dataset file
 */
export async function localPreferenceSource(dir: string): Promise<PreferenceSource> {
  const files = (await readdir(dir)).filter((f) => /__.+\.(jsonl|parquet)$/.test(f)).sort();
  const map = new Map<string, Array<Record<string, unknown>>>();
  for (const f of files) {
    const id = f.replace(/\.(jsonl|parquet)$/, '').replace('__', '/');
    map.set(id, await readRows(join(dir, f)));
  }
  if (map.size === 0) throw new DatasetError(`${dir}: no <owner>__<name>.jsonl|parquet file`);
  return preferenceSourceFromRows(map);
}

/** Options of {@link rowsApiPreferenceSource}. */
export interface RowsApiPreferenceOptions {
  baseUrl: string;
  token?: string | null;
  datasets?: readonly string[];
  /** Config per dataset (default `default`). */
  configs?: Readonly<Record<string, string>>;
  fetch?: typeof fetch;
}

/**
 * Source over the datasets-server rows API; sizes come from `num_rows_total`, rows in pages of ≤ 100.
 */
export function rowsApiPreferenceSource(opts: RowsApiPreferenceOptions): PreferenceSource {
  const ids = opts.datasets ?? PREFERENCE_DATASETS;
  const base = (dataset: string) => ({
    baseUrl: opts.baseUrl,
    dataset,
    config: opts.configs?.[dataset] ?? 'default',
    token: opts.token ?? null,
    neededCells: neededCells(dataset),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  let sizes: Array<{ id: string; size: number }> | null = null;
  return {
    datasets: async () => {
      if (sizes) return sizes;
      const out: Array<{ id: string; size: number }> = [];
      for (const id of ids) {
        const page = await fetchRows({ ...base(id), offset: 0, length: 1 });
        if (page.numRowsTotal > 0) out.push({ id, size: page.numRowsTotal });
      }
      if (out.length === 0) throw new DatasetError('rows API: no preference dataset available');
      sizes = out;
      return out;
    },
    pairs: async (dataset, idx) => {
      const out: PreferencePair[] = [];
      // Consecutive indices (the planner's batches) are fetched as runs of at most 100 rows.
      let i = 0;
      while (i < idx.length) {
        const start = idx[i] as number;
        let len = 1;
        while (i + len < idx.length && idx[i + len] === start + len && len < 100) len++;
        const page = await fetchRows({ ...base(dataset), offset: start, length: len });
        for (const row of page.rows) {
          const pair = toPreferencePair(dataset, row);
          if (pair) out.push(pair);
        }
        i += len;
      }
      return out;
    },
  };
}
