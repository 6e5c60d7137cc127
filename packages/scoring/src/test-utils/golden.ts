import { readFileSync } from 'node:fs';

// Produced by scripts/make-golden.py with scipy; NaN is stored as null.
export interface Golden {
  scipy: string;
  spearman: { name: string; a: (number | null)[]; b: (number | null)[]; rho: number | null }[];
  rankdata: { values: number[]; ranks: number[] }[];
  softmax: { x: number[]; p: number[] }[];
  consensus: {
    name: string;
    responses: { hotkey: string; method: 'hf_model' | 'llm_api' | 'aws_mturk'; scores: Record<string, number> }[];
    cids: string[];
    accuracy: Record<string, number>;
    humanBoost: number;
    expected: { cidToConsensus: Record<string, number>; hotkeyToScore: Record<string, number> };
  }[];
}

export const golden: Golden = JSON.parse(
  readFileSync(new URL('../../test/fixtures/golden.json', import.meta.url), 'utf8'),
);

export const nanOf = (xs: (number | null)[]): number[] => xs.map((x) => (x === null ? Number.NaN : x));

/** |a − b| ≤ rel·max(|a|, |b|) + abs. */
export function close(a: number, b: number, rel = 1e-12, abs = 1e-15): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
}
