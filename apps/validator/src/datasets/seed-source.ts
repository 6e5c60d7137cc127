/**
 * Seed prompts for `RankingRequest`s (dojo.md §14.1): rows `{prompt, responses: [{response}], num_completions?}` from
 * the bundled file, a local JSONL/Parquet file, or the datasets-server rows API (`prooompt/test_dataset`, split train).
 * The cursor is kept by the caller (in Redis) and restarts at the end.
 */
import { DatasetError } from '../errors.js';
import { readRows } from './read-rows.js';
import { fetchRows } from './rows-api.js';

/** A usable seed row. */
export interface SeedRow {
  prompt: string;
  completions: string[];
}

/** Where seed rows come from. */
export interface SeedSource {
  /** Row at `cursor` (modulo the dataset size); malformed rows are skipped forward, bounded. */
  at(cursor: number): Promise<SeedRow>;
}

/** Upstream seed dataset. */
export const SEED_DATASET = 'prooompt/test_dataset';

/**
 * Validates one seed row.
 * @returns the row, or null when it has no prompt or no non-empty response
 */
export function parseSeedRow(row: Record<string, unknown>): SeedRow | null {
  const prompt = row.prompt;
  const responses = row.responses;
  if (typeof prompt !== 'string' || prompt.trim() === '' || !Array.isArray(responses)) return null;
  const completions: string[] = [];
  for (const r of responses) {
    const text = typeof r === 'string' ? r : (r as { response?: unknown } | null)?.response;
    if (typeof text === 'string' && text.length > 0) completions.push(text);
  }
  return completions.length === 0 ? null : { prompt, completions };
}

const MAX_SKIP = 100;

/**
 * Seed source over rows already in memory (bundled or local file).
 * @throws DatasetError when no row is usable
 */
export function seedSourceFromRows(rows: ReadonlyArray<Record<string, unknown>>): SeedSource {
  const usable = rows.map(parseSeedRow).filter((r): r is SeedRow => r !== null);
  if (usable.length === 0) throw new DatasetError('seed dataset has no usable row');
  return { at: async (cursor) => usable[((cursor % usable.length) + usable.length) % usable.length] as SeedRow };
}

/**
 * Seed source reading a local JSONL/Parquet file.
 * @throws DatasetError when the file cannot be read or holds no usable row
 */
export async function seedSourceFromFile(path: string): Promise<SeedSource> {
  return seedSourceFromRows(await readRows(path));
}

/** Options of {@link seedSourceFromRowsApi}. */
export interface RowsApiSeedOptions {
  baseUrl: string;
  token?: string | null;
  dataset?: string;
  config?: string;
  fetch?: typeof fetch;
}

/**
 * Seed source paging through the datasets-server rows API (pages of 100, one page cached).
 */
export function seedSourceFromRowsApi(opts: RowsApiSeedOptions): SeedSource {
  let total: number | null = null;
  let cache: { offset: number; rows: Array<Record<string, unknown>> } | null = null;
  const page = async (offset: number) => {
    if (cache?.offset === offset) return cache.rows;
    const res = await fetchRows({
      baseUrl: opts.baseUrl,
      dataset: opts.dataset ?? SEED_DATASET,
      config: opts.config ?? 'default',
      offset,
      length: 100,
      token: opts.token ?? null,
      neededCells: ['prompt', 'responses'],
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    total = res.numRowsTotal;
    cache = { offset, rows: res.rows };
    return res.rows;
  };
  return {
    at: async (cursor) => {
      if (total === null) await page(0);
      for (let skip = 0; skip < MAX_SKIP; skip++) {
        const n = Math.max(1, total ?? 1);
        const idx = (((cursor + skip) % n) + n) % n;
        const offset = Math.floor(idx / 100) * 100;
        const rows = await page(offset);
        const row = rows[idx - offset];
        const parsed = row ? parseSeedRow(row) : null;
        if (parsed) return parsed;
      }
      throw new DatasetError(`no usable seed row near cursor ${cursor}`);
    },
  };
}
