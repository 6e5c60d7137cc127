import { randomBytes } from 'node:crypto';
import { buildAxon, createSr25519Signer, Dendrite } from '@dojo-ts/neuron';
import { MTurkResponseDef } from '@dojo-ts/protocol';
import { describe, expect, it } from 'vitest';
import { createVerifiedCallers } from './verified-callers.js';

describe('verified callers', () => {
  it('hands the forward handler the hotkey that signed the headers, once', async () => {
    const axonKey = await createSr25519Signer(randomBytes(32));
    const minerKey = await createSr25519Signer(randomBytes(32));
    const callers = createVerifiedCallers(axonKey.address);
    const seen: Array<string | null> = [];
    const again: Array<string | null> = [];
    let forge = false;
    const axon = buildAxon({ signer: axonKey }).attach(MTurkResponseDef, {
      verify: callers.verify,
      forward: (s) => {
        // a body naming another hotkey than the one that signed the headers gets no caller
        seen.push(callers.take(forge ? { ...s.dendrite, hotkey: 'someone-else' } : s.dendrite));
        again.push(callers.take(s.dendrite));
        return s;
      },
    });
    const url = await axon.listen({ host: '127.0.0.1', port: 0 });
    const dendrite = new Dendrite(minerKey);
    try {
      const [res] = await dendrite.query(
        [{ ip: '127.0.0.1', port: Number(new URL(url).port), hotkey: axonKey.address }],
        MTurkResponseDef.create({ request_id: 'r', mturk_hit_id: 'H', completion_id_to_score: { a: 5 } }),
        { timeoutS: 10 },
      );
      expect(res?.dendrite.status_code).toBe(200);
      expect(seen).toEqual([minerKey.address]);
      expect(again).toEqual([null]);
      forge = true;
      await dendrite.query(
        [{ ip: '127.0.0.1', port: Number(new URL(url).port), hotkey: axonKey.address }],
        MTurkResponseDef.create({ request_id: 'r', mturk_hit_id: 'H', completion_id_to_score: { a: 5 } }),
        { timeoutS: 10 },
      );
      expect(seen).toEqual([minerKey.address, null]);
    } finally {
      await dendrite.close();
      await axon.close();
    }
  });

  it('knows no caller for a request it did not verify', () => {
    const callers = createVerifiedCallers('5Axon');
    expect(callers.take({ nonce: 1n, uuid: 'u', hotkey: 'x' })).toBeNull();
  });
});
