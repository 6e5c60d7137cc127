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
      const question = o[q];
      const ans = o[a];
      const answers = Array.isArray(ans) ? ans.map(String) : ans === undefined ? [] : [String(ans)];
      return { ...o, question: typeof question === 'string' ? question : String(question ?? ''), answers };
    });
}

/**
 * The data step: load and sample (first n, or n seeded rows without replacement).
 * @param config - resolved config.
 * @param section - the data section.
 * @returns the rows.
 */
export function runDataStep(config: LabConfig, section: DataSection): DataRow[] {
  const rows = loadJsonlRows(fromBase(config, section.path), section.schema);
  if (!section.sample) return rows;
  if (section.sample.n > rows.length)
    throw new LabConfigError(`data.sample.n ${section.sample.n} > ${rows.length} rows`);
  if (section.sample.method === 'first') return rows.slice(0, section.sample.n);
  return new Stream(section.sample.seed).sample(rows, section.sample.n);
}
