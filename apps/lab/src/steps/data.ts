import { readFileSync } from 'node:fs';
import type { QaRow } from '../components/dendrite-pool.js';
import { type DataSection, fromBase, type LabConfig } from '../config.js';
import { LabConfigError, LabError } from '../errors.js';
import { Stream } from '../rng.js';

/** One data row: the mapped question/answers plus the original fields. */
export type DataRow = Record<string, unknown> & QaRow;

/**
 * Loads a local `.jsonl` file of rows (lab.md §4.3); `answer` may be a string or a list of strings.
 * @param path - absolute path.
 * @param schema - column mapping.
 * @returns the rows.
 * @throws {LabError} DOJO_LAB_DATA_INVALID on an unreadable file or a bad row.
 */
export function loadJsonlRows(path: string, schema: { question: string; answer: string } | null = null): DataRow[] {
  if (path.endsWith('.parquet'))
    throw new LabError('DOJO_LAB_DATA_INVALID', 'parquet files are not supported by this build; convert to .jsonl');
  if (!path.endsWith('.jsonl')) {
    throw new LabError(
      'DOJO_LAB_DATA_INVALID',
      `data path ${path}: only local .jsonl files are supported offline (Hugging Face ids need network)`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new LabError('DOJO_LAB_DATA_INVALID', `cannot read ${path}`, { cause });
  }
  const q = schema?.question ?? 'question';
  const a = schema?.answer ?? 'answer';
  return text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((line, i) => {
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch (cause) {
        throw new LabError('DOJO_LAB_DATA_INVALID', `${path}:${i + 1}: not JSON`, { cause });
      }
      return toDataRow(o, { question: q, answer: a });
    });
}

/** Base URL of the Hugging Face datasets-server (`HF_DATASETS_SERVER_URL` overrides it, e.g. for a local mirror). */
export function datasetsServerUrl(): string {
  return process.env.HF_DATASETS_SERVER_URL ?? 'https://datasets-server.huggingface.co';
}

const PAGE = 100;
const MAX_ROWS = 100_000;

async function getJson(url: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (cause) {
    throw new LabError('DOJO_LAB_DATA_INVALID', `datasets-server request failed: ${url}`, { cause });
  }
  if (!res.ok) throw new LabError('DOJO_LAB_DATA_INVALID', `datasets-server answered ${res.status} for ${url}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Reads rows of a Hugging Face dataset (split `train`) through the datasets-server `/splits` and `/rows` API.
 * @param dataset - dataset id, e.g. `nq_open`.
 * @param schema - column mapping.
 * @param sample - first n, or n seeded indices without replacement; null = the whole split (capped at 100,000 rows).
 * @returns the rows, in sample order.
 * @throws {LabError} DOJO_LAB_DATA_INVALID on HTTP errors or a dataset without a train split.
 */
export async function loadHfRows(
  dataset: string,
  schema: { question: string; answer: string } | null,
  sample: DataSection['sample'],
): Promise<DataRow[]> {
  const base = datasetsServerUrl();
  const splits = (await getJson(`${base}/splits?dataset=${encodeURIComponent(dataset)}`)).splits as
    | Array<{ config: string; split: string }>
    | undefined;
  const train = splits?.find((s) => s.split === 'train');
  if (!train) throw new LabError('DOJO_LAB_DATA_INVALID', `dataset ${dataset} has no train split`);
  const page = async (offset: number, length: number) => {
    const j = await getJson(
      `${base}/rows?dataset=${encodeURIComponent(dataset)}&config=${encodeURIComponent(train.config)}&split=train&offset=${offset}&length=${length}`,
    );
    return {
      rows: (j.rows as Array<{ row_idx: number; row: Record<string, unknown> }>) ?? [],
      total: Number(j.num_rows_total),
    };
  };
  const first = await page(0, PAGE);
  const total = Math.min(first.total, MAX_ROWS);
  let indices: number[];
  if (!sample) indices = Array.from({ length: total }, (_, i) => i);
  else {
    if (sample.n > total) throw new LabConfigError(`data.sample.n ${sample.n} > ${total} rows`);
    indices =
      sample.method === 'first'
        ? Array.from({ length: sample.n }, (_, i) => i)
        : new Stream(sample.seed).sample(
            Array.from({ length: total }, (_, i) => i),
            sample.n,
          );
  }
  const byIdx = new Map<number, Record<string, unknown>>();
  for (const r of first.rows) byIdx.set(r.row_idx, r.row);
  const pages = [...new Set(indices.map((i) => Math.floor(i / PAGE)))].filter((p) => p !== 0);
  for (const p of pages) for (const r of (await page(p * PAGE, PAGE)).rows) byIdx.set(r.row_idx, r.row);
  return indices.map((i) => {
    const row = byIdx.get(i);
    if (!row) throw new LabError('DOJO_LAB_DATA_INVALID', `datasets-server returned no row ${i} of ${dataset}`);
    return toDataRow(row, schema);
  });
}

function toDataRow(o: Record<string, unknown>, schema: { question: string; answer: string } | null): DataRow {
  const question = o[schema?.question ?? 'question'];
  const ans = o[schema?.answer ?? 'answer'];
  const answers = Array.isArray(ans) ? ans.map(String) : ans === undefined ? [] : [String(ans)];
  return { ...o, question: typeof question === 'string' ? question : String(question ?? ''), answers };
}

/** True when a `data.path` names a local file rather than a Hugging Face dataset id. */
export function isLocalPath(p: string): boolean {
  return p.endsWith('.jsonl') || p.endsWith('.parquet') || p.startsWith('.') || p.startsWith('/');
}

/**
 * The data step: a local `.jsonl` file or a Hugging Face dataset id; first n rows or n seeded rows without replacement.
 * @param config - resolved config.
 * @param section - the data section.
 * @returns the rows.
 */
export async function runDataStep(config: LabConfig, section: DataSection): Promise<DataRow[]> {
  if (!isLocalPath(section.path)) return loadHfRows(section.path, section.schema, section.sample);
  const rows = loadJsonlRows(fromBase(config, section.path), section.schema);
  if (!section.sample) return rows;
  if (section.sample.n > rows.length)
    throw new LabConfigError(`data.sample.n ${section.sample.n} > ${rows.length} rows`);
  if (section.sample.method === 'first') return rows.slice(0, section.sample.n);
  return new Stream(section.sample.seed).sample(rows, section.sample.n);
}
