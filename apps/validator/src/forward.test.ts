import { type RankingRequest, RankingRequestDef, type Synapse } from '@dojo-ts/protocol';
import { mulberry32 } from '@dojo-ts/scoring';
import { describe, expect, it } from 'vitest';
import { pickMiners, validateReply } from './forward.js';
import { emptyView, type NeuronView } from './neuron-view.js';

const cids = ['a', 'b', 'c'];

function reply(fields: Partial<RankingRequest>, status = 200): Synapse<RankingRequest> {
  const s = RankingRequestDef.create({
    prompt: 'p',
    n_completions: 3,
    completions: cids.map((cid) => ({ cid, text: cid })),
    ...fields,
  });
  s.dendrite = { ...s.dendrite, status_code: status };
  return s;
}

const ranks = cids.map((cid, i) => ({ cid, score: i / 3 }));

describe('validateReply (§8.2 step 5)', () => {
  it('keeps a complete hf_model reply and attributes it to the queried hotkey, not the echoed one', () => {
    const r = reply({ scoring_method: 'hf_model', model_config: { provider: null, model_name: 'm' }, ranks });
    r.axon = { ...r.axon, hotkey: 'someone-else' };
    expect(validateReply(r, 'queried', cids)).toEqual({
      hotkey: 'queried',
      scoring_method: 'hf_model',
      model_config: { provider: null, model_name: 'm' },
      ranks,
      mturk_hit_id: null,
    });
  });

  it('keeps an aws_mturk reply with a HIT id as pending (no ranks)', () => {
    const r = reply({ scoring_method: 'aws_mturk', mturk_hit_id: 'HIT1', ranks });
    expect(validateReply(r, 'h', cids)).toMatchObject({ scoring_method: 'aws_mturk', ranks: [], mturk_hit_id: 'HIT1' });
  });

  it('drops failed, incomplete or inconsistent replies', () => {
    const mc = { provider: null, model_name: 'm' } as const;
    const bad: Array<Synapse<RankingRequest>> = [
      reply({ scoring_method: 'hf_model', model_config: mc, ranks }, 408),
      reply({ scoring_method: null, ranks }),
      reply({ scoring_method: 'hf_model', model_config: null, ranks }),
      reply({ scoring_method: 'hf_model', model_config: { provider: null, model_name: '' }, ranks }),
      reply({ scoring_method: 'llm_api', model_config: mc, ranks }),
      reply({ scoring_method: 'hf_model', model_config: mc, ranks: [] }),
      reply({ scoring_method: 'hf_model', model_config: mc, ranks: [...ranks, { cid: 'zzz', score: 1 }] }),
      reply({ scoring_method: 'hf_model', model_config: mc, ranks: [ranks[0] as never, ranks[0] as never] }),
      reply({ scoring_method: 'hf_model', model_config: mc, ranks: [{ cid: 'a', score: Number.NaN }] }),
      reply({ scoring_method: 'aws_mturk', mturk_hit_id: '' }),
    ];
    for (const r of bad) expect(validateReply(r, 'h', cids)).toBeNull();
  });
});

describe('pickMiners (§8.2 step 3)', () => {
  const view: NeuronView = {
    ...emptyView(1),
    n: 6,
    hotkeys: ['v', 'm1', 'm2', 'm3', 'big', 'off'],
    stakes: [50_000, 1, 1, 1, 5_000, 1],
    axons: ['v', 'm1', 'm2', 'm3', 'big', 'off'].map((hotkey, i) => ({
      hotkey,
      ip: hotkey === 'off' ? '0.0.0.0' : '10.0.0.1',
      port: 8000 + i,
    })),
  };

  it('takes every serving miner except itself, validators and non-serving uids when there are few', () => {
    expect(pickMiners(view, 'v', 10, 1000, mulberry32(1))).toEqual([1, 2, 3]);
    expect(pickMiners(view, 'm1', 10, 1000, mulberry32(1))).toEqual([2, 3]);
  });

  it('samples without replacement when there are more candidates than the sample size', () => {
    const picked = pickMiners(view, 'v', 2, 1000, mulberry32(7));
    expect(picked).toHaveLength(2);
    expect(new Set(picked).size).toBe(2);
    for (const uid of picked) expect([1, 2, 3]).toContain(uid);
    expect(pickMiners(view, 'v', 2, 1000, mulberry32(7))).toEqual(picked);
  });
});
