import { createServer, type Server } from 'node:http';
import {
  type ChunkSynapse,
  ChunkSynapseDef,
  defineSynapse,
  MTurkResponseDef,
  RankingRequestDef,
  RankingResultDef,
  type Synapse,
  SynapseDef,
} from '@dojo-ts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAxon } from '../src/axon/build-axon.js';
import type { Axon } from '../src/axon/types.js';
import { Dendrite, failedVerification, isBlacklist, isSuccess, isTimeout } from '../src/dendrite/query.js';
import type { Signer } from '../src/signer.js';
import { seededSigner } from './helpers.js';

let axonKey: Signer;
let dendriteKey: Signer;
let axon: Axon;
let port: number;
let dendrite: Dendrite;
const seenConcurrency = { now: 0, max: 0 };
const blocked = new Set<string>();

beforeAll(async () => {
  axonKey = await seededSigner(21);
  dendriteKey = await seededSigner(22);
  axon = buildAxon({ signer: axonKey, externalIp: '127.0.0.1' })
    .attach(RankingRequestDef, {
      forward: (s) => ({
        ...s,
        ranks: s.completions.map((c, i) => ({ cid: c.cid, score: i + 0.5 })),
        scoring_method: 'hf_model' as const,
      }),
    })
    .attach(RankingResultDef, { forward: (s) => s })
    .attach(MTurkResponseDef, { forward: (s) => s })
    .attach(ChunkSynapseDef, {
      forward: async (s) => {
        seenConcurrency.now++;
        seenConcurrency.max = Math.max(seenConcurrency.max, seenConcurrency.now);
        if (s.document === 'slow') await new Promise((r) => setTimeout(r, 500));
        else await new Promise((r) => setTimeout(r, 5));
        seenConcurrency.now--;
        return { ...s, chunks: [s.document.toUpperCase()] };
      },
      blacklist: (hs) => (blocked.has(hs.dendrite.hotkey ?? '') ? [true, 'Unrecognized hotkey'] : [false, 'ok']),
    });
  const url = await axon.listen({ host: '127.0.0.1', port: 0 });
  port = Number(new URL(url).port);
  dendrite = new Dendrite(dendriteKey);
});

afterAll(async () => {
  await dendrite.close();
  await axon.close();
});

const target = () => ({ ip: '127.0.0.1', port, hotkey: axonKey.address });

