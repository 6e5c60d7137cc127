import { processWeightsForNetuid } from '@dojo-ts/chain';
import { describe, expect, it } from 'vitest';
import { DummyMetagraph, DummySubtensor } from '../components/chain.js';
import { DummyDendritePool, type QaRow } from '../components/dendrite-pool.js';
import { ConstantGatingModel, type GatingModel, RandomGatingModel } from '../components/gating.js';
import { DummyRewardModel, type LabRewardModel } from '../components/reward.js';
import { Stream } from '../rng.js';
import { type LabEvent, Neuron, VALIDATOR_DEFAULTS, type ValidatorConfig } from './neuron.js';

const rows: QaRow[] = Array.from({ length: 20 }, (_, i) => ({
  question: `question number ${i} about things`,
  answers: [`answer${i}`],
}));

function build(
  o: {
    n?: number;
    fail?: number | Record<string, number>;
    gating?: GatingModel;
    reward?: LabRewardModel | null;
    alpha?: number;
    vc?: Partial<ValidatorConfig>;
    epoch?: number;
  } = {},
) {
  const vc = { ...structuredClone(VALIDATOR_DEFAULTS), ...(o.vc ?? {}) } as ValidatorConfig;
  const st = new DummySubtensor({ epoch_length: o.epoch ?? 100 });
  const mg = new DummyMetagraph({ num_nodes: o.n ?? 8 }, st);
  const stream = new Stream(11);
  const pool = new DummyDendritePool({
    rows,
    fail_rate: o.fail ?? 0,
    fitness: 1,
    questionPrompt: vc.question_prompt,
    stream,
  });
  return new Neuron(
    vc,
    st,
    mg,
    pool,
    o.gating ?? new ConstantGatingModel(),
    o.reward === undefined ? new DummyRewardModel() : o.reward,
    o.alpha ?? 0.01,
    stream,
    processWeightsForNetuid,
  );
}

describe('Neuron.forward (lab.md §6.2)', () => {
  it('keeps only completions longer than 10 characters and rewards prompt + completion', async () => {
    const n = build({ fail: { 0: 1, 1: 1 }, vc: { training_topk: 8 } });
    const e = (await n.forward({
      roles: ['system', 'user'],
      messages: ['SYSTEM', 'question number 3 about things'],
      topk: 8,
      randomSampleUids: true,
    })) as LabEvent;
    expect(e.all_uids).toHaveLength(8);
    expect(e.uids.sort()).toEqual([2, 3, 4, 5, 6, 7]);
    // answer "answer3" padded to 11 characters; flattened: "question…\n\n" + stripped completion, system excluded.
    expect(e.all_completions[0]).toBe('answer3    ');
    expect(e.rewards[0]).toBe('question number 3 about things\n\nanswer3'.length);
    expect(e.scores).toHaveLength(8);
    expect(e.hotkeys).toHaveLength(8);
    expect(e.is_question).toBe(false);
    expect(n.history).toHaveLength(1);
  });
  it('returns null when no response succeeds', async () => {
    const n = build({ fail: 1 });
    expect(await n.forward({ roles: ['user'], messages: ['x'], topk: 3, randomSampleUids: true })).toBeNull();
  });
  it('without random sampling the k highest gating scores are queried', async () => {
    const g = new RandomGatingModel({ frozen: true, seed: 3 });
    const n = build({ gating: g });
    const e = (await n.forward({ roles: ['user'], messages: ['q'], topk: 3 })) as LabEvent;
    const top = e.scores
      .map((v, u) => [v, u] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 3)
      .map((x) => x[1]);
    expect(e.all_uids).toEqual(top);
  });
  it('without a reward model the rewards are the gating scores of the successful uids', async () => {
    const n = build({ reward: null, gating: new ConstantGatingModel(0.25) });
    const e = (await n.forward({ roles: ['user'], messages: ['q'], topk: 4, randomSampleUids: true })) as LabEvent;
    expect(e.rewards).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('Neuron.train, epochs and weights (lab.md §6.3, §6.6)', () => {
  it('asks a question, answers the best one, and sets weights once the epoch has elapsed', async () => {
    const n = build({ epoch: 6, vc: { training_topk: 4 } });
    const events = await n.train(5);
    expect(events).toHaveLength(10);
    expect(events[0]?.is_question).toBe(true);
    expect(events[1]?.message).toBe(events[0]?.completion);
    // block 1 + 2 per iteration: the epoch of 6 blocks fires after iterations 3 (block 7)
    expect(n.weightHistory.map((w) => w.block)).toEqual([7]);
    expect(n.subtensor.history).toHaveLength(1);
    // last_epoch_block is kept across train(1) calls
    await n.train(1);
    await n.train(1);
    await n.train(1);
    expect(n.weightHistory.map((w) => w.block)).toEqual([7, 13]);
  });
  it('resyncs the metagraph when resync_every_blocks have elapsed', async () => {
    const n = build({ vc: { resync_every_blocks: 4 } });
    await n.train(4);
    expect(n.metagraph.history.length).toBe(3);
  });
  it('computeWeights is uniform without history', () => {
    const n = build({ n: 4 });
    expect(n.computeWeights()).toEqual({ uids: [0, 1, 2, 3], weights: [0.25, 0.25, 0.25, 0.25] });
  });
  it('EMA with α on the new value: α = 1 keeps only the last softmaxed rewards', () => {
    const n = build({ n: 3, alpha: 1 });
    const base = {
      completion: '',
      message: '',
      scores: [0, 0, 0],
      all_uids: [],
      all_completions: [],
      hotkeys: n.metagraph.hotkeys,
      block: 1,
      is_question: false,
    };
    n.history.push({ ...base, uids: [0, 1], rewards: [0, 0] }, { ...base, uids: [1, 2], rewards: [0, Math.log(3)] });
    const w = n.computeWeights();
    // m = [0.5 (kept: uid 0 not queried in the last event), 0.25, 0.75] / 1.5
    expect(w.uids).toEqual([0, 1, 2]);
    expect(w.weights[0]).toBeCloseTo(1 / 3, 6);
    expect(w.weights[1]).toBeCloseTo(1 / 6, 6);
    expect(w.weights[2]).toBeCloseTo(0.5, 6);
  });
  it('a uid whose hotkey changed is reset to 0', () => {
    const n = build({ n: 2, alpha: 1 });
    const base = {
      completion: '',
      message: '',
      scores: [0, 0],
      all_uids: [],
      all_completions: [],
      block: 1,
      is_question: false,
    };
    n.history.push(
      { ...base, uids: [0, 1], rewards: [0, 0], hotkeys: ['a', 'b'] },
      { ...base, uids: [1], rewards: [1], hotkeys: ['c', 'b'] },
    );
    const w = n.computeWeights();
    expect(w.uids).toEqual([1]);
    expect(w.weights).toEqual([1]);
  });
});

describe('Neuron.inference (lab.md §6.4)', () => {
  it('queries the inference_topk best-gated uids and returns the first non-empty completion', async () => {
    const n = build({ gating: new RandomGatingModel({ frozen: true, seed: 1 }), vc: { inference_topk: 3 } });
    const r = await n.inference([{ role: 'user', content: 'question number 2 about things' }]);
    expect(r.uids).toHaveLength(3);
    expect(r.completion).toBe('answer2    ');
  });
  it('reports "no valid completions" when every uid fails', async () => {
    const n = build({ fail: 1 });
    expect((await n.inference([{ role: 'user', content: 'q' }])).completion).toBe('no valid completions');
  });
});
