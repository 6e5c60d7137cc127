import { describe, expect, it } from 'vitest';
import { type ConsensusResponse, consensus } from './consensus.js';
import { ema } from './ema.js';
import { close, golden } from './test-utils/golden.js';

const hf = (hotkey: string, xs: number[], cids = ['w', 'x', 'y', 'z']): ConsensusResponse => ({
  hotkey,
  method: 'hf_model',
  scores: Object.fromEntries(xs.map((v, i) => [cids[i] as string, v])),
});
const round4 = (r: Record<string, number>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 1e4) / 1e4]));

describe('consensus', () => {
  it('reproduces the spec worked example 1 (three hf_model miners, accuracy once before softmax)', () => {
    const res = consensus(
      [hf('A', [0.9, 0.7, 0.2, 0.1]), hf('B', [0.8, 0.6, 0.3, 0.2]), hf('C', [0.1, 0.2, 0.9, 0.8])],
      {
        accuracy: { A: 0.7, B: 0.6, C: 0.65 },
      },
    );
    expect(round4(res.cidToConsensus)).toEqual({ w: 0.6, x: 0.5, y: 0.4667, z: 0.3667 });
    expect(round4(res.hotkeyToSpearman)).toEqual({ A: 1, B: 1, C: -0.8 });
    expect(round4(res.hotkeyToScore)).toEqual({ A: 0.4107, B: 0.3716, C: 0.2177 });
    const scores = ema([0, 0, 0], [res.hotkeyToScore.A, res.hotkeyToScore.B, res.hotkeyToScore.C] as number[], 0.3);
    expect(scores.map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0.1232, 0.1115, 0.0653]);
  });

  it('reproduces the spec worked example 2 (mixed methods, MTurk normalised and boosted on s, constant miner ρ NaN → 0)', () => {
    const c3 = ['a', 'b', 'c'];
    const res = consensus(
      [
        hf('H', [0.92, 0.35, 0.6], c3),
        { hotkey: 'L', method: 'llm_api', scores: { a: 0.8, b: 0.1, c: 0.7 } },
        { hotkey: 'M', method: 'aws_mturk', scores: { a: 8.2, b: 2.8, c: 5.5 } },
        hf('K', [0.5, 0.5, 0.5], c3),
      ],
      { accuracy: { H: 0.7, L: 0.62, K: 0.66 }, humanBoost: 1.2 },
    );
    expect(round4(res.cidToConsensus)).toEqual({ a: 0.755, b: 0.2875, c: 0.575 });
    expect(res.hotkeyToSpearman.K).toBe(0);
    expect(round4(res.hotkeyToScore)).toEqual({ H: 0.2346, L: 0.2166, M: 0.3868, K: 0.162 });
  });

  it('matches the scipy pipeline on golden request sets to 1e-12 relative', () => {
    for (const c of golden.consensus) {
      const res = consensus(c.responses, { cids: c.cids, accuracy: c.accuracy, humanBoost: c.humanBoost });
      expect(Object.keys(res.cidToConsensus), c.name).toEqual(Object.keys(c.expected.cidToConsensus));
      for (const [k, v] of Object.entries(c.expected.cidToConsensus))
        expect(close(res.cidToConsensus[k] as number, v), `${c.name} ${k}`).toBe(true);
      for (const [k, v] of Object.entries(c.expected.hotkeyToScore)) {
        expect(close(res.hotkeyToScore[k] as number, v), `${c.name} ${k}: ${res.hotkeyToScore[k]} vs ${v}`).toBe(true);
      }
    }
  });

  it('counts a missing score as 0 in the miner vector but not in the consensus mean', () => {
    const res = consensus([hf('A', [0.9, 0.5, 0.1]), { hotkey: 'B', method: 'hf_model', scores: { w: 0.7, x: 0.3 } }]);
    expect(res.cidToConsensus).toEqual({ w: 0.8, x: 0.4, y: 0.1 });
    expect(res.hotkeyToSpearman.B).toBeCloseTo(1, 12); // B = [0.7, 0.3, 0] ranks like the consensus
  });

  it('applies the human boost to s, not to ρ: an anti-correlated MTurk miner still gains', () => {
    const responses: ConsensusResponse[] = [
      hf('A', [0.9, 0.6, 0.3]),
      hf('B', [0.8, 0.7, 0.2]),
      { hotkey: 'M', method: 'aws_mturk', scores: { w: 1, x: 5, y: 10 } },
    ];
    const plain = consensus(responses, { humanBoost: 1 });
    const boosted = consensus(responses, { humanBoost: 1.2 });
    expect(plain.hotkeyToSpearman.M).toBeLessThan(0);
    expect(boosted.hotkeyToScore.M as number).toBeGreaterThan(plain.hotkeyToScore.M as number);
  });

  it('ignores accuracy for aws_mturk and treats a missing accuracy as 1', () => {
    const responses: ConsensusResponse[] = [
      hf('A', [0.9, 0.1]),
      { hotkey: 'M', method: 'aws_mturk', scores: { w: 9, x: 2 } },
    ];
    const a = consensus(responses, { humanBoost: 1, accuracy: { M: 0.1 } });
    expect(a.hotkeyToScore.A).toBeCloseTo(0.5, 15);
  });

  it('gives excluded (audit-failed) hotkeys 0 and leaves them out of consensus and softmax', () => {
    const res = consensus([hf('A', [0.9, 0.1, 0.5]), hf('B', [0.8, 0.2, 0.4]), hf('X', [0, 1, 1])], {
      excluded: ['X'],
    });
    expect(res.hotkeyToScore.X).toBe(0);
    expect((res.hotkeyToScore.A as number) + (res.hotkeyToScore.B as number)).toBeCloseTo(1, 15);
    expect(res.cidToConsensus.w).toBeCloseTo(0.85, 15);
  });

  it('keeps request cid order and drops cids nobody scored', () => {
    const res = consensus([hf('A', [0.2, 0.1], ['y', 'w'])], { cids: ['w', 'x', 'y'] });
    expect(Object.keys(res.cidToConsensus)).toEqual(['w', 'y']);
  });

  it('gives ρ = 0 with fewer than two cids', () => {
    const res = consensus([hf('A', [0.9], ['w']), hf('B', [0.1], ['w'])]);
    expect(res.hotkeyToSpearman).toEqual({ A: 0, B: 0 });
    expect(res.hotkeyToScore).toEqual({ A: 0.5, B: 0.5 });
  });

  it('rejects duplicate hotkeys, unknown methods and a bad boost', () => {
    expect(() => consensus([hf('A', [1]), hf('A', [0])])).toThrow(
      expect.objectContaining({ code: 'DOJO_SCORING_INVALID_INPUT' }),
    );
    expect(() => consensus([{ hotkey: 'A', method: 'magic' as never, scores: {} }])).toThrow(/unknown scoring method/);
    expect(() => consensus([], { humanBoost: Number.NaN })).toThrow(/humanBoost/);
  });
});
