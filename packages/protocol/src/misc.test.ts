import { describe, expect, it } from 'vitest';
import { BodyValidationError, DojoError, InvalidVersionError, SynapseParsingError } from './errors.js';
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
