import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyHash } from './body-hash.js';
import { encodeHeaders } from './headers.js';
import { getSynapseDefinition } from './registry.js';
import { makeTsBodies } from './test-utils/ts-bodies.js';

// Bodies serialised by stringifyJson, parsed and hashed by CPython 3.11 (scripts/hash-ts-bodies.py): what a Python
// axon computes for a request from a Dojo TS dendrite.
const fixture = JSON.parse(
  readFileSync(new URL('../test/fixtures/ts-bodies-python-hash.json', import.meta.url), 'utf8'),
) as { cases: Array<{ synapse: string; body: string; nonce: string; hash: string }> };

describe('TS dendrite -> Python axon: body hash agreement', () => {
  it(`${fixture.cases.length} TS-built bodies (NaN, ±inf, -0, 1e21, 2^53, subnormals, integer-like keys, astral, lone surrogates) hash the same in CPython`, () => {
    const made = makeTsBodies(20261123, fixture.cases.length);
    expect(made.length).toBe(fixture.cases.length);
    made.forEach((m, i) => {
      const c = fixture.cases[i]!;
      expect(m.body).toBe(c.body);
      expect(m.value.dendrite.nonce).toBe(BigInt(c.nonce));
      expect(bodyHash(m.synapse, m.value)).toBe(c.hash);
      expect(encodeHeaders(getSynapseDefinition(m.synapse)!, m.value)['computed_body_hash']).toBe(c.hash);
    });
  });
});
