import { describe, expect, it } from 'vitest';
import {
  accuracyKey,
  accuracyMultiplier,
  batchAccuracy,
  chosenPosition,
  createAccuracyState,
  hfPairOutcome,
  keysToEvaluate,
  planBatches,
  recordAccuracy,
  resetAccuracyIfDue,
  runAccuracy,
} from './accuracy.js';
import { mulberry32 } from './rng.js';

const H = 3_600_000;

describe('accuracy keys and multipliers', () => {
  it('keys by method and model (provider for llm_api), none for aws_mturk', () => {
    expect(accuracyKey('hf_model', { model_name: 'org/m' })).toBe('hf_model:org/m');
    expect(accuracyKey('llm_api', { provider: 'togetherai', model_name: 'mix' })).toBe('llm_api:togetherai:mix');
    expect(accuracyKey('aws_mturk', null)).toBeNull();
  });

  it('gives a neutral 1 without a cached value and always for aws_mturk', () => {
    const s = recordAccuracy(createAccuracyState(0), { 'hf_model:m': 0.7 }, 0);
    expect(accuracyMultiplier(s, 'hf_model', { model_name: 'm' })).toBe(0.7);
    expect(accuracyMultiplier(s, 'hf_model', { model_name: 'other' })).toBe(1);
    expect(accuracyMultiplier(s, 'aws_mturk', null)).toBe(1);
  });
});

describe('accuracy state transitions', () => {
  it('evaluates keys without a value every 30 min, each key once', () => {
    let s = createAccuracyState(0);
    expect(keysToEvaluate(s, ['hf_model:a', null, 'hf_model:a', 'llm_api:p:b'], 0)).toEqual([
      'hf_model:a',
      'llm_api:p:b',
    ]);
    s = recordAccuracy(s, { 'hf_model:a': 0.8, 'llm_api:p:b': null }, 1000);
    expect(keysToEvaluate(s, ['hf_model:a', 'llm_api:p:b'], 1000 + 29 * 60_000)).toEqual([]);
    expect(keysToEvaluate(s, ['hf_model:a', 'llm_api:p:b'], 1000 + 30 * 60_000)).toEqual(['llm_api:p:b']);
  });

  it('really clears the cache after 24 h and not before', () => {
    const s = recordAccuracy(createAccuracyState(0), { 'hf_model:a': 0.8 }, 0);
    expect(resetAccuracyIfDue(s, 24 * H - 1)).toBe(s);
    const r = resetAccuracyIfDue(s, 24 * H);
    expect(r.values).toEqual({});
    expect(r.lastResetMs).toBe(24 * H);
    expect(s.values).toEqual({ 'hf_model:a': 0.8 });
  });

  it('rejects an accuracy outside [0, 1]', () => {
    expect(() => recordAccuracy(createAccuracyState(0), { k: 1.2 }, 0)).toThrow(/\[0, 1\]/);
  });
});

describe('batches and outcomes', () => {
  it('plans num_batches × batch_size rows from seeded datasets, consecutive from each cursor and wrapping', () => {
    const plan = planBatches(
      mulberry32(5),
      [
        { id: 'x', size: 50 },
        { id: 'y', size: 1000 },
      ],
      { x: 40 },
      10,
      32,
    );
    expect(plan.batches).toHaveLength(10);
    const firstX = plan.batches.find((b) => b.dataset === 'x');
    expect(firstX?.rows.slice(0, 12)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 0, 1]);
    for (const b of plan.batches) expect(b.rows).toHaveLength(32);
    const usedY = plan.batches.filter((b) => b.dataset === 'y').length;
    expect(plan.cursors.y ?? 0).toBe((usedY * 32) % 1000);
    expect(
      planBatches(
        mulberry32(5),
        [
          { id: 'x', size: 50 },
          { id: 'y', size: 1000 },
        ],
        { x: 40 },
      ),
    ).toEqual(plan);
  });

  it('scores hf rows 1 / 0.5 on a tie / 0, and LLM positions are 1 or 2 about equally', () => {
    expect([hfPairOutcome(2, 1), hfPairOutcome(1, 1), hfPairOutcome(0, 1)]).toEqual([1, 0.5, 0]);
    const rng = mulberry32(11);
    const ones = Array.from({ length: 4000 }, () => chosenPosition(rng)).filter((p) => p === 1).length;
    expect(Math.abs(ones - 2000)).toBeLessThan(150);
  });

  it('excludes failed rows from the denominator and abandons a batch with more than half failed', () => {
    expect(batchAccuracy([1, 0, null, 0.5])).toBe(0.5);
    expect(batchAccuracy([1, null, null])).toBeNull();
    expect(batchAccuracy([1, null])).toBe(1);
    expect(runAccuracy([0.5, 1])).toBe(0.75);
    expect(runAccuracy([0.5, null])).toBeNull();
    expect(runAccuracy([])).toBeNull();
  });
});
