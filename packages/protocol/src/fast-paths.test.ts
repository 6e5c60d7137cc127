import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyHashFor, sha3HexPortable } from './body-hash.js';
import { decodeHeaders, encodeHeaders } from './headers.js';
import { pyFloatRepr, pyFloatReprGeneral } from './python-str.js';
import { stringifyJson, stringifyJsonGeneral } from './stringify-json.js';
import { emptyTerminalInfo } from './synapse.js';
import { ChunkSynapseDef } from './synapses/chunk-synapse.js';
import { RankingRequestDef } from './synapses/ranking-request.js';

const params = { seed: 20261123, numRuns: 5000 };

// Doubles next to the fast-path bounds (1e-4 and 1e16) and next to integers, where a fast path would go wrong first.
const bits = new DataView(new ArrayBuffer(8));
function neighbour(x: number, ulps: number): number {
  bits.setFloat64(0, x);
  bits.setBigInt64(0, bits.getBigInt64(0) + BigInt(ulps));
  return bits.getFloat64(0);
}
const nearBounds = fc
  .tuple(
    fc.constantFrom(
      1e-4,
      1e16,
      1e15,
      1,
      0.1,
      2 ** 53,
      123456789.5,
      1e-5,
      1e-10,
      1e-100,
      5e-324,
      2.2250738585072014e-308,
    ),
    fc.integer({ min: -64, max: 64 }),
    fc.boolean(),
  )
  .map(([x, ulps, negative]) => (negative ? -1 : 1) * neighbour(x, ulps));
const integral = fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map((n) => n * 1.0);
const scaled = fc
  .tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: -320, max: 18 }))
  .map(([m, e]) => m * 10 ** e);

describe('pyFloatRepr fast path', () => {
  it('equals the general CPython repr on random doubles, doubles near the bounds, integers and decades', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), nearBounds, integral, scaled), (x) => {
        expect(pyFloatRepr(x)).toBe(pyFloatReprGeneral(x));
      }),
      params,
    );
  });

  it('keeps the CPython shape at the bounds', () => {
    expect(pyFloatRepr(1e-4)).toBe('0.0001');
    expect(pyFloatRepr(neighbour(1e-4, -1))).toBe('9.999999999999999e-05');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(neighbour(1e16, -1))).toBe('9999999999999998.0');
    expect(pyFloatRepr(-12)).toBe('-12.0');
    expect(pyFloatRepr(1.2e-5)).toBe('1.2e-05');
    expect(pyFloatRepr(-3e-7)).toBe('-3e-07');
    expect(pyFloatRepr(1e-10)).toBe('1e-10');
    expect(pyFloatRepr(5e-324)).toBe('5e-324');
  });
});

describe('encodeHeaders with a precomputed body hash', () => {
  it('gives the same header set, in the same order, as computing the hash', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 100_000 }), (document, chunkSize) => {
        const s = ChunkSynapseDef.create({ document, chunk_size: chunkSize });
        s.axon = { ...emptyTerminalInfo(), status_code: 200, process_time: 0.25, hotkey: 'h' };
        const hash = bodyHashFor(ChunkSynapseDef, s as unknown as Record<string, unknown>);
        expect(Object.entries(encodeHeaders(ChunkSynapseDef, s, { bodyHash: hash }))).toEqual(
          Object.entries(encodeHeaders(ChunkSynapseDef, s)),
        );
      }),
      { ...params, numRuns: 300 },
    );
  });

  it('writes the same input_obj values on repeated calls (per-definition cache)', () => {
    const s = RankingRequestDef.create({ prompt: 'p', n_completions: 2, completions: [] });
    const first = encodeHeaders(RankingRequestDef, s);
    expect(encodeHeaders(RankingRequestDef, s)).toEqual(first);
    expect(first['bt_header_input_obj_prompt']).toBe(btoa('""'));
  });
});

describe('decodeHeaders', () => {
  it('takes the text between the first and the next prefix occurrence, like Python split()[1]', () => {
    const hs = decodeHeaders({
      'x-bt_header_axon_port': '7',
      bt_header_dendrite_hotkeybt_header_dendrite_ignored: 'k',
      bt_header_input_objXbt_header_input_obj_prompt: btoa('"a"'),
    });
    expect(hs.axon.port).toBe(7);
    expect(hs.dendrite.hotkey).toBe('k');
    expect(hs.inputObj).toEqual({ prompt: 'a' });
  });

  it('returns a fresh input_obj value each time for objects (memo holds primitives only)', () => {
    const h = { bt_header_input_obj_completions: btoa('[]'), bt_header_input_obj_prompt: btoa('""') };
    const a = decodeHeaders(h).inputObj;
    const b = decodeHeaders(h).inputObj;
    expect(a).toEqual({ completions: [], prompt: '' });
    expect(a['completions']).not.toBe(b['completions']);
    expect(decodeHeaders({ bt_header_input_obj_prompt: ' I iI= ' }).inputObj).toEqual({ prompt: '' });
  });
});

describe('native one-shot SHA3', () => {
  it('equals the portable @noble/hashes digest through the body hash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (document) => {
        const s = ChunkSynapseDef.create({ document, chunk_size: 3 });
        const expected = sha3HexPortable(sha3HexPortable(document) + sha3HexPortable('3'));
        expect(bodyHashFor(ChunkSynapseDef, s as unknown as Record<string, unknown>)).toBe(expected);
      }),
      { ...params, numRuns: 300 },
    );
  });
});

// Numbers JSON.stringify writes differently on purpose (Python float literals): -0 and integral doubles beyond 2^53.
function hasPythonOnlyNumber(v: unknown): boolean {
  if (typeof v === 'number') return Object.is(v, -0) || (Number.isInteger(v) && !Number.isSafeInteger(v));
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasPythonOnlyNumber);
  return false;
}

describe('stringifyJson', () => {
  it('equals JSON.stringify on plain JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const normalised = JSON.parse(JSON.stringify(v)) as unknown;
        fc.pre(!hasPythonOnlyNumber(normalised));
        expect(stringifyJson(normalised)).toBe(JSON.stringify(normalised));
      }),
      { ...params, numRuns: 1000 },
    );
  });
});

const special = fc.constantFrom<unknown>(
  1732358400123456789n,
  -5n,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  undefined,
  new Map<string, unknown>([
    ['b', 1n],
    ['2', 'x'],
  ]),
  new Date(0),
  { toJSON: () => 'custom' },
);
const mixed = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    special,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('stringifyJson native fast path for plain subtrees', () => {
  it('writes the same text as the general writer on values mixing plain JSON, bigints, Maps, -0, NaN and toJSON', () => {
    fc.assert(
      fc.property(mixed, (v) => {
        expect(stringifyJson(v)).toBe(stringifyJsonGeneral(v));
      }),
      { ...params, numRuns: 2000 },
    );
  });

  it('still refuses nesting deeper than the limit', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 600; i++) deep = [deep];
    expect(() => stringifyJson(deep)).toThrow('nesting too deep');
  });
});
