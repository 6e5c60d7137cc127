import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHeaders, encodeHeaders } from './headers.js';
import { parseJson, parseJsonOrdered } from './json.js';
import { parseSynapseBody } from './parse-synapse-body.js';
import { parsePyFloat } from './py-cast.js';
import { isPyNonPrintable, pyFloatRepr, pyStrRepr } from './python-str.js';
import { synapseRegistry } from './registry.js';
import { stringifyJson } from './stringify-json.js';
import { emptyTerminalInfo, type TerminalInfo } from './synapse.js';
import { ChunkSynapseDef } from './synapses/chunk-synapse.js';
import { MTurkResponseDef } from './synapses/mturk-response.js';
import { RankingRequestDef } from './synapses/ranking-request.js';
import { RankingResultDef } from './synapses/ranking-result.js';
import { SynapseDef } from './synapses/synapse.js';

const SEED = 20261123;
const params = { seed: SEED, numRuns: 500 };

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 1, minLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', '\x7f', '\u2028', '\u200b', ' ') },
  { weight: 1, arbitrary: loneSurrogate },
);
const anyString = fc.string({ unit: anyUnit, maxLength: 30 });

// Inverse of CPython's repr() escapes, used to check that repr is lossless.
function unrepr(r: string): string {
  const body = r.slice(1, -1);
  return body.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)/g, (_m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

describe('properties', () => {
  it('pyFloatRepr of any double parses back (Python float()) to the same double, in CPython shape', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const r = pyFloatRepr(x);
        expect(Object.is(parsePyFloat(r), x) || (Number.isNaN(x) && r === 'nan')).toBe(true);
        expect(r).toMatch(/^(-?\d+\.\d+|-?\d(\.\d+)?e[+-]\d{2,3}|-?inf|nan)$/);
        if (/e/.test(r)) {
          const exp = Number(r.split('e')[1]);
          expect(exp < -4 || exp >= 16).toBe(true);
        }
      }),
      { ...params, numRuns: 5000 },
    );
  });

  it('pyStrRepr is lossless, quoted and free of non-printables', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const r = pyStrRepr(s);
        expect(unrepr(r)).toBe(s);
        expect(r[0] === "'" || r[0] === '"').toBe(true);
        for (const ch of r) expect(isPyNonPrintable(ch.codePointAt(0)!)).toBe(false);
        if (r[0] === '"') expect(s.includes('"')).toBe(false);
      }),
      { ...params, numRuns: 3000 },
    );
  });

  const terminalInfo: fc.Arbitrary<TerminalInfo> = fc.record({
    status_code: fc.option(fc.integer({ min: -1000, max: 1000 })),
    status_message: fc.option(fc.string()),
    process_time: fc.option(fc.double()),
    ip: fc.option(fc.string()),
    port: fc.option(fc.integer({ min: 0, max: 65535 })),
    version: fc.option(fc.integer({ min: 0, max: 99_999_999 })),
    nonce: fc.option(fc.bigInt({ min: 0n, max: 2n ** 80n })),
    uuid: fc.option(fc.uuid()),
    hotkey: fc.option(fc.string()),
    signature: fc.option(fc.string()),
  });

  it('headers round-trip: decodeHeaders(encodeHeaders(s)) restores timeout, dendrite and axon', () => {
    fc.assert(
      fc.property(
        terminalInfo,
        terminalInfo,
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        anyString,
        (d, a, timeout, doc) => {
          const s = ChunkSynapseDef.create({ document: doc.replace(/[\ud800-\udfff]/g, ''), timeout });
          s.dendrite = d;
          s.axon = a;
          const decoded = decodeHeaders(encodeHeaders(ChunkSynapseDef, s));
          expect(decoded.dendrite).toEqual(d);
          expect(decoded.axon).toEqual(a);
          expect(Object.is(decoded.timeout, timeout)).toBe(true);
          expect(decoded.inputObj).toEqual({ document: '' });
        },
      ),
      params,
    );
  });

  const leaf = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.bigInt({ min: 2n ** 53n, max: 2n ** 90n }),
    fc.bigInt({ min: -(2n ** 90n), max: -(2n ** 53n) }),
    fc.boolean(),
    fc.constant(null),
    anyString,
  );
  const { value: jsonValue } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(fc.oneof(anyString, fc.constant('__proto__'), fc.nat().map(String)), tie('value'), {
      maxKeys: 5,
    }),
  }));

  it('stringifyJson -> parseJson round-trips values with bigints above 2^53, -0, NaN and lone surrogates', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(parseJson(stringifyJson(v))).toEqual(v);
      }),
      params,
    );
  });

  it('parseJson agrees with JSON.parse on standard JSON (unsafe integers aside)', () => {
    const toNumber = (v: unknown): unknown =>
      typeof v === 'bigint'
        ? Number(v)
        : Array.isArray(v)
          ? v.map(toNumber)
          : v !== null && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toNumber(x)]))
            : v;
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(toNumber(parseJson(text))).toEqual(JSON.parse(text));
        const ordered = parseJsonOrdered(text);
        expect(stringifyJson(ordered)).toBe(stringifyJson(parseJsonOrdered(stringifyJson(ordered))));
      }),
      params,
    );
  });

  const defs = [...synapseRegistry.values()];
  it('parseSynapseBody never throws on arbitrary or mutated bodies', () => {
    const valid = stringifyJson(
      RankingRequestDef.create({ prompt: 'p', n_completions: 1, completions: [{ cid: 'c', text: 't' }] }),
    );
    const mutated = fc
      .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 20 }), fc.string({ unit: 'binary', maxLength: 8 }))
      .map(([at, del, ins]) => valid.slice(0, at) + ins + valid.slice(at + del));
    fc.assert(
      fc.property(
        fc.constantFrom(...defs),
        fc.oneof(fc.string({ unit: 'binary' }), fc.json(), mutated),
        (def, text) => {
          const r = parseSynapseBody(def, text);
          if (!r.ok) {
            expect(typeof r.field).toBe('string');
            expect(r.reason.length).toBeGreaterThan(0);
          } else expect(r.bodyHash).toMatch(/^[0-9a-f]{64}$/);
        },
      ),
      { ...params, numRuns: 3000 },
    );
  });

  it('created synapses satisfy their TypeBox schemas and TerminalInfoSchema', () => {
    const samples = [
      [SynapseDef, {}],
      [RankingRequestDef, { prompt: 'p', n_completions: 1, completions: [{ cid: 'c', text: 't' }] }],
      [RankingResultDef, { request_id: 'r', cid_to_consensus: { c: 0.5 }, hotkey_to_score: { h: 1 } }],
      [MTurkResponseDef, { request_id: 'r', mturk_hit_id: 'h', completion_id_to_score: { c: 7.25 } }],
      [ChunkSynapseDef, { document: 'd', chunk_size: 4096 }],
    ] as const;
    for (const [def, fields] of samples) {
      const s = (def as typeof SynapseDef).create(fields) as Record<string, unknown>;
      const payload = Object.fromEntries(Object.keys(def.fieldTypes).map((k) => [k, s[k]]));
      expect(Value.Check(def.schema, payload)).toBe(true);
      expect(s['dendrite']).toEqual(emptyTerminalInfo());
    }
  });
});
