/** How a miner scored a request (dojo.md §3.1). */
export type ScoringMethod = 'hf_model' | 'llm_api' | 'aws_mturk';

/** Declared score range per method; scores are mapped to [0, 1] from it (D4). */
export const METHOD_RANGE: Readonly<Record<ScoringMethod, readonly [number, number]>> = Object.freeze({
  hf_model: [0, 1] as const,
  llm_api: [0, 1] as const,
  aws_mturk: [1, 10] as const,
});

/** Higher wins when one miner has two responses for one request (dojo.md §3.1). */
export const SCORING_METHOD_PRIORITY: Readonly<Record<ScoringMethod, number>> = Object.freeze({
  llm_api: 0,
  hf_model: 1,
  aws_mturk: 2,
});

/**
 * Maps a raw score to [0, 1] by its method's declared range, clamping (D4): `aws_mturk` 1..10 → `(x − 1) / 9`.
 * @param method - the declaring method.
 * @param x - the raw score; NaN maps to 0.
 * @returns the normalised score.
 * @example
 * normalizeScore('aws_mturk', 5.5); // 0.5
 */
export function normalizeScore(method: ScoringMethod, x: number): number {
  const [lo, hi] = METHOD_RANGE[method];
  const v = (x - lo) / (hi - lo);
  if (!(v > 0)) return 0; // also catches NaN
  return Math.min(v, 1);
}

/**
 * Keeps one response per hotkey, the one whose method has the highest {@link SCORING_METHOD_PRIORITY}; on equal
 * priority the later response replaces the earlier (a verified MTurk response replaces the pending one, §16 #4).
 * @param responses - responses in arrival order.
 * @returns the kept responses, in the order their hotkeys first appeared.
 * @example
 * dedupeResponses([{ hotkey: 'a', method: 'llm_api' }, { hotkey: 'a', method: 'aws_mturk' }]); // [{ hotkey: 'a', method: 'aws_mturk' }]
 */
export function dedupeResponses<T extends { hotkey: string; method: ScoringMethod }>(responses: readonly T[]): T[] {
  const kept = new Map<string, T>();
  for (const r of responses) {
    const prev = kept.get(r.hotkey);
    if (prev === undefined || SCORING_METHOD_PRIORITY[r.method] >= SCORING_METHOD_PRIORITY[prev.method])
      kept.set(r.hotkey, r);
  }
  return [...kept.values()];
}
