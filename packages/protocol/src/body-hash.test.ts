import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyHash, bodyHashFor, EMPTY_BODY_HASH, sha3Hex, sha3HexPortable } from './body-hash.js';
import { defineSynapse } from './define-synapse.js';
import { BodyValidationError, UnknownSynapseError } from './errors.js';
import { parseJsonOrdered } from './json.js';
import { py } from './py-type.js';

describe('bodyHash: wire.md §8.2 vectors (CPython hashlib)', () => {
  it('no hash fields hashes the empty string', () => {
    expect(bodyHash('Synapse', {})).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
    expect(EMPTY_BODY_HASH).toBe(sha3Hex(''));
  });

  it('("text",) text="hello"', () => {
    const def = defineSynapse({
      name: 'T',
      schema: Type.Object({}),
      fieldTypes: { text: py.str },
      requiredHashFields: ['text'],
    });
    expect(bodyHashFor(def, { text: 'hello' })).toBe(
      'cd1ba9b9d9fae7c1e56ddf6aa2947ad2e0b83b96bd91dd4b67fc560e83589bad',
    );
  });

  it('("a","b") a="hi" b=[1,2,3] renders [1, 2, 3]', () => {
    const def = defineSynapse({
      name: 'T',
      schema: Type.Object({}),
      fieldTypes: { a: py.str, b: py.list(py.int) },
      requiredHashFields: ['a', 'b'],
    });
    expect(bodyHashFor(def, { a: 'hi', b: [1, 2, 3] })).toBe(
      '850347bb2e19bb4870e788db38b86f6edf3de6a6ecc617c750d0bd148f8cc919',
    );
  });

  it('RankingRequest (double-quote repr rule)', () => {
    const fields = {
      request_id: 'req-1',
      prompt: 'What is 2+2?',
      completions: [
        { cid: 'c1', text: '4' },
        { cid: 'c2', text: "it's five" },
      ],
    };
    expect(bodyHash('RankingRequest', fields)).toBe('4c9ec43e1bdb85e5ef1b7dd8c98475edbb446ff668b4296a7bc0524d1da1e538');
  });

  it('MTurkResponse renders the integral float 3.0', () => {
    const fields = { request_id: 'req-1', mturk_hit_id: '3XYZHIT', completion_id_to_score: { c1: 7.25, c2: 3 } };
    expect(bodyHash('MTurkResponse', fields)).toBe('f53de1de9db25f3c2f82432061408561b61cdaeac41f28d40f4d0a7963ab48bb');
  });

  it('RankingResult', () => {
    const fields = {
      request_id: 'req-1',
      cid_to_consensus: { c1: 0.6, c2: 0.5 },
      hotkey_to_score: { '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY': 0.4107 },
    };
    expect(bodyHash('RankingResult', fields)).toBe('f302f9de677f3b4dd4d0d907e7e38ee51227ebbda16f576c408ded6db443d050');
  });

  it('chunkSynapse', () => {
    expect(bodyHash('chunkSynapse', { document: 'Hello world. Bye.', chunk_size: 4096 })).toBe(
      '60ed704f9f17012e03dde6cda3aa27f8542ab773e4c41f68bce9b1299508ca59',
    );
  });
});

describe('bodyHash: rules', () => {
  it('is SHA3-256, not Keccak-256', () => {
    // keccak256('') = c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
    expect(sha3Hex('')).not.toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  });

  it('follows the received key order of a Map, including integer-like keys', () => {
    const ordered = parseJsonOrdered('{"2": 1.0, "1": 2.0}') as Map<string, unknown>;
    const plain = { '2': 1, '1': 2 }; // JS iterates '1' first
    const a = bodyHash('RankingResult', { request_id: 'r', cid_to_consensus: ordered, hotkey_to_score: {} });
    const b = bodyHash('RankingResult', { request_id: 'r', cid_to_consensus: plain, hotkey_to_score: {} });
    const c = bodyHash('RankingResult', {
      request_id: 'r',
      cid_to_consensus: new Map([
        ['1', 2],
        ['2', 1],
      ]),
      hotkey_to_score: {},
    });
    expect(a).not.toBe(b);
    expect(b).toBe(c);
  });

  it('chunk_size None renders None', () => {
    expect(bodyHash('chunkSynapse', { document: 'd', chunk_size: null })).toBe(
      bodyHash('chunkSynapse', { document: 'd' }),
    );
  });

  it('unknown synapse names throw UnknownSynapseError', () => {
    expect(() => bodyHash('Nope', {})).toThrow(UnknownSynapseError);
  });

  it('a missing or mistyped hash field throws BodyValidationError naming it', () => {
    expect(() => bodyHash('chunkSynapse', {})).toThrow(/document: required/);
    expect(() =>
      bodyHash('RankingRequest', { request_id: 'r', prompt: 'p', completions: [{ cid: 'c', text: 4 }] }),
    ).toThrow(/completions\.0\.text: expected string/);
    expect(() => bodyHash('chunkSynapse', { document: 'd', chunk_size: 1.5 })).toThrow(BodyValidationError);
  });

  it('a top-level str with a lone surrogate is rejected (CPython cannot UTF-8 encode it)', () => {
    expect(() => bodyHash('chunkSynapse', { document: 'a\ud800' })).toThrow(/lone surrogate/);
  });
});

describe('sha3Hex: native and portable paths agree', () => {
  it('on random strings (astral included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(sha3Hex(s)).toBe(sha3HexPortable(s));
      }),
      { seed: 7, numRuns: 300 },
    );
    expect(sha3HexPortable('')).toBe(EMPTY_BODY_HASH);
  });
});
