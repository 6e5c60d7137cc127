import type { Rng } from '@dojo-ts/scoring';
import { clamp } from './random.js';

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'su',
  'ta',
  'vor',
  'el',
  'dan',
  'pi',
  'qua',
  'mor',
  'sel',
  'ti',
  'ba',
  'nu',
];

function word(rng: Rng): string {
  const n = 1 + Math.floor(rng.next() * 3);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rng.next() * SYLLABLES.length)];
  return w;
}

/** A pseudo-word vocabulary of `n` distinct words. */
export function vocabulary(rng: Rng, n: number): string[] {
  const set = new Set<string>();
  while (set.size < n) set.add(word(rng));
  return [...set];
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.next() * xs.length)] as T;
}

function sentence(rng: Rng, vocab: readonly string[], minW: number, maxW: number): string {
  const n = minW + Math.floor(rng.next() * (maxW - minW + 1));
  const ws = Array.from({ length: n }, () => pick(rng, vocab));
  const first = ws[0] as string;
  ws[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${ws.join(' ')}.`;
}

/** A synthetic chunking document: `sentences` sentences in topical sections (each section draws from its own words). */
export function syntheticDocument(rng: Rng, sentences: number): string {
  const topics = 2 + Math.floor(rng.next() * 3);
  const vocabs = Array.from({ length: topics }, () => vocabulary(rng, 30));
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const t = Math.min(topics - 1, Math.floor((i / sentences) * topics));
    parts.push(sentence(rng, vocabs[t] as string[], 6, 16));
  }
  return parts.join(' ');
}

/** One completion of a Dojo ranking request, with its hidden quality q ∈ [0, 1]. */
export interface SimCompletion {
  cid: string;
  text: string;
  q: number;
}

/** One Dojo ranking request of the simulation. */
export interface SimRequest {
  id: string;
  prompt: string;
  completions: SimCompletion[];
}

/**
 * The request of round `round`: from `data` rows when given (`{prompt|question, completions|responses, quality?}` or
 * preference rows `{chosen, rejected}`), else synthetic (hidden quality drawn U[0,1], texts of random length).
 */
export function makeRequest(
  rng: Rng,
  round: number,
  k: number,
  vocab: readonly string[],
  data?: ReadonlyArray<Record<string, unknown>>,
): SimRequest {
  const id = `req-${round}`;
  if (data && data.length > 0) {
    const row = data[round % data.length] as Record<string, unknown>;
    const prompt = String(row.prompt ?? row.question ?? '');
    if (typeof row.chosen === 'string' && typeof row.rejected === 'string') {
      return {
        id,
        prompt,
        completions: [
          { cid: `${id}-c0`, text: row.chosen, q: 1 },
          { cid: `${id}-c1`, text: row.rejected, q: 0 },
        ],
      };
    }
    const list = (
      Array.isArray(row.completions) ? row.completions : Array.isArray(row.responses) ? row.responses : []
    ) as unknown[];
    if (list.length >= 2) {
      return {
        id,
        prompt,
        completions: list.map((c, j) => {
          const o = (typeof c === 'object' && c !== null ? c : { text: String(c) }) as Record<string, unknown>;
          const text = String(o.text ?? o.response ?? o.completion ?? '');
          const qv = typeof o.quality === 'number' ? o.quality : typeof o.score === 'number' ? o.score : rng.next();
          return { cid: `${id}-c${j}`, text, q: clamp(qv, 0, 1) };
        }),
      };
    }
  }
  const prompt = sentence(rng, vocab, 6, 14);
  const completions = Array.from({ length: k }, (_, j) => {
    const n = 1 + Math.floor(rng.next() * 6);
    const text = Array.from({ length: n }, () => sentence(rng, vocab, 4, 14)).join(' ');
    return { cid: `${id}-c${j}`, text, q: rng.next() };
  });
  return { id, prompt, completions };
}
