// Deterministic synapses built on the TS side, serialised with stringifyJson; scripts/gen-ts-interop.ts records them
// and scripts/hash-ts-bodies.py has CPython hash what a Python axon would parse from each body.
import { stringifyJson } from '../stringify-json.js';
import type { Synapse } from '../synapse.js';
import { ChunkSynapseDef } from '../synapses/chunk-synapse.js';
import { MTurkResponseDef } from '../synapses/mturk-response.js';
import { RankingRequestDef } from '../synapses/ranking-request.js';
import { RankingResultDef } from '../synapses/ranking-result.js';

/** mulberry32: a tiny seeded PRNG, stable across library upgrades. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL_FLOATS = [
  0,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e21,
  5e-324,
  2 ** 53,
  1e16,
  1e-5,
  3,
  7.25,
  0.1 + 0.2,
];
const CHARS = [
  'a',
  'Z',
  ' ',
  "'",
  '"',
  '\\',
  '\n',
  '\t',
  '\x00',
  '\x7f',
  'é',
  '😀',
  '\u200b',
  '\u2028',
  '\u3000',
  '\u{31350}',
  '\u{e0001}',
];

export function makeTsBodies(seed: number, count: number): Array<{ synapse: string; value: Synapse; body: string }> {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const str = (max: number, lone = false) => {
    let s = Array.from({ length: int(max) }, () => pick(CHARS)).join('');
    if (lone && rnd() < 0.2) s += String.fromCharCode(0xd800 + int(0x800));
    return s;
  };
  const float = () =>
    rnd() < 0.4 ? pick(SPECIAL_FLOATS) : rnd() < 0.5 ? int(11) : (rnd() - 0.5) * 10 ** (int(40) - 20);
  const dict = () =>
    Object.fromEntries(Array.from({ length: int(5) }, () => [pick([String(int(100)), str(6, true)]), float()]));
  const out: Array<{ synapse: string; value: Synapse; body: string }> = [];
  for (let i = 0; i < count; i++) {
    let value: Synapse;
    switch (i % 4) {
      case 0: {
        const completions = Array.from({ length: int(4) }, () => ({ cid: str(8), text: str(20, true) }));
        value = RankingRequestDef.create({
          request_id: str(10),
          prompt: str(30),
          n_completions: completions.length,
          completions,
          epoch_timestamp: 1732358400.25,
        });
        break;
      }
      case 1:
        value = MTurkResponseDef.create({ request_id: str(10), mturk_hit_id: str(10), completion_id_to_score: dict() });
        break;
      case 2:
        value = RankingResultDef.create({ request_id: str(10), cid_to_consensus: dict(), hotkey_to_score: dict() });
        break;
      default:
        value = ChunkSynapseDef.create({ document: str(60), chunk_size: rnd() < 0.3 ? null : int(2 ** 31) });
    }
    value.dendrite.nonce = 1732358400000000000n + BigInt(int(1e9));
    out.push({ synapse: value.name, value, body: stringifyJson(value) });
  }
  return out;
}
