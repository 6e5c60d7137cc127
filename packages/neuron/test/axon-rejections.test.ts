import { bodyHashFor, type ChunkSynapse, ChunkSynapseDef, type Synapse, SynapseDef } from '@dojo-ts/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAxon } from '../src/axon/build-axon.js';
import { verifySr25519 } from '../src/crypto/sr25519.js';
import { NeuronConfigError } from '../src/errors.js';
import type { Signer } from '../src/signer.js';
import { craft, messageOf, seededSigner, testClock } from './helpers.js';

let axonKey: Signer;
let callerKey: Signer;
let otherKey: Signer;
const DOC = { document: 'Hello world. Bye.', chunk_size: 4096 };

beforeAll(async () => {
  axonKey = await seededSigner(1);
  callerKey = await seededSigner(2);
  otherKey = await seededSigner(3);
});

function setup(extra: Parameters<typeof buildAxon>[0] extends infer O ? Partial<O> : never = {}) {
  const clock = testClock();
  const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs, ...extra });
  axon.attach(ChunkSynapseDef, { forward: (s) => ({ ...s, chunks: ['Hello world.', ' Bye.'] }) });
  const req = (o: Partial<Parameters<typeof craft>[0]> = {}) =>
    craft({
      def: ChunkSynapseDef,
      fields: DOC,
      signer: callerKey,
      axonHotkey: axonKey.address,
      nonce: clock.now,
      ...o,
    });
  const send = (r: { url: string; headers: Record<string, string>; body: string }) =>
    axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
  return { axon, clock, req, send };
}

