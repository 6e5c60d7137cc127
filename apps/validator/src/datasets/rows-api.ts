/**
 * Client of the Hugging Face datasets-server rows API (dojo.md §14.3):
 * `GET {base}/rows?dataset=&config=&split=&offset=&length=` (length ≤ 100), rows from `rows[].row`.
 */
import { DatasetError } from '../errors.js';

/** Options of {@link fetchRows}. */
export interface FetchRowsOptions {
  /** e.g. `https://datasets-server.huggingface.co` (tests pass a local server). */
  baseUrl: string;
  dataset: string;
  /** @defaultValue 'default' */
  config?: string;
  /** @defaultValue 'train' */
  split?: string;
  offset: number;
  /** 1..100. */
  length: number;
  /** `HF_TOKEN`, sent as a bearer token when set. */
  token?: string | null;
  /** Cells that must not be truncated; rows listing one of them in `truncated_cells` are skipped. */
  neededCells?: readonly string[];
  /** Injectable fetch. @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /** @defaultValue 30000 */
  timeoutMs?: number;
}

/** One page of rows. */
export interface RowsPage {
  rows: Array<Record<string, unknown>>;
  /** Total rows of the split, as reported by the server. */
  numRowsTotal: number;
  /** Rows skipped because a needed cell was truncated. */
  skipped: number;
}

interface RowsResponse {
  rows?: Array<{ row_idx?: number; row?: Record<string, unknown>; truncated_cells?: string[] }>;
  num_rows_total?: number;
}

/**
 * Fetches one page of rows.
 * @returns rows, total count and how many were skipped
 * @throws DatasetError on HTTP errors, timeouts or an unexpected body (the token is never part of the message)
 */
export async function fetchRows(opts: FetchRowsOptions): Promise<RowsPage> {
  const length = Math.max(1, Math.min(100, Math.floor(opts.length)));
  const url = new URL('/rows', opts.baseUrl);
  url.searchParams.set('dataset', opts.dataset);
  url.searchParams.set('config', opts.config ?? 'default');
  url.searchParams.set('split', opts.split ?? 'train');
  url.searchParams.set('offset', String(Math.max(0, Math.floor(opts.offset))));
  url.searchParams.set('length', String(length));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const doFetch = opts.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    res = await doFetch(url, { headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
  } catch (err) {
    throw new DatasetError(`rows API request for ${opts.dataset} failed`, { cause: err });
  }
  if (!res.ok) throw new DatasetError(`rows API answered ${res.status} for ${opts.dataset}`);
  const body = (await res.json().catch(() => null)) as RowsResponse | null;
  if (!body || !Array.isArray(body.rows)) throw new DatasetError(`rows API: unexpected body for ${opts.dataset}`);
  const needed = opts.neededCells ?? [];
  const rows: Array<Record<string, unknown>> = [];
  let skipped = 0;
  for (const r of body.rows) {
    if (!r.row || typeof r.row !== 'object') {
      skipped++;
      continue;
    }
    if (needed.some((c) => r.truncated_cells?.includes(c))) {
      skipped++;
      continue;
    }
    rows.push(r.row);
  }
  return { rows, numRowsTotal: Number(body.num_rows_total ?? rows.length), skipped };
}
