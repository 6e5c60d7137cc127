import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type ConsensusResponse, consensus } from './consensus.js';
import type { ScoringMethod } from './methods.js';

const cids = ['a', 'b', 'c', 'd', 'e'];
const response = (hotkey: string) =>
  fc
    .record({
      method: fc.constantFrom<ScoringMethod>('hf_model', 'llm_api', 'aws_mturk'),
      scores: fc.dictionary(fc.constantFrom(...cids), fc.double({ min: -2, max: 12, noNaN: true }), { minKeys: 1 }),
      acc: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    })
    .map((r) => ({ hotkey, ...r }));
const requests = fc
  .integer({ min: 1, max: 12 })
  .chain((m) => fc.tuple(...Array.from({ length: m }, (_, i) => response(`hk${i}`))));

const run = (rs: (ConsensusResponse & { acc: number | null })[], humanBoost = 1.2) =>
  consensus(rs, {
    humanBoost,
    accuracy: Object.fromEntries(rs.filter((r) => r.acc !== null).map((r) => [r.hotkey, r.acc as number])),
  });

describe('consensus properties', () => {
  it('per-request scores sum to 1 and each lies in (0, 1]', () => {
    fc.assert(
      fc.property(requests, (rs) => {
        const p = Object.values(run(rs).hotkeyToScore);
        return Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-12 && p.every((v) => v > 0 && v <= 1);
      }),
    );
  });

  it('consensus values lie in [0, 1] and ρ in [-1, 1]', () => {
    fc.assert(
      fc.property(requests, (rs) => {
        const r = run(rs);
        return (
          Object.values(r.cidToConsensus).every((v) => v >= 0 && v <= 1) &&
          Object.values(r.hotkeyToSpearman).every((v) => v >= -1 && v <= 1)
        );
      }),
    );
  });

  it('the softmax ratio of two miners is exp of the difference of their s values', () => {
    fc.assert(
      fc.property(requests, (rs) => {
        fc.pre(rs.length >= 2);
        const r = run(rs, 1);
        const [x, y] = rs as [ConsensusResponse & { acc: number | null }, ConsensusResponse & { acc: number | null }];
        const s = (h: typeof x) =>
          0.5 * ((r.hotkeyToSpearman[h.hotkey] as number) + 1) * (h.method === 'aws_mturk' ? 1 : (h.acc ?? 1));
        const ratio = (r.hotkeyToScore[x.hotkey] as number) / (r.hotkeyToScore[y.hotkey] as number);
        return Math.abs(ratio - Math.exp(s(x) - s(y))) < 1e-9;
      }),
    );
  });
});