describe('axon verification (wire.md §10.2, §17.4)', () => {
  it('accepts a correctly signed fresh request with 200 and the §12 headers', async () => {
    const { req, send } = setup();
    const res = await send(req());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['bt_header_axon_status_code']).toBe('200');
    expect(res.headers['bt_header_axon_status_message']).toBe('Success');
    expect(res.headers['computed_body_hash']).toBe('60ed704f9f17012e03dde6cda3aa27f8542ab773e4c41f68bce9b1299508ca59');
    expect(JSON.parse(res.body).chunks).toEqual(['Hello world.', ' Bye.']);
  });

  it('rejects a missing nonce with 401 Missing Nonce', async () => {
    const { req, send } = setup();
    const r = req();
    delete r.headers['bt_header_dendrite_nonce'];
    const res = await send(r);
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe('Not Verified with error: Missing Nonce');
  });

  it('rejects a missing signature with 401 Missing Signature', async () => {
    const { req, send } = setup();
    const r = req();
    delete r.headers['bt_header_dendrite_signature'];
    const res = await send(r);
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe('Not Verified with error: Missing Signature');
  });

  it('rejects an empty signature with 401 (W1: unsigned requests never pass)', async () => {
    const { req, send } = setup();
    const r = req();
    r.headers['bt_header_dendrite_signature'] = '';
    const res = await send(r);
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe('Not Verified with error: Missing Signature');
  });

  it('rejects a signature without 0x with 401 Signature mismatch', async () => {
    const { req, send } = setup();
    const r = req();
    r.headers['bt_header_dendrite_signature'] = (r.headers['bt_header_dendrite_signature'] ?? '').slice(2);
    const res = await send(r);
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe('Not Verified with error: Signature mismatch');
  });

  it('rejects a signature by another key than the claimed hotkey with 401', async () => {
    const { req, send } = setup();
    const r = req({ signer: { address: callerKey.address, sign: (m) => otherKey.sign(m) } });
    const res = await send(r);
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe('Not Verified with error: Signature mismatch');
  });

  it("rejects a request signed for another axon's hotkey with 401", async () => {
    const { req, send } = setup();
    const res = await send(req({ axonHotkey: otherKey.address }));
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe('Not Verified with error: Signature mismatch');
  });

  it('rejects a first nonce older than 4 s + timeout with 401 Nonce is too old', async () => {
    const { req, send, clock } = setup();
    const res = await send(req({ nonce: clock.now - 20_000_000_000n, timeout: 12 }));
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe(
      'Not Verified with error: Nonce is too old: acceptable delta is 16.00 seconds but request was 20.00 seconds old',
    );
  });

  it('rejects a replayed request with 401 (nonce not newer than the last one)', async () => {
    const { req, send } = setup();
    const r = req();
    expect((await send(r)).statusCode).toBe(200);
    const res = await send(r);
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe('Not Verified with error: Nonce is too old, a newer one was last processed');
  });

  it('rejects an equal nonce on a different body from the same (hotkey, uuid) with 401', async () => {
    const { req, send, clock } = setup();
    expect((await send(req({ nonce: clock.now }))).statusCode).toBe(200);
    const res = await send(req({ nonce: clock.now, fields: { document: 'other text' } }));
    expect(res.statusCode).toBe(401);
    expect((await send(req({ nonce: clock.now + 1n, fields: { document: 'other text' } }))).statusCode).toBe(200);
  });

  it('rejects a nonce more than 300 s in the future with 401 and accepts 299 s', async () => {
    const { req, send, clock } = setup();
    const far = await send(req({ nonce: clock.now + 301_000_000_000n }));
    expect(far.statusCode).toBe(401);
    expect(messageOf(far.body)).toBe('Not Verified with error: Nonce is too far in the future');
    expect((await send(req({ nonce: clock.now + 299_000_000_000n, uuid: 'u-2' }))).statusCode).toBe(200);
  });

  it('caps the timeout that widens the first-nonce window at 120 s', async () => {
    const { req, send, clock } = setup();
    const old = await send(req({ nonce: clock.now - 200_000_000_000n, timeout: 1000 }));
    expect(old.statusCode).toBe(401);
    expect(messageOf(old.body)).toBe(
      'Not Verified with error: Nonce is too old: acceptable delta is 124.00 seconds but request was 200.00 seconds old',
    );
    expect((await send(req({ nonce: clock.now - 100_000_000_000n, timeout: 1000, uuid: 'u-3' }))).statusCode).toBe(200);
  });

  it('applies only the monotonic rule to dendrites older than 7.2.0, as upstream', async () => {
    const { req, send, clock } = setup();
    expect((await send(req({ nonce: clock.now - 3600_000_000_000n, version: 6012004 }))).statusCode).toBe(200);
  });

  it('answers 500 when the body was tampered with after signing', async () => {
    const { req, send } = setup();
    const r = req();
    const res = await send({ ...r, body: r.body.replace('Hello world. Bye.', 'Hello world. Hi!') });
    expect(res.statusCode).toBe(500);
    expect(messageOf(res.body)).toMatch(/^Internal Server Error #[0-9a-f-]{36}$/);
  });

  it('answers 422 naming the field when a required field is missing (W8)', async () => {
    const { req, send } = setup();
    const r = req();
    const body = JSON.parse(r.body.replace(/"nonce":(\d+)/, '"nonce":"$1"'));
    delete body.document;
    const res = await send({ ...r, body: JSON.stringify(body) });
    expect(res.statusCode).toBe(422);
    expect(messageOf(res.body)).toBe('document: required');
  });

  it('answers 422 for a body that is not JSON', async () => {
    const { req, send } = setup();
    const res = await send({ ...req(), body: 'not json' });
    expect(res.statusCode).toBe(422);
    expect(messageOf(res.body)).toMatch(/^body: invalid JSON/);
  });

  it('answers 404 with the available synapses for an unknown route', async () => {
    const { axon } = setup();
    const res = await axon.fastify.inject({ method: 'POST', url: '/Nope', payload: '{}' });
    expect(res.statusCode).toBe(404);
    expect(messageOf(res.body)).toBe("Synapse name 'Nope' not found. Available synapses ['Synapse', 'chunkSynapse']");
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers 403 with the reason for a blacklisted caller, before verification', async () => {
    const clock = testClock();
    const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs });
    axon.attach(ChunkSynapseDef, { forward: (s) => s, blacklist: () => [true, 'Unrecognized hotkey'] });
    const r = craft({ def: ChunkSynapseDef, fields: DOC, signer: callerKey, axonHotkey: axonKey.address, nonce: 1n });
    const res = await axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
    expect(res.statusCode).toBe(403);
    expect(messageOf(res.body)).toBe('Forbidden. Key is blacklisted: Unrecognized hotkey.');
  });

  it('answers 413 for a body above the configured limit', async () => {
    const { req, send } = setup({ bodyLimitBytes: 1024 });
    const res = await send(req({ fields: { document: 'x'.repeat(4096) } }));
    expect(res.statusCode).toBe(413);
    expect(res.headers['bt_header_axon_status_code']).toBe('413');
  });

  it('answers 500 when the headers do not parse into a synapse', async () => {
    const { req, send } = setup();
    const r = req();
    r.headers['bt_header_dendrite_port'] = 'eighty';
    const res = await send(r);
    expect(res.statusCode).toBe(500);
  });

  it('signs error replies with the axon hotkey over {nonce}.{dendrite}.{axon}.{uuid} (§9.2)', async () => {
    const { axon, req, send } = setup();
    const r = req();
    delete r.headers['bt_header_dendrite_nonce'];
    const res = await send(r);
    const h = res.headers as Record<string, string>;
    expect(h['bt_header_axon_uuid']).toBe(axon.uuid);
    const msg = `${h['bt_header_axon_nonce']}.${callerKey.address}.${axonKey.address}.${axon.uuid}`;
    expect(verifySr25519(h['bt_header_axon_signature'] ?? '', msg, axonKey.address)).toBe(true);
  });
});

