import { ChunkSynapseDef, parseSynapseBody, RankingRequestDef, type SynapseDefinition } from '@dojo-ts/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAxon } from '../src/axon/build-axon.js';
import type { Signer } from '../src/signer.js';
import { craft, seededSigner, testClock } from './helpers.js';

// 10 000 random and mutated requests through inject(): the axon must never crash, always answer JSON with a known
// status, and never answer 2xx to a request that is invalid by construction. Seeded, so failures reproduce.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 10_000;
const KNOWN = new Set([200, 400, 401, 403, 404, 408, 413, 415, 422, 500]);
const CHARS = 'abcXYZ019 .,:;{}[]"\\\'\n\t\u00e9\u4e16\ud83d\ude00\u0000\u2028';

let axonKey: Signer;
let callers: Signer[];

beforeAll(async () => {
  axonKey = await seededSigner(61);
  callers = [await seededSigner(62), await seededSigner(63)];
});

describe('axon fuzz', () => {
  it(`answers ${N} random and mutated requests without crashing and never 2xx for an invalid one`, async () => {
    const rand = mulberry32(20261123);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const randStr = (n: number) => Array.from({ length: n }, () => pick([...CHARS])).join('');
    const clock = testClock();
    // Error-reply signing is covered in axon-rejections; skipping it here keeps 10 000 cases fast.
    const axon = buildAxon({
      signer: axonKey,
      nowNs: clock.nowNs,
      bodyLimitBytes: 64 * 1024,
      signErrorResponses: false,
    });
    axon.attach(ChunkSynapseDef, { forward: (s) => ({ ...s, chunks: [s.document] }) });
    axon.attach(RankingRequestDef, { forward: (s) => s });
    const accepted: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
    const counts: Record<string, number> = {};
    let seq = 0;

    const fresh = (def: SynapseDefinition = pick([ChunkSynapseDef, RankingRequestDef] as SynapseDefinition[])) => {
      clock.advanceS(0.001);
      const fields =
        def === ChunkSynapseDef
          ? {
              document: randStr(1 + Math.floor(rand() * 40)),
              chunk_size: rand() < 0.5 ? null : Math.floor(rand() * 5000),
            }
          : { prompt: randStr(10), n_completions: 1, completions: [{ cid: 'c1', text: randStr(5) }] };
      return craft({
        def,
        fields,
        signer: pick(callers),
        axonHotkey: axonKey.address,
        nonce: clock.now,
        uuid: `fuzz-${seq++}`,
        timeout: pick([12, 0.5, 30, 1e9]),
      });
    };

    // Signing costs ~0.3 ms, so kinds whose mutation breaks the signature anyway reuse a few pre-signed bases.
    const bases = Array.from({ length: 64 }, () => fresh());
    // Half of the bases are sent once as they are, so mutations of them also exercise the cheap nonce rejections
    // (and the suite stays fast); the other half reach the signature check.
    for (const b of bases.slice(0, 32)) {
      const res = await axon.fastify.inject({ method: 'POST', url: b.url, headers: b.headers, payload: b.body });
      expect(res.statusCode).toBe(200);
    }
    for (let i = 0; i < N; i++) {
      const kind = Math.floor(rand() * 14);
      const base = [0, 7, 8, 9].includes(kind) ? fresh() : pick(bases);
      let { url, headers, body } = base;
      headers = { ...headers };
      let mayPass = false;
      switch (kind) {
        case 0:
          mayPass = true; // control: valid as built
          break;
        case 1: {
          const sig = headers['bt_header_dendrite_signature'] ?? '';
          const at = 2 + Math.floor(rand() * 128);
          const c = sig[at] === '0' ? '1' : '0';
          headers['bt_header_dendrite_signature'] = sig.slice(0, at) + c + sig.slice(at + 1);
          break;
        }
        case 2:
          headers['bt_header_dendrite_nonce'] = String(
            BigInt(headers['bt_header_dendrite_nonce'] ?? '0') +
              BigInt(1 + Math.floor(rand() * 1e12)) * pick([1n, -1n]),
          );
          break;
        case 3:
          headers['bt_header_dendrite_hotkey'] = pick(
            callers.map((c) => c.address).concat(axonKey.address, randStr(48)),
          ).replace(headers['bt_header_dendrite_hotkey'] ?? '', axonKey.address);
          break;
        case 4:
          headers['bt_header_dendrite_uuid'] = `other-${randStr(8)}`;
          break;
        case 5:
          headers['computed_body_hash'] = pick(['', 'a'.repeat(64), randStr(64)]);
          break;
        case 6: {
          const other = craft({
            ...{ def: ChunkSynapseDef, fields: { document: 'x' } },
            signer: pick(callers),
            axonHotkey: callers[0]!.address,
            nonce: clock.now + 1n,
            uuid: `fuzz-${seq++}`,
          });
          ({ url, headers, body } = other);
          clock.advanceS(0.001);
          break;
        }
        case 7: {
          const key = url === '/chunkSynapse' ? '"document":' : '"prompt":';
          body = body.replace(key + '"', `${key}"tampered `);
          break;
        }
        case 8: {
          const chars = [...body];
          const flips = 1 + Math.floor(rand() * 5);
          for (let f = 0; f < flips; f++) chars[Math.floor(rand() * chars.length)] = pick([...CHARS]);
          body = chars.join('');
          const def = url === '/chunkSynapse' ? ChunkSynapseDef : RankingRequestDef;
          const parsed = parseSynapseBody(def, body);
          mayPass = parsed.ok && parsed.bodyHash === headers['computed_body_hash'];
          break;
        }
        case 9:
          body = body.slice(0, Math.floor(rand() * body.length));
          break;
        case 10:
          delete headers[
            pick([
              'bt_header_dendrite_nonce',
              'bt_header_dendrite_signature',
              'bt_header_dendrite_hotkey',
              'bt_header_dendrite_uuid',
              'computed_body_hash',
            ])
          ];
          break;
        case 11:
          if (accepted.length > 0) ({ url, headers, body } = pick(accepted));
          else headers['bt_header_dendrite_signature'] = '0x';
          break;
        case 12:
          url = pick(['/', '/Nope', '/chunksynapse', '/RankingRequest/x', `/${encodeURIComponent(randStr(5))}`]);
          break;
        default: {
          headers = {};
          for (let h = 0; h < 6; h++) {
            const k =
              pick(['bt_header_dendrite_', 'bt_header_axon_', 'bt_header_input_obj_', '']) +
              pick(['nonce', 'port', 'signature', 'hotkey', 'timeout', 'name', 'x']);
            headers[k] = randStr(Math.floor(rand() * 20)).replace(/[^\x20-\x7e]/g, '');
          }
          body = randStr(Math.floor(rand() * 200));
        }
      }
      const res = await axon.fastify.inject({ method: rand() < 0.9 ? 'POST' : 'GET', url, headers, payload: body });
      counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
      if (!KNOWN.has(res.statusCode)) throw new Error(`kind ${kind}: unexpected status ${res.statusCode}: ${res.body}`);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const json = JSON.parse(res.body) as { message?: unknown };
      if (res.statusCode >= 200 && res.statusCode < 300) {
        if (!mayPass) throw new Error(`kind ${kind}: invalid request answered ${res.statusCode}`);
        accepted.push({ url, headers, body });
        if (accepted.length > 200) accepted.shift();
      } else {
        expect(typeof json.message).toBe('string');
        if (kind === 0) throw new Error(`valid control request rejected: ${res.statusCode} ${res.body}`);
      }
    }
    expect(counts[200]).toBeGreaterThan(N / 20);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(N);
  }, 120_000);
});
