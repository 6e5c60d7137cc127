import { describe, expect, it } from 'vitest';
import { dedupeResponses, normalizeScore, SCORING_METHOD_PRIORITY } from './methods.js';

describe('normalizeScore', () => {
  it('maps aws_mturk 1..10 to (x − 1) / 9 and leaves [0, 1] methods unchanged, clamping both', () => {
    expect(normalizeScore('aws_mturk', 5.5)).toBe(0.5);
    expect(normalizeScore('aws_mturk', 1)).toBe(0);
    expect(normalizeScore('aws_mturk', 10)).toBe(1);
    expect(normalizeScore('aws_mturk', 12)).toBe(1);
    expect(normalizeScore('hf_model', 0.37)).toBe(0.37);
    expect(normalizeScore('llm_api', -0.2)).toBe(0);
    expect(normalizeScore('llm_api', 1.5)).toBe(1);
    expect(normalizeScore('hf_model', Number.NaN)).toBe(0);
  });
});

describe('dedupeResponses', () => {
  it('keeps the response with the higher method priority per hotkey (aws_mturk > hf_model > llm_api)', () => {
    expect(SCORING_METHOD_PRIORITY).toEqual({ llm_api: 0, hf_model: 1, aws_mturk: 2 });
    const out = dedupeResponses([
      { hotkey: 'a', method: 'aws_mturk' as const, n: 1 },
      { hotkey: 'b', method: 'llm_api' as const, n: 2 },
      { hotkey: 'a', method: 'hf_model' as const, n: 3 },
      { hotkey: 'b', method: 'hf_model' as const, n: 4 },
    ]);
    expect(out.map((r) => r.n)).toEqual([1, 4]);
  });

  it('lets a later response of equal priority replace the earlier (verified MTurk replaces pending)', () => {
    const out = dedupeResponses([
      { hotkey: 'a', method: 'aws_mturk' as const, n: 1 },
      { hotkey: 'a', method: 'aws_mturk' as const, n: 2 },
    ]);
    expect(out.map((r) => r.n)).toEqual([2]);
  });
});