describe('nonce memory bounds (wire.md W3, §17.5)', () => {
  it('rejects a replay after the TTL expired, because the freshness window applies again', async () => {
    const { req, send, clock } = setup({ nonceTtlS: 900 });
    const r = req();
    expect((await send(r)).statusCode).toBe(200);
    clock.advanceS(901);
    const res = await send(r);
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toMatch(
      /^Not Verified with error: Nonce is too old: acceptable delta is 16.00 seconds/,
    );
  });

  it('refuses to start with a TTL below max_future_skew + 4 s + max_window_timeout', () => {
    expect(() => buildAxon({ signer: axonKey, nonceTtlS: 423 })).toThrow(NeuronConfigError);
    expect(() =>
      buildAxon({ signer: axonKey, nonceTtlS: 100, maxFutureSkewS: 60, maxWindowTimeoutS: 30 }),
    ).not.toThrow();
    expect(() => buildAxon({ signer: axonKey, nonceTtlS: 424 })).not.toThrow();
  });
});

describe('axon hooks and limits (wire.md §11)', () => {
  it('answers 408 when a request waits longer than its timeout for a handler slot', async () => {
    const clock = testClock();
    const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs, maxConcurrent: 1 });
    let unblock!: () => void;
    const blocked = new Promise<void>((r) => {
      unblock = r;
    });
    axon.attach(ChunkSynapseDef, {
      forward: async (s) => {
        if (s.document === 'slow') await blocked;
        return s;
      },
    });
    const mk = (document: string, nonce: bigint, timeout: number) =>
      craft({
        def: ChunkSynapseDef,
        fields: { document },
        signer: callerKey,
        axonHotkey: axonKey.address,
        nonce,
        timeout,
      });
    const send = (r: ReturnType<typeof mk>) =>
      axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
    const slow = send(mk('slow', clock.now, 12));
    await new Promise((r) => setTimeout(r, 50));
    const late = await send(mk('fast', clock.now + 1n, 0.2));
    expect(late.statusCode).toBe(408);
    expect(messageOf(late.body)).toBe('Response timeout after: 0.2s');
    unblock();
    expect((await slow).statusCode).toBe(200);
  });

  it('starts waiting requests in descending priority order under max_concurrent', async () => {
    const clock = testClock();
    const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs, maxConcurrent: 1 });
    const order: string[] = [];
    let unblock!: () => void;
    const blocked = new Promise<void>((r) => {
      unblock = r;
    });
    axon.attach(ChunkSynapseDef, {
      forward: async (s) => {
        order.push(s.document);
        if (s.document === 'first') await blocked;
        return s;
      },
      priority: (hs) => Number(hs.timeout),
    });
    const send = (document: string, nonce: bigint, timeout: number) => {
      const r = craft({
        def: ChunkSynapseDef,
        fields: { document },
        signer: callerKey,
        axonHotkey: axonKey.address,
        nonce,
        timeout,
      });
      return axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
    };
    const first = send('first', clock.now, 12);
    await new Promise((r) => setTimeout(r, 30));
    const rest = [send('p3', clock.now + 1n, 3), send('p9', clock.now + 2n, 9), send('p5', clock.now + 3n, 5)];
    await new Promise((r) => setTimeout(r, 50));
    unblock();
    const results = await Promise.all([first, ...rest]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(order).toEqual(['first', 'p9', 'p5', 'p3']);
  });

  it('answers 500 when the handler, the blacklist or the priority function throws', async () => {
    const clock = testClock();
    for (const hooks of [
      { forward: () => Promise.reject(new Error('boom')) },
      { forward: (s: never) => s, blacklist: () => Promise.reject(new Error('boom')) },
      { forward: (s: never) => s, priority: () => Promise.reject(new Error('boom')) },
    ]) {
      const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs });
      axon.attach(ChunkSynapseDef, hooks as never);
      const r = craft({
        def: ChunkSynapseDef,
        fields: DOC,
        signer: callerKey,
        axonHotkey: axonKey.address,
        nonce: clock.now,
      });
      const res = await axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
      expect(res.statusCode).toBe(500);
      expect(messageOf(res.body)).toMatch(/^Internal Server Error #/);
    }
  });

  it('uses a custom verify instead of the default when given', async () => {
    const clock = testClock();
    const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs });
    axon.attach(ChunkSynapseDef, {
      forward: (s) => s,
      verify: () => {
        throw new Error('custom says no');
      },
    });
    const r = craft({
      def: ChunkSynapseDef,
      fields: DOC,
      signer: callerKey,
      axonHotkey: axonKey.address,
      nonce: clock.now,
    });
    const res = await axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
    expect(res.statusCode).toBe(401);
    expect(messageOf(res.body)).toBe('Not Verified with error: custom says no');
  });

  it('serves /Synapse on GET and POST and lets a handler set its own status code', async () => {
    const { axon, clock } = setup();
    axon.attach(SynapseDef, {
      forward: (s) => ({ ...s, axon: { ...s.axon, status_code: 429, status_message: 'slow down' } }),
    });
    const r = craft({ def: SynapseDef, signer: callerKey, axonHotkey: axonKey.address, nonce: clock.now });
    const res = await axon.fastify.inject({ method: 'GET', url: r.url, headers: r.headers, payload: r.body });
    expect(res.statusCode).toBe(429);
    expect(res.headers['bt_header_axon_status_message']).toBe('slow down');
  });

  it('finishes in-flight requests on close()', async () => {
    const clock = testClock();
    const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs });
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => {
      entered = r;
    });
    axon.attach(ChunkSynapseDef, {
      forward: async (s) => {
        entered();
        await new Promise((r) => setTimeout(r, 100));
        return { ...s, chunks: ['done'] };
      },
    });
    await axon.listen({ host: '127.0.0.1', port: 0 });
    const address = axon.fastify.server.address() as { port: number };
    const r = craft({
      def: ChunkSynapseDef,
      fields: DOC,
      signer: callerKey,
      axonHotkey: axonKey.address,
      nonce: clock.now,
    });
    const pending = fetch(`http://127.0.0.1:${address.port}${r.url}`, {
      method: 'POST',
      headers: r.headers,
      body: r.body,
    });
    await inHandler;
    await axon.close();
    const res = await pending;
    expect(res.status).toBe(200);
    // The reply asks the keep-alive client to drop the connection, so close() can finish.
    expect(res.headers.get('connection')).toBe('close');
    expect(((await res.json()) as { chunks: string[] }).chunks).toEqual(['done']);
  });
});

