import { describe, expect, it } from 'vitest';
import { Stream } from '../rng.js';
import { DummyMetagraph, DummySubtensor } from './chain.js';
import { DummyDendritePool, type QaRow } from './dendrite-pool.js';

const rows: QaRow[] = [
  { question: 'who wrote dune', answers: ['frank herbert'] },
  { question: 'when did the titanic sink', answers: ['1912'] },
  { question: 'what is the capital city of peru', answers: ['lima'] },
];
const QP = 'Ask me a question';

function pool(opts: Partial<ConstructorParameters<typeof DummyDendritePool>[0]> = {}) {
  const p = new DummyDendritePool({ rows, questionPrompt: QP, stream: new Stream(3), ...opts });
  p.attach(new DummyMetagraph({ num_nodes: 4 }, new DummySubtensor()));
  return p;
}

describe('DummyDendritePool (lab.md §5.2)', () => {
  it('fails with probability fail_rate per uid, integers accepted', () => {
    const p = pool({ fail_rate: { 1: 1, 2: 0 }, baseline_fail_rate: 0 });
    const r = p.forward(['system', 'user'], ['base', QP], [0, 1, 2]);
    expect(r[1]?.completion).toBeNull();
    expect(r[0]?.completion).not.toBeNull();
    expect(r[2]?.completion).not.toBeNull();
  });
  it('answers a question request with a dataset question and its answer as the alternative', () => {
    const r = pool({ fail_rate: 0 }).call(0, ['base', QP]);
    const row = rows[r.questionIndex as number] as QaRow;
    expect(r.completion).toBe(row.question);
    expect(r.alternative?.trim()).toBe(row.answers[0]);
  });
  it('fitness 1 answers correctly, padded to min_completion_length + 1 characters so it passes the > 10 filter', () => {
    const r = pool({ fail_rate: 0, fitness: 1 }).call(2, ['base', 'when did the titanic sink']);
    expect(r.completion).toBe('1912'.padEnd(11, ' '));
    expect((r.completion as string).length).toBeGreaterThan(10);
    expect(r.questionIndex).toBe(1);
  });
  it('the fitness baseline is honoured for uids missing from the map', () => {
    const p = pool({ fail_rate: 0, fitness: { 0: 0 }, baseline_fitness: 1 });
    for (let i = 0; i < 10; i++) expect(p.call(3, ['base', 'who wrote dune']).questionIndex).toBe(0);
  });
  it('fitness 0 answers with a uniformly random row', () => {
    const p = pool({ fail_rate: 0, fitness: 0 });
    const seen = new Set<number>();
    for (let i = 0; i < 60; i++) seen.add(p.call(1, ['base', 'who wrote dune']).questionIndex as number);
    expect(seen.size).toBe(3);
  });
  it('rejects an empty dataset', () => {
    expect(() => new DummyDendritePool({ rows: [], questionPrompt: QP, stream: new Stream(0) })).toThrow(/no rows/);
  });
});

describe('DummyMetagraph and DummySubtensor (lab.md §5.5, §5.6)', () => {
  it('uids are 0..n−1 with distinct hotkeys derived from the seed; sync records history', () => {
    const st = new DummySubtensor();
    const m = new DummyMetagraph({ num_nodes: 5, seed: 7 }, st);
    expect(m.uids).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(m.hotkeys).size).toBe(5);
    expect(new DummyMetagraph({ num_nodes: 5, seed: 7 }).hotkeys).toEqual(m.hotkeys);
    expect(new DummyMetagraph({ num_nodes: 5, seed: 8 }).hotkeys).not.toEqual(m.hotkeys);
    expect(m.history).toHaveLength(1);
    st.advance();
    m.sync();
    expect(m.history.map((h) => h.block)).toEqual([1, 2]);
    expect(st.neurons(1)).toHaveLength(5);
  });
  it('the subtensor block advances per forward and set_weights is recorded', () => {
    const st = new DummySubtensor({ block: 10, blocks_per_forward: 3, epoch_length: 7 });
    st.advance();
    expect(st.block).toBe(13);
    expect(st.validatorEpochLength(1)).toBe(7);
    st.setWeights(null, 1, [0, 1], [0.5, 0.5]);
    expect(st.history).toEqual([{ netuid: 1, uids: [0, 1], weights: [0.5, 0.5], block: 13 }]);
    expect(st.getDelegated()[0]?.nominators).toEqual([]);
    expect(() => new DummySubtensor({ delegated: [{ hotkey: 'x' } as never] })).toThrow(/delegated/);
  });
});
