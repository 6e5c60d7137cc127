import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeHeaders, encodeHeaders } from './headers.js';
import { parseJson, parseJsonOrdered } from './json.js';
import { parseSynapseBody } from './parse-synapse-body.js';
import { py } from './py-type.js';
import { pyFloatRepr, pyStrRepr, pythonStr } from './python-str.js';
import { getSynapseDefinition } from './registry.js';

// Recorded with CPython 3.11 by scripts/gen-golden.py; tests never run Python.
interface Golden {
  python: string;
  strings: Array<{ json: string; repr: string; str_list: string }>;
  floats: Array<{ bits: string; repr: string }>;
  body_hashes: Array<{ synapse: string; body: string; hash: string }>;
  requests: Array<{ synapse: string; headers: Record<string, string>; body: string }>;
}
const golden = JSON.parse(
  readFileSync(new URL('../test/fixtures/python-golden.json', import.meta.url), 'utf8'),
) as Golden;

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe(`golden corpus from CPython ${golden.python}`, () => {
  it(`repr() of ${golden.strings.length} strings (printable, control, Cf/Zl/Zs, astral, quotes, lone surrogates)`, () => {
    expect(golden.strings.length).toBeGreaterThan(2000);
    const bad: string[] = [];
    for (const c of golden.strings) {
      const s = parseJson(c.json) as string;
      if (pyStrRepr(s) !== c.repr) bad.push(`${c.json}: ${pyStrRepr(s)} != ${c.repr}`);
      else if (
        pythonStr([s, [...s].slice(0, 3).join('')], py.list(py.str)) !== c.str_list &&
        !/[\ud800-\udfff]/.test(s)
      ) {
        bad.push(`list ${c.json}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it(`repr() of ${golden.floats.length} floats (subnormals, integral, ±0, exponent boundaries, random bits)`, () => {
    const bad = golden.floats.filter((c) => pyFloatRepr(fromBits(c.bits)) !== c.repr);
    expect(bad).toEqual([]);
  });

  it(`body hashes of ${golden.body_hashes.length} random payloads sent as Python json.dumps bodies`, () => {
    const bad: string[] = [];
    for (const c of golden.body_hashes) {
      const def = getSynapseDefinition(c.synapse)!;
      const r = parseSynapseBody(def, c.body);
      if (!r.ok) bad.push(`${c.synapse} ${r.field}: ${r.reason}`);
      else if (r.bodyHash !== c.hash) bad.push(`${c.synapse} ${c.body}`);
    }
    expect(bad).toEqual([]);
  });

  it(`${golden.requests.length} requests built as a Python v7.4 dendrite builds them: headers decode, body hash matches, encodeHeaders reproduces them`, () => {
    for (const c of golden.requests) {
      const def = getSynapseDefinition(c.synapse)!;
      const h = decodeHeaders(c.headers);
      const r = parseSynapseBody(def, c.body);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.bodyHash).toBe(h.computed_body_hash);
      expect(h.dendrite).toEqual(r.synapse.dendrite);
      expect(h.axon).toEqual(r.synapse.axon);
      expect(h.timeout).toBe(r.synapse.timeout);
      expect(h.name).toBe(c.synapse);
      // Python's sizes are sys.getsizeof values: carry them over, everything else must be byte-identical. Dict
      // fields go in as Maps in received order (the plain-object synapse reorders integer-like keys).
      const ordered = Object.fromEntries(parseJsonOrdered(c.body) as Map<string, unknown>);
      const hashed = Object.fromEntries(def.requiredHashFields.map((f) => [f, ordered[f]]));
      const again = encodeHeaders(def, {
        ...r.synapse,
        ...hashed,
        header_size: h.header_size!,
        total_size: h.total_size!,
      });
      expect(again).toEqual(c.headers);
    }
  });
});