describe('response computed_body_hash (the request hash is reused only when the hash fields are unchanged)', () => {
  const hashOf = (fields: Record<string, unknown>) => bodyHashFor(ChunkSynapseDef, fields);
  type Forward = (s: Synapse<ChunkSynapse>) => Synapse<ChunkSynapse>;
  const reply = async (forward: Forward) => {
    const clock = testClock();
    const axon = buildAxon({ signer: axonKey, nowNs: clock.nowNs }).attach(ChunkSynapseDef, { forward });
    const r = craft({
      def: ChunkSynapseDef,
      fields: DOC,
      signer: callerKey,
      axonHotkey: axonKey.address,
      nonce: clock.now,
    });
    const res = await axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
    expect(res.statusCode).toBe(200);
    return res.headers['computed_body_hash'];
  };

  it('is the request hash when the handler returns a copy with extra fields', async () => {
    expect(await reply((s) => ({ ...s, chunks: ['x'] }))).toBe(hashOf(DOC));
  });

  it('follows a hash field the handler mutated in place', async () => {
    const h = await reply((s) => {
      s.document = 'changed in place';
      return s;
    });
    expect(h).toBe(hashOf({ ...DOC, document: 'changed in place' }));
  });

  it('follows a hash field the handler replaced', async () => {
    expect(await reply((s) => ({ ...s, chunk_size: 7 }))).toBe(hashOf({ ...DOC, chunk_size: 7 }));
  });
});
