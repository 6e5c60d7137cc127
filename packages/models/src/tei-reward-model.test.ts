import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HfRewardModel } from './hf-reward-model.js';
import { TeiRewardModel } from './tei-reward-model.js';

const MODEL_DIR = fileURLToPath(new URL('../test/fixtures/tiny-reward-model/', import.meta.url));

type Mode = 'ok' | 'error' | 'two-labels';

// A local server speaking text-embeddings-inference's POST /predict, backed by the tiny model through transformers.js.
describe('TeiRewardModel against a local text-embeddings-inference /predict server', () => {
  let rm: HfRewardModel;
  let server: Server;
  let url: string;
  let mode: Mode = 'ok';
  const bodies: Array<{ inputs: string[][]; truncate: boolean; raw_scores: boolean }> = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as { inputs: string[][]; truncate: boolean; raw_scores: boolean };
    bodies.push(body);
    res.setHeader('content-type', 'application/json');
    if (req.url !== '/predict' || req.headers.authorization !== 'Bearer hf-token') {
      res.statusCode = 401;
      return res.end(JSON.stringify({ error: 'unauthorized', error_type: 'Unhealthy' }));
    }
    if (mode === 'error') {
      res.statusCode = 413;
      return res.end(
        JSON.stringify({ error: 'batch size 40 > maximum allowed batch size 32', error_type: 'Validation' }),
      );
    }
    const out = [];
    for (const input of body.inputs) {
      const logit = await rm.logit(input[0] as string, input[1]);
      out.push(
        mode === 'two-labels'
          ? [
              { score: logit, label: 'A' },
              { score: 0, label: 'B' },
            ]
          : [{ score: logit, label: 'LABEL_0' }],
      );
    }
    res.end(JSON.stringify(out));
  };

  beforeAll(async () => {
    rm = await HfRewardModel.load({ model: MODEL_DIR, offline: true });
    server = createServer((req, res) => {
      handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end('{"error":"internal"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm.dispose();
  });
  beforeEach(() => {
    mode = 'ok';
    bodies.length = 0;
  });

  const tei = (batchSize = 2) => new TeiRewardModel({ url, token: 'hf-token', batchSize, modelName: 'tiny' });

  it('scores exactly like the transformers.js runner on the same model, in batches of batchSize', async () => {
    const completions = ['the answer is good', 'bad', 'hello world', 'a cat', 'no'].map((text, i) => ({
      cid: `c${i}`,
      text,
    }));
    const viaHttp = await tei().score('what is the answer ?', completions);
    const local = await rm.score('what is the answer ?', completions);
    for (const c of completions) expect(viaHttp[c.cid]).toBeCloseTo(local[c.cid] as number, 6);
    expect(bodies.map((b) => b.inputs.length)).toEqual([2, 2, 1]);
    expect(bodies[0]).toMatchObject({ truncate: true, raw_scores: true });
    expect(bodies[0]?.inputs[0]).toEqual(['<|im_start|>user\nwhat is the answer ?<|im_end|>\n', 'the answer is good']);
  });

  it('sends single texts for accuracy evaluation', async () => {
    expect(await tei().logits(['good', 'bad'])).toEqual([await rm.logit('good'), await rm.logit('bad')]);
    expect(bodies[0]?.inputs).toEqual([['good'], ['bad']]);
  });

  it('turns an error answer into DOJO_MODELS_INFERENCE_FAILED with the server message', async () => {
    mode = 'error';
    await expect(tei().logit('good')).rejects.toMatchObject({
      code: 'DOJO_MODELS_INFERENCE_FAILED',
      message: expect.stringContaining('maximum allowed batch size'),
    });
  });

  it('rejects a model with more than one label', async () => {
    mode = 'two-labels';
    await expect(tei().logit('good')).rejects.toThrow(/num_labels = 1/);
  });

  it('reports an unreachable server', async () => {
    const dead = new TeiRewardModel({ url: 'http://127.0.0.1:1', token: 'hf-token' });
    await expect(dead.logit('x')).rejects.toMatchObject({ code: 'DOJO_MODELS_INFERENCE_FAILED' });
  });

  it('rejects a malformed URL', () => {
    expect(() => new TeiRewardModel({ url: 'not a url' })).toThrow(/valid URL/);
  });
});
