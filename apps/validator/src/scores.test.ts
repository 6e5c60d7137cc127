import { describe, expect, it } from 'vitest';
import { type Rescorer, scoreEntry } from './scores.js';
import type { RequestEntry, StoredReply } from './store/types.js';

const cids = ['c0', 'c1', 'c2', 'c3'];

function entry(responses: StoredReply[], n = 4, id = 'req-1'): RequestEntry {
  return {
    request: {
      request_id: id,
      epoch_timestamp: 0,
      prompt: 'p',
      n_completions: n,
      completions: cids.slice(0, n).map((cid) => ({ cid, text: `text ${cid}` })),
      modality: 'text',
    },
    responses,
    queried_hotkeys: responses.map((r) => r.hotkey),
    created_at: 0,
    deadline_ms: 0,
    version: 0,
  };
}

const hf = (hotkey: string, model: string, scores: number[]): StoredReply => ({
  hotkey,
  scoring_method: 'hf_model',
  model_config: { provider: null, model_name: model },
  ranks: scores.map((score, i) => ({ cid: cids[i] as string, score })),
  mturk_hit_id: null,
});

const opts = { humanBoost: 1.2, auditFraction: 0, minSpearman: 0.9, seed: 1, nowMs: 5 };

describe('scoreEntry (dojo.md §11.4 worked examples)', () => {
  it('example 1: three hf_model miners with accuracies .70/.60/.65', async () => {
    const res = await scoreEntry(
      entry([
        hf('A', 'mA', [0.9, 0.7, 0.2, 0.1]),
        hf('B', 'mB', [0.8, 0.6, 0.3, 0.2]),
        hf('C', 'mC', [0.1, 0.2, 0.9, 0.8]),
      ]),
      { ...opts, accuracy: { 'hf_model:mA': 0.7, 'hf_model:mB': 0.6, 'hf_model:mC': 0.65 } },
    );
    expect(res.rewards.A).toBeCloseTo(0.4107, 4);
    expect(res.rewards.B).toBeCloseTo(0.3716, 4);
    expect(res.rewards.C).toBeCloseTo(0.2177, 4);
    expect(res.consensus.cidToConsensus.c0).toBeCloseTo(0.6, 10);
    expect(res.history.consensus_scores[3]).toBeCloseTo(0.3667, 4);
    expect(res.history.best_completion).toBe('text c0');
    expect(res.hotkeyToAccuracy).toEqual({ A: 0.7, B: 0.6, C: 0.65 });
  });

  it('example 2: mixed methods, MTurk normalised and boosted, constant miner floored by the softmax', async () => {
    const three = (r: StoredReply) => ({ ...r, ranks: r.ranks.slice(0, 3) });
    const res = await scoreEntry(
      entry(
        [
          three(hf('H', 'mH', [0.92, 0.35, 0.6, 0])),
          {
            hotkey: 'L',
            scoring_method: 'llm_api',
            model_config: { provider: 'togetherai', model_name: 'mL' },
            ranks: [0.8, 0.1, 0.7].map((score, i) => ({ cid: cids[i] as string, score })),
            mturk_hit_id: null,
          },
          {
            hotkey: 'M',
            scoring_method: 'aws_mturk',
            model_config: null,
            ranks: [8.2, 2.8, 5.5].map((score, i) => ({ cid: cids[i] as string, score })),
            mturk_hit_id: 'HIT',
            verified: true,
          },
          three(hf('K', 'mK', [0.5, 0.5, 0.5, 0])),
        ],
        3,
      ),
      { ...opts, accuracy: { 'hf_model:mH': 0.7, 'llm_api:togetherai:mL': 0.62, 'hf_model:mK': 0.66 } },
    );
    expect(res.rewards.H).toBeCloseTo(0.2346, 4);
    expect(res.rewards.L).toBeCloseTo(0.2166, 4);
    expect(res.rewards.M).toBeCloseTo(0.3868, 4);
    expect(res.rewards.K).toBeCloseTo(0.162, 4);
  });

  it('drops pending MTurk replies (no ranks) before consensus', async () => {
    const pending: StoredReply = {
      hotkey: 'P',
      scoring_method: 'aws_mturk',
      model_config: null,
      ranks: [],
      mturk_hit_id: 'HIT',
    };
    const res = await scoreEntry(entry([hf('A', 'm', [0.9, 0.1, 0.5, 0.3]), pending]), { ...opts, accuracy: {} });
    expect(Object.keys(res.rewards)).toEqual(['A']);
    expect(res.history.num_responses).toBe(1);
  });

  it('audit: a reply whose ranking disagrees with the re-score gets 0 and leaves the consensus; one re-score per model', async () => {
    let calls = 0;
    const rescore: Rescorer = async () => {
      calls++;
      return { c0: 0.9, c1: 0.7, c2: 0.2, c3: 0.1 };
    };
    const replies = [
      hf('honest', 'same', [0.95, 0.6, 0.3, 0.05]),
      hf('spoof', 'same', [0.1, 0.2, 0.9, 0.8]),
      hf('other', 'same', [0.8, 0.7, 0.2, 0.1]),
    ];
    const res = await scoreEntry(entry(replies), { ...opts, auditFraction: 1, rescore, accuracy: {} });
    expect(res.audited.sort()).toEqual(['honest', 'other', 'spoof']);
    expect(res.auditFailed).toEqual(['spoof']);
    expect(res.rewards.spoof).toBe(0);
    expect((res.rewards.honest as number) + (res.rewards.other as number)).toBeCloseTo(1, 12);
    expect(calls).toBe(1);
  });

  it('audit selection is seeded by the request id: a retried job audits the same replies', async () => {
    const rescore: Rescorer = async () => ({ c0: 1, c1: 0, c2: 0.5, c3: 0.2 });
    const replies = Array.from({ length: 20 }, (_, i) => hf(`h${i}`, 'm', [0.9, 0.1, 0.5, 0.2]));
    const a = await scoreEntry(entry(replies, 4, 'req-x'), { ...opts, auditFraction: 0.3, rescore, accuracy: {} });
    const b = await scoreEntry(entry(replies, 4, 'req-x'), { ...opts, auditFraction: 0.3, rescore, accuracy: {} });
    const c = await scoreEntry(entry(replies, 4, 'req-y'), { ...opts, auditFraction: 0.3, rescore, accuracy: {} });
    expect(a.audited).toEqual(b.audited);
    expect(a.audited.length).toBeGreaterThan(0);
    expect(c.audited).not.toEqual(a.audited);
  });

  it('a reply passes unaudited when the validator has no access to the declared model', async () => {
    const res = await scoreEntry(entry([hf('A', 'm', [0.9, 0.1, 0.5, 0.3]), hf('B', 'm', [0.1, 0.9, 0.5, 0.3])]), {
      ...opts,
      auditFraction: 1,
      rescore: async () => null,
      accuracy: {},
    });
    expect(res.audited.length).toBe(2);
    expect(res.auditFailed).toEqual([]);
  });
});
