import { describe, expect, it } from 'vitest';
import { DummyMetagraph } from '../components/chain.js';
import { resolveConfig } from '../config.js';
import { Stream } from '../rng.js';
import { VALIDATOR_DEFAULTS, type ValidatorConfig } from '../validator/neuron.js';
import { buildGating, buildReward } from './model.js';

const TINY = new URL('../../../../packages/models/test/fixtures/tiny-reward-model', import.meta.url).pathname;
const config = resolveConfig({}, '/tmp');
const vc = structuredClone(VALIDATOR_DEFAULTS) as ValidatorConfig;
const o = { offline: true, stream: new Stream(0) };

describe('component registry (lab.md §4.2 loader rules)', () => {
  it('SequentialGatingModel tokenises with a Hugging Face tokenizer folder through transformers.js', async () => {
    const g = await buildGating(
      { name: 'SequentialGatingModel', args: { tokenizer_name: TINY, hidden_size: [4, 3], embedding_dim: 5 } },
      vc,
      o,
      config,
    );
    g.attach(new DummyMetagraph({ num_nodes: 4 }));
    const a = g.forward('user: hello world\n');
    expect(a).toHaveLength(4);
    expect(g.forward('user: something else entirely\n')).not.toEqual(a);
  });
  it('MaskedGatingModel builds its base from the registry and accepts fill -inf', async () => {
    const g = await buildGating(
      {
        name: 'MaskedGatingModel',
        args: { base: { name: 'ConstantGatingModel', args: { value: 2 } }, mask: [0, 2], fill: '-inf' },
      },
      vc,
      o,
      config,
    );
    g.attach(new DummyMetagraph({ num_nodes: 4 }));
    expect(g.forward('p')).toEqual([2, Number.NEGATIVE_INFINITY, 2, Number.NEGATIVE_INFINITY]);
  });
  it('HuggingFaceGatingModel builds a random transformer from a config folder and trains its head on the §7 objective', async () => {
    const g = await buildGating(
      { name: 'HuggingFaceGatingModel', args: { model_name: TINY, num_layers: 2, num_heads: 2 } },
      { ...vc, gating: { ...vc.gating, learning_rate: 0.5 } },
      o,
      config,
    );
    g.attach(new DummyMetagraph({ num_nodes: 4 }));
    const uids = [0, 1, 2, 3];
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const s = g.forward('user: which element has the symbol fe\n');
      expect(s).toHaveLength(4);
      losses.push(
        g.backward(
          uids,
          uids.map((u) => s[u] as number),
          [3, 0, 0, 0],
        ) as number,
      );
    }
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.5);
    expect(g.lossHistory).toHaveLength(30);
  });
  it('HuggingFaceGatingModel needs its sizes: from config.json, a known id, or args', async () => {
    await expect(
      buildGating(
        { name: 'HuggingFaceGatingModel', args: { model_name: '/nonexistent/model', tokenizer_name: 'bytes' } },
        vc,
        o,
        config,
      ),
    ).rejects.toThrow(/hidden_size unknown/);
  });
  it('an arg the class does not declare is an error listing the allowed args', async () => {
    await expect(buildReward({ name: 'ConstantRewardModel', args: { seed: 1 } }, o, config)).rejects.toThrow(
      /Allowed args are: forward_value, backward_value/,
    );
  });
});
