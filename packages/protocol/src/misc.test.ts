import { describe, expect, it } from 'vitest';
import { BodyValidationError, DojoError, InvalidVersionError, SynapseParsingError } from './errors.js';
import { parsePyFloat, parsePyInt } from './py-cast.js';
import { getSynapseDefinition, synapseRegistry } from './registry.js';
import { axonSignatureMessage, signatureMessage } from './signature-message.js';
import { PROTOCOL_VERSION, V_7_2_0 } from './synapse.js';
import { versionAsInt } from './version.js';

describe('versionAsInt (wire.md §3.3)', () => {
  it.each([
    ['7.4.0', 7004000],
    ['7.2.0', 7002000],
    ['10.2.0', 10002000],
    ['6.12.4', 6012004],
  ])('%s -> %i', (v, n) => expect(versionAsInt(v)).toBe(n));

  it('constants match the spec', () => {
    expect(PROTOCOL_VERSION).toBe(versionAsInt('7.4.0'));
    expect(V_7_2_0).toBe(7002000);
  });

  it.each(['7.4', '7.4.0.1', '1000.0.0', 'a.b.c', ''])('rejects %j', (v) => {
    expect(() => versionAsInt(v)).toThrow(InvalidVersionError);
  });
});

describe('signature messages (wire.md §9)', () => {
  it('dendrite message is nonce.dendrite.axon.uuid.hash with a decimal bigint nonce', () => {
    expect(
      signatureMessage({ nonce: 1732358400123456789n, dendriteHotkey: 'D', axonHotkey: 'A', uuid: 'u', bodyHash: 'h' }),
    ).toBe('1732358400123456789.D.A.u.h');
  });
  it('axon message has no body hash', () => {
    expect(axonSignatureMessage({ nonce: 5n, dendriteHotkey: 'D', axonHotkey: 'A', uuid: 'u' })).toBe('5.D.A.u');
  });
});

describe('registry (wire.md §15)', () => {
  it('holds the five routes with their hash fields, required fields and timeouts', () => {
    const rows = [...synapseRegistry.values()].map((d) => [
      d.name,
      d.requiredHashFields,
      d.requiredFields,
      d.defaultTimeoutS,
    ]);
    expect(rows).toEqual([
      ['Synapse', [], [], 12],
      ['RankingRequest', ['request_id', 'prompt', 'completions'], ['prompt', 'n_completions', 'completions'], 30],
      [
        'RankingResult',
        ['request_id', 'cid_to_consensus', 'hotkey_to_score'],
        ['request_id', 'cid_to_consensus', 'hotkey_to_score'],
        12,
      ],
      [
        'MTurkResponse',
        ['request_id', 'mturk_hit_id', 'completion_id_to_score'],
        ['request_id', 'mturk_hit_id', 'completion_id_to_score'],
        60,
      ],
      ['chunkSynapse', ['document', 'chunk_size'], ['document'], 12],
    ]);
    expect(getSynapseDefinition('chunksynapse')).toBeUndefined();
    expect(getSynapseDefinition('chunkSynapse')?.name).toBe('chunkSynapse');
  });

  it('every definition has a TypeBox property per declared field', () => {
    for (const def of synapseRegistry.values()) {
      expect(Object.keys(def.schema.properties)).toEqual(Object.keys(def.fieldTypes));
    }
  });
});

describe('errors', () => {
  it('carry stable codes and the field of a body error', () => {
    const b = new BodyValidationError('completions.0.text', 'expected string');
    expect(b).toBeInstanceOf(DojoError);
    expect(b.code).toBe('DOJO_PROTOCOL_BODY_INVALID');
    expect(b.details).toEqual({ field: 'completions.0.text', reason: 'expected string' });
    expect(b.message).toBe('completions.0.text: expected string');
    expect(new SynapseParsingError('x').code).toBe('DOJO_PROTOCOL_SYNAPSE_PARSING');
  });
});

describe('parsePyInt / parsePyFloat follow CPython int() / float() (values checked with CPython 3.11)', () => {
  it.each([
    ['1_0', 10],
    ['1.', 1],
    ['.5', 0.5],
    ['1_0.5_5', 10.55],
    ['1e1_0', 1e10],
    ['1.e5', 1e5],
    ['+.5e-3', 0.0005],
    [' 12 ', 12],
    ['1_000.0_1e+0_1', 10000.1],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['INF', Number.POSITIVE_INFINITY],
  ])('float(%j) = %d', (s, v) => expect(parsePyFloat(s)).toBe(v));

  it.each(['1__0', '_1', '1_', '0x10', '', 'nan1', '1e', '--1'])('float(%j) raises', (s) => {
    expect(parsePyFloat(s)).toBeNull();
  });

  it('float("nan") is NaN', () => expect(parsePyFloat('nan')).toBeNaN());

  it.each([
    ['00012', 12n],
    ['1_2', 12n],
    ['+0', 0n],
    ['-0', 0n],
    [' 7\n', 7n],
    ['123456789012345678901234567890', 123456789012345678901234567890n],
  ])('int(%j) = %s', (s, v) => expect(parsePyInt(s)).toBe(v));

  it.each(['1.0', '', '1e3', '0x10', '1__2', '_1'])('int(%j) raises', (s) => expect(parsePyInt(s)).toBeNull());
});
