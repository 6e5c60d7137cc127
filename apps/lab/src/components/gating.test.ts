import { describe, expect, it } from 'vitest';
import { Stream } from '../rng.js';
import { DummyMetagraph } from './chain.js';
import {
  ConstantGatingModel,
  LongestMessageGatingModel,
  MaskedGatingModel,
  RandomGatingModel,
  SequentialGatingModel,
} from './gating.js';
import { gatingLoss } from './lstm.js';
import { byteTokenize } from './tokenizer.js';

const mg = (n = 6) => new DummyMetagraph({ num_nodes: n });

describe('gating objective (lab.md §7)', () => {
  it('is the MSE between softmax(rewards) and softmax(scores), zero when they agree', () => {
    expect(gatingLoss([1, 2, 3], [1, 2, 3]).loss).toBeCloseTo(0, 12);
    const { loss, grad } = gatingLoss([0, 0], [0, Math.log(3)]);
    // p = [.5,.5], t = [.25,.75]: mean((.25)^2, (.25)^2)
    expect(loss).toBeCloseTo(0.0625, 12);
    expect(grad[0]).toBeGreaterThan(0);
    expect(grad[1]).toBeLessThan(0);
  });
});

describe('SequentialGatingModel (hand-written LSTM, BPTT)', () => {
  it('analytic gradients match finite differences for a two-layer stack', () => {
    const m = new SequentialGatingModel({ tokenize: byteTokenize, hidden_size: [5, 4], embedding_dim: 6, seed: 3 });
    m.attach(mg(5));
    const prompt = 'user: hello world\n';
    const uids = [0, 2, 4];
    const rewards = [0.1, 0.9, 0.4];
    const lossAt = () => {
      const s = m.forward(prompt);
      return gatingLoss(
        uids.map((u) => s[u] as number),
        rewards,
      ).loss;
    };
    const s = m.forward(prompt);
    const { grads } = m.gradients(
      uids,
      uids.map((u) => s[u] as number),
      rewards,
    );
    let checked = 0;
    for (const p of m.parameters) {
      const g = grads.get(p) as Float64Array;
      for (const i of [0, Math.floor(p.length / 2), p.length - 1]) {
        const old = p[i] as number;
        const h = 1e-5;
        p[i] = old + h;
        const up = lossAt();
        p[i] = old - h;
        const down = lossAt();
        p[i] = old;
        const num = (up - down) / (2 * h);
        expect(Math.abs(num - (g[i] as number))).toBeLessThan(1e-6 + 1e-3 * Math.abs(num));
        checked++;
      }
    }
    expect(checked).toBe(m.parameters.length * 3);
  });
  it('training on one prompt lowers the loss (SGD with momentum, gradients zeroed each step)', () => {
    const m = new SequentialGatingModel({
      tokenize: byteTokenize,
      hidden_size: 8,
      embedding_dim: 8,
      seed: 1,
      learning_rate: 0.5,
    });
    m.attach(mg(4));
    const uids = [0, 1, 2, 3];
    const rewards = [5, 0, 0, 0];
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const s = m.forward('system: x\nuser: y\n');
      losses.push(
        m.backward(
          uids,
          uids.map((u) => s[u] as number),
          rewards,
        ) as number,
      );
    }
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.5);
    expect(m.lossHistory).toHaveLength(40);
    expect(m.trainable).toBe(true);
  });
  it('rejects an empty hidden size list', () => {
    expect(() => new SequentialGatingModel({ tokenize: byteTokenize, hidden_size: [], embedding_dim: 4 })).toThrow(
      /hidden_size/,
    );
  });
});

describe('simple gating models (lab.md §5.3)', () => {
  it('ConstantGatingModel gives n copies and its backward is a no-op', () => {
    const c = new ConstantGatingModel(0.7);
    c.attach(mg(3));
    expect(c.forward()).toEqual([0.7, 0.7, 0.7]);
    expect(c.backward([0], [0.7], [1])).toBeNull();
  });
  it('RandomGatingModel: frozen repeats its vector; backward does not consume the stream', () => {
    const f = new RandomGatingModel({ frozen: true, seed: 4 });
    f.attach(mg(3));
    expect(f.forward()).toEqual(f.forward());
    const a = new RandomGatingModel({ seed: 4 });
    const b = new RandomGatingModel({ seed: 4 });
    a.attach(mg(3));
    b.attach(mg(3));
    a.forward();
    a.backward([0], [0], [1]);
    b.forward();
    expect(a.forward()).toEqual(b.forward());
  });
  it('LongestMessageGatingModel marks exactly the n uids with the longest previous completions, ties by uid', () => {
    const l = new LongestMessageGatingModel(2);
    l.attach(mg(5));
    expect(l.forward()).toEqual([1, 1, 0, 0, 0]);
    l.observe([1, 3, 4], ['aaaa', 'aaaaaaaa', 'aaaa']);
    expect(l.forward()).toEqual([0, 1, 0, 1, 0]);
  });
  it('MaskedGatingModel topk keeps the highest base scores and fills the rest', () => {
    const base = new RandomGatingModel({ frozen: true, seed: 9 });
    const m = new MaskedGatingModel(base, 2, undefined, Number.NEGATIVE_INFINITY, new Stream(0));
    m.attach(mg(5));
    const s = base.forward();
    const out = m.forward('p');
    const kept = out.map((v, u) => (Number.isFinite(v) ? u : -1)).filter((u) => u >= 0);
    expect(kept).toHaveLength(2);
    const top2 = s
      .map((v, u) => [v, u] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 2)
      .map((x) => x[1])
      .sort();
    expect(kept.sort()).toEqual(top2);
  });
  it('MaskedGatingModel fixed keeps the listed uids; random draws k per forward; backward forwards only kept uids', () => {
    const seq = new SequentialGatingModel({ tokenize: byteTokenize, hidden_size: 3, embedding_dim: 3 });
    const fixed = new MaskedGatingModel(seq, [1, 3], undefined, 0, new Stream(0));
    fixed.attach(mg(5));
    const out = fixed.forward('p');
    expect(out.filter((_v, u) => u !== 1 && u !== 3)).toEqual([0, 0, 0]);
    expect(fixed.backward([0, 2], [0, 0], [1, 2])).toBeNull();
    expect(fixed.backward([1, 3], [out[1] as number, out[3] as number], [1, 2])).toBeTypeOf('number');
    expect(fixed.mode).toBe('fixed');
    const rnd = new MaskedGatingModel(new ConstantGatingModel(1), 3, 'random', 0, new Stream(1));
    rnd.attach(mg(6));
    expect(rnd.forward('p').filter((v) => v === 1)).toHaveLength(3);
    expect(() => new MaskedGatingModel(new ConstantGatingModel(), 2, 'fixed', 0, new Stream(0))).toThrow(
      /list of uids/,
    );
  });
});