describe('TS dendrite <-> TS axon over loopback HTTP', () => {
  it('round-trips /Synapse', async () => {
    const [res] = await dendrite.query([target()], SynapseDef.create({}), { timeoutS: 5 });
    expect(res?.dendrite.status_code).toBe(200);
    expect(res?.dendrite.status_message).toBe('Success');
    expect(res?.axon.status_code).toBe(200);
    expect(res?.dendrite.uuid).toBe(dendrite.uuid);
    expect(typeof res?.dendrite.nonce).toBe('bigint');
    expect(res?.axon.hotkey).toBe(axonKey.address);
  });

  it('round-trips /RankingRequest with the miner-filled ranks', async () => {
    const req = RankingRequestDef.create({
      prompt: 'What is 2+2?',
      n_completions: 2,
      completions: [
        { cid: 'c1', text: '4' },
        { cid: 'c2', text: "it's five" },
      ],
    });
    const res = await dendrite.call(target(), req, { timeoutS: 5 });
    expect(isSuccess(res)).toBe(true);
    expect(res.ranks).toEqual([
      { cid: 'c1', score: 0.5 },
      { cid: 'c2', score: 1.5 },
    ]);
    expect(res.scoring_method).toBe('hf_model');
    expect(res.request_id).toBe(req.request_id);
  });

  it('round-trips /RankingResult with float dicts including integer-like keys', async () => {
    const req = RankingResultDef.create({
      request_id: 'req-1',
      cid_to_consensus: { c1: 0.6, '10': 3, '2': 0.5 },
      hotkey_to_score: { [dendriteKey.address]: 0.4107 },
    });
    const res = await dendrite.call(target(), req, { timeoutS: 5 });
    expect(res.dendrite.status_code).toBe(200);
    expect(res.cid_to_consensus).toEqual({ c1: 0.6, '10': 3, '2': 0.5 });
  });

  it('round-trips /MTurkResponse', async () => {
    const req = MTurkResponseDef.create({
      request_id: 'req-1',
      mturk_hit_id: '3XYZHIT',
      completion_id_to_score: { c1: 7.25, c2: 3 },
    });
    const res = await dendrite.call(target(), req, { timeoutS: 5 });
    expect(res.dendrite.status_code).toBe(200);
    expect(res.completion_id_to_score).toEqual({ c1: 7.25, c2: 3 });
  });

  it('round-trips /chunkSynapse', async () => {
    const res = await dendrite.call(target(), ChunkSynapseDef.create({ document: 'hello. bye.', chunk_size: 4 }), {
      timeoutS: 5,
    });
    expect(res.dendrite.status_code).toBe(200);
    expect(res.chunks).toEqual(['HELLO. BYE.']);
    expect(res.dendrite.process_time).toBeGreaterThan(0);
  });

  it('round-trips an unregistered synapse definition passed as `def` (signed hash = header hash)', async () => {
    const EchoDef = defineSynapse<ChunkSynapse>({
      name: 'Echo',
      schema: ChunkSynapseDef.schema,
      fieldTypes: ChunkSynapseDef.fieldTypes,
      fieldDefaults: ChunkSynapseDef.fieldDefaults,
      requiredHashFields: ['document'],
    });
    const echo = buildAxon({ signer: axonKey }).attach(EchoDef, { forward: (s) => ({ ...s, chunks: ['echo'] }) });
    const echoPort = Number(new URL(await echo.listen({ host: '127.0.0.1', port: 0 })).port);
    const results = await dendrite.query(
      [
        { ip: '127.0.0.1', port: echoPort, hotkey: axonKey.address },
        { ip: '127.0.0.1', port: echoPort, hotkey: axonKey.address },
      ],
      EchoDef.create({ document: 'custom' }),
      { timeoutS: 5, def: EchoDef },
    );
    await echo.close();
    expect(results.map((r) => [r.dendrite.status_code, r.chunks])).toEqual([
      [200, ['echo']],
      [200, ['echo']],
    ]);
  });

  it('keeps one request in flight per target so parallel calls from one dendrite all verify', async () => {
    seenConcurrency.max = 0;
    const docs = Array.from({ length: 6 }, (_, i) => `doc ${i}`);
    const results = await Promise.all(
      docs.map((document) => dendrite.call(target(), ChunkSynapseDef.create({ document }), { timeoutS: 10 })),
    );
    expect(results.map((r) => r.dendrite.status_code)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(seenConcurrency.max).toBe(1);
  });
});

describe('dendrite failure mapping (wire.md §13), never throwing out of a fan-out', () => {
  let closedPort: number;
  let htmlServer: Server;
  let htmlPort: number;

  beforeAll(async () => {
    const tmp = createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    closedPort = (tmp.address() as { port: number }).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    htmlServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hi</html>');
    });
    await new Promise<void>((r) => htmlServer.listen(0, '127.0.0.1', r));
    htmlPort = (htmlServer.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise<void>((r) => htmlServer.close(() => r()));
  });

  it('maps refused, timed out, non-JSON, unverified and blacklisted calls to 503/408/422/401/403', async () => {
    const other = await seededSigner(23);
    const req = ChunkSynapseDef.create({ document: 'slow' });
    const results = await dendrite.query(
      [
        { ip: '127.0.0.1', port: closedPort, hotkey: other.address },
        { ip: '127.0.0.1', port: htmlPort, hotkey: other.address },
        { ip: '127.0.0.1', port, hotkey: other.address },
        target(),
      ],
      req,
      { timeoutS: 0.2 },
    );
    const [refused, html, unverified, slow] = results as Synapse[];
    expect(refused?.dendrite.status_code).toBe(503);
    expect(refused?.dendrite.status_message).toBe(`Service unavailable at 127.0.0.1:${closedPort}/chunkSynapse`);
    expect(html?.dendrite.status_code).toBe(422);
    expect(html?.dendrite.status_message).toMatch(/^Failed to parse response/);
    expect(unverified && failedVerification(unverified)).toBe(true);
    expect(unverified?.axon.status_message).toBe('Not Verified with error: Signature mismatch');
    expect(slow && isTimeout(slow)).toBe(true);
    expect(slow?.dendrite.status_message).toBe('Request timeout after 0.2 seconds');
    expect(slow?.document).toBe('slow');
    const outsiderKey = await seededSigner(24);
    blocked.add(outsiderKey.address);
    const outsider = new Dendrite(outsiderKey);
    const denied = await outsider.call(target(), ChunkSynapseDef.create({ document: 'x' }), { timeoutS: 5 });
    await outsider.close();
    expect(isBlacklist(denied)).toBe(true);
    expect(denied.dendrite.status_message).toBe('Forbidden. Key is blacklisted: Unrecognized hotkey.');
  });

  it('fans out to many axons concurrently and returns results in target order', async () => {
    const axons: Axon[] = [];
    const targets = [];
    for (let i = 0; i < 8; i++) {
      const key = await seededSigner(40 + i);
      const a = buildAxon({ signer: key });
      a.attach(ChunkSynapseDef, { forward: (s) => ({ ...s, chunks: [`axon ${i}`] }) });
      const url = await a.listen({ host: '127.0.0.1', port: 0 });
      axons.push(a);
      targets.push({ ip: '127.0.0.1', port: Number(new URL(url).port), hotkey: key.address });
    }
    const results = await dendrite.query(targets, ChunkSynapseDef.create({ document: 'x' }), { timeoutS: 5 });
    expect(results.map((r) => r.chunks?.[0])).toEqual(targets.map((_, i) => `axon ${i}`));
    await Promise.all(axons.map((a) => a.close()));
  });
});

