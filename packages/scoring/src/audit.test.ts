import { describe, expect, it } from 'vitest';
import { auditVerdict, selectForAudit } from './audit.js';
import { mulberry32 } from './rng.js';

describe('selectForAudit', () => {
  const responses = Array.from({ length: 2000 }, (_, i) => ({
    hotkey: `h${i}`,
    method: i % 4 === 0 ? ('aws_mturk' as const) : ('hf_model' as const),
  }));

  it('selects about the configured fraction of model responses and never aws_mturk', () => {
    const picked = selectForAudit(responses, mulberry32(3), 0.1);
    expect(picked.every((h) => Number(h.slice(1)) % 4 !== 0)).toBe(true);
    expect(Math.abs(picked.length - 150)).toBeLessThan(40);
  });

  it('is deterministic under a seeded RNG; fraction 0 and 1 are exact', () => {
    expect(selectForAudit(responses, mulberry32(9))).toEqual(selectForAudit(responses, mulberry32(9)));
    expect(selectForAudit(responses, mulberry32(9), 0)).toEqual([]);
    expect(selectForAudit(responses, mulberry32(9), 1)).toHaveLength(1500);
    expect(() => selectForAudit(responses, mulberry32(9), 2)).toThrow(/fraction/);
  });
});

describe('auditVerdict', () => {
  const cids = ['a', 'b', 'c', 'd', 'e'];
  it('passes when ρ ≥ 0.9 against the re-score and fails below', () => {
    const validator = { a: 0.9, b: 0.7, c: 0.5, d: 0.3, e: 0.1 };
    expect(auditVerdict({ a: 0.8, b: 0.6, c: 0.5, d: 0.2, e: 0 }, validator, cids)).toEqual({ rho: 1, passed: true });
    const swapped = auditVerdict({ a: 0.6, b: 0.8, c: 0.5, d: 0.2, e: 0.1 }, validator, cids);
    expect(swapped.rho).toBeCloseTo(0.9, 12);
    expect(swapped.passed).toBe(true);
    expect(auditVerdict({ a: 0.1, b: 0.9, c: 0.5, d: 0.3, e: 0.2 }, validator, cids).passed).toBe(false);
  });

  it('counts missing miner scores as 0 and a constant vector as ρ = 0', () => {
    expect(auditVerdict({}, { a: 1, b: 0 }, ['a', 'b'])).toEqual({ rho: 0, passed: false });
    expect(auditVerdict({ a: 1 }, { a: 1, b: 0 }, ['a', 'b'])).toEqual({ rho: 1, passed: true });
  });
});
