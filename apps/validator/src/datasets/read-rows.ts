/**
 * Local dataset files: JSONL (one JSON object per line) or Parquet (read with hyparquet, pure JS, no native build).
 */
import { readFile, stat } from 'node:fs/promises';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { DatasetError } from '../errors.js';

/** Largest local dataset file read into memory (bounded buffers). */
export const MAX_DATASET_BYTES = 512 * 1024 * 1024;

/**
 * Reads every row of a `.jsonl` or `.parquet` file.
 * @param path - file path
 * @returns the rows as plain objects (bigint cells of Parquet int64 columns become numbers when safe)
 * @throws DatasetError on an unknown extension, a malformed line, or a file above {@link MAX_DATASET_BYTES}
 */
export async function readRows(path: string): Promise<Array<Record<string, unknown>>> {
  const size = (
    await stat(path).catch((err) => {
      throw new DatasetError(`cannot read ${path}`, { cause: err });
    })
  ).size;
  if (size > MAX_DATASET_BYTES) throw new DatasetError(`${path} is larger than ${MAX_DATASET_BYTES} bytes`);
  if (path.endsWith('.jsonl') || path.endsWith('.json')) return parseJsonl(await readFile(path, 'utf8'), path);
  if (path.endsWith('.parquet')) {
    const file = await asyncBufferFromFile(path);
    const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
    return rows.map(normaliseCells);
  }
  throw new DatasetError(`${path}: expected .jsonl or .parquet`);
}

/**
 * Parses JSONL text; blank lines are skipped.
 * @throws DatasetError naming the first malformed line
 */
export function parseJsonl(text: string, name = 'jsonl'): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new DatasetError(`${name}:${i + 1}: not JSON`, { cause: err });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DatasetError(`${name}:${i + 1}: expected an object`);
    }
    rows.push(value as Record<string, unknown>);
  }
  return rows;
}

function normaliseCells(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] =
      typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v;
  }
  return out;
}