describe('what the dendrite fills in (wire.md §6)', () => {
  it('sends the §6 TerminalInfo fields, a valid signature and strictly increasing nonces', async () => {
    const seen: Array<Record<string, string | undefined>> = [];
    const key = await seededSigner(31);
    const spy = buildAxon({ signer: key });
    spy.attach(ChunkSynapseDef, {
      forward: (s) => s,
      blacklist: (hs) => {
        seen.push({
          nonce: String(hs.dendrite.nonce),
          version: String(hs.dendrite.version),
          uuid: hs.dendrite.uuid ?? undefined,
          hotkey: hs.dendrite.hotkey ?? undefined,
          axonHotkey: hs.axon.hotkey ?? undefined,
          axonPort: String(hs.axon.port),
          timeout: String(hs.timeout),
          totalSize: String(hs.total_size),
          headerSize: String(hs.header_size),
          document: JSON.stringify(hs.inputObj['document']),
        });
        return [false, 'ok'];
      },
    });
    const url = await spy.listen({ host: '127.0.0.1', port: 0 });
    const t = { ip: '127.0.0.1', port: Number(new URL(url).port), hotkey: key.address };
    const d = new Dendrite(dendriteKey);
    const out = await Promise.all(
      [0, 1, 2].map(() => d.call(t, ChunkSynapseDef.create({ document: 'real text' }), { timeoutS: 7.5 })),
    );
    await d.close();
    await spy.close();
    expect(out.map((r) => r.dendrite.status_code)).toEqual([200, 200, 200]);
    expect(seen).toHaveLength(3);
    const nonces = seen.map((s) => BigInt(s['nonce'] ?? '0'));
    expect(nonces[0]! < nonces[1]! && nonces[1]! < nonces[2]!).toBe(true);
    for (const s of seen) {
      expect(s).toMatchObject({
        version: '7004000',
        uuid: d.uuid,
        hotkey: dendriteKey.address,
        axonHotkey: key.address,
      });
      expect(s['axonPort']).toBe(String(t.port));
      expect(s['timeout']).toBe('7.5');
      expect(s['document']).toBe('""');
      expect(Number(s['totalSize'])).toBeGreaterThan(100);
      expect(Number(s['headerSize'])).toBeGreaterThan(100);
    }
  });
});
