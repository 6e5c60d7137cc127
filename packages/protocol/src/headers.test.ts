import { describe, expect, it } from 'vitest';
import { bodyHash, EMPTY_BODY_HASH } from './body-hash.js';
import { SynapseParsingError } from './errors.js';
import { decodeHeaders, encodeHeaders } from './headers.js';
import { PROTOCOL_VERSION } from './synapse.js';
import { ChunkSynapseDef } from './synapses/chunk-synapse.js';
import { MTurkResponseDef } from './synapses/mturk-response.js';
import { RankingRequestDef } from './synapses/ranking-request.js';
import { RankingResultDef } from './synapses/ranking-result.js';
import { SynapseDef } from './synapses/synapse.js';

const NONCE = 1732358400123456789n;
const SIG = `0x${'ab'.repeat(64)}`;
const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

function requestFor() {
  const s = RankingRequestDef.create({
    request_id: 'req-1',
    prompt: 'What is 2+2?',
    n_completions: 2,
    completions: [
      { cid: 'c1', text: '4' },
      { cid: 'c2', text: "it's five" },
    ],
    timeout: 30,
  });
  s.dendrite = {
    ...s.dendrite,
    ip: '10.0.0.1',
    version: PROTOCOL_VERSION,
    nonce: NONCE,
    uuid: 'u-1',
    hotkey: HOTKEY,
    signature: SIG,
  };
  s.axon = { ...s.axon, ip: '10.0.0.2', port: 8091, hotkey: HOTKEY };
  return s;
}

describe('encodeHeaders (wire.md §4.1)', () => {
  it('writes lowercase names, str() values, input_obj empty defaults and the body hash', () => {
    const h = encodeHeaders(RankingRequestDef, requestFor());
    expect(h).toEqual({
      name: 'RankingRequest',
      timeout: '30.0',
      bt_header_axon_ip: '10.0.0.2',
      bt_header_axon_port: '8091',
      bt_header_axon_hotkey: HOTKEY,
      bt_header_dendrite_ip: '10.0.0.1',
      bt_header_dendrite_version: '7004000',
      bt_header_dendrite_nonce: '1732358400123456789',
      bt_header_dendrite_uuid: 'u-1',
      bt_header_dendrite_hotkey: HOTKEY,
      bt_header_dendrite_signature: SIG,
      bt_header_input_obj_prompt: 'IiI=',
      bt_header_input_obj_n_completions: 'MA==',
      bt_header_input_obj_completions: 'W10=',
      header_size: '0',
      total_size: '0',
      computed_body_hash: '4c9ec43e1bdb85e5ef1b7dd8c98475edbb446ff668b4296a7bc0524d1da1e538',
    });
  });

  it.each([
    [
      RankingResultDef,
      { request_id: 'r', cid_to_consensus: {}, hotkey_to_score: {} },
      { request_id: 'IiI=', cid_to_consensus: 'e30=', hotkey_to_score: 'e30=' },
    ],
    [
      MTurkResponseDef,
      { request_id: 'r', mturk_hit_id: 'h', completion_id_to_score: {} },
      { request_id: 'IiI=', mturk_hit_id: 'IiI=', completion_id_to_score: 'e30=' },
    ],
    [ChunkSynapseDef, { document: 'd' }, { document: 'IiI=' }],
    [SynapseDef, {}, {}],
  ] as const)('input_obj headers of %s follow wire.md §15', (def, fields, expected) => {
    const h = encodeHeaders(def as never, (def as typeof SynapseDef).create(fields));
    const inputObj = Object.fromEntries(
      Object.entries(h)
        .filter(([k]) => k.startsWith('bt_header_input_obj_'))
        .map(([k, v]) => [k.slice('bt_header_input_obj_'.length), v]),
    );
    expect(inputObj).toEqual(expected);
  });

  it('the ping synapse carries the empty-input hash and renders process_time as a Python float', () => {
    const s = SynapseDef.create({});
    s.axon.status_code = 200;
    s.axon.status_message = 'Success';
    s.axon.process_time = 0.0123;
    const h = encodeHeaders(SynapseDef as never, s);
    expect(h['computed_body_hash']).toBe(EMPTY_BODY_HASH);
    expect(h['timeout']).toBe('12.0');
    expect(h['bt_header_axon_status_code']).toBe('200');
    expect(h['bt_header_axon_process_time']).toBe('0.0123');
    expect(h['bt_header_axon_status_message']).toBe('Success');
  });
});

describe('decodeHeaders (wire.md §4.3)', () => {
  it('round-trips encodeHeaders', () => {
    const s = requestFor();
    const d = decodeHeaders(encodeHeaders(RankingRequestDef, s));
    expect(d.name).toBe('RankingRequest');
    expect(d.timeout).toBe(30);
    expect(d.dendrite).toEqual(s.dendrite);
    expect(d.axon).toEqual(s.axon);
    expect(d.computed_body_hash).toBe(bodyHash('RankingRequest', s));
    expect(d.inputObj).toEqual({ prompt: '', n_completions: 0, completions: [] });
  });

  it('reads headers exactly as a Python v7/v10 dendrite sends them', () => {
    const d = decodeHeaders({
      name: 'Synapse',
      timeout: '12.0',
      bt_header_axon_ip: '127.0.0.1',
      bt_header_axon_port: '8091',
      bt_header_axon_hotkey: HOTKEY,
      bt_header_dendrite_ip: '0.0.0.0',
      bt_header_dendrite_version: '10002000',
      bt_header_dendrite_nonce: '1732358400123456789',
      bt_header_dendrite_uuid: '3a1f6c2e-a9b4-11ef-8f0e-0242ac120002',
      bt_header_dendrite_hotkey: HOTKEY,
      bt_header_dendrite_signature: SIG,
      bt_header_input_obj_document: 'IiI=',
      bt_header_input_obj_ratio: 'MC4w',
      bt_header_input_obj_flag: 'ZmFsc2U=',
      header_size: '640',
      total_size: '3298',
      computed_body_hash: EMPTY_BODY_HASH,
    });
    expect(d).toEqual({
      name: 'Synapse',
      timeout: 12,
      total_size: 3298,
      header_size: 640,
      computed_body_hash: EMPTY_BODY_HASH,
      dendrite: {
        status_code: null,
        status_message: null,
        process_time: null,
        ip: '0.0.0.0',
        port: null,
        version: 10002000,
        nonce: 1732358400123456789n,
        uuid: '3a1f6c2e-a9b4-11ef-8f0e-0242ac120002',
        hotkey: HOTKEY,
        signature: SIG,
      },
      axon: {
        status_code: null,
        status_message: null,
        process_time: null,
        ip: '127.0.0.1',
        port: 8091,
        version: null,
        nonce: null,
        uuid: null,
        hotkey: HOTKEY,
        signature: null,
      },
      inputObj: { document: '', ratio: 0, flag: false },
    });
  });

  it('reads the five plain headers case-insensitively but bt_header_ prefixes case-sensitively', () => {
    const d = decodeHeaders({ Timeout: '5', NAME: 'X', BT_HEADER_DENDRITE_NONCE: '1', Computed_Body_Hash: 'abc' });
    expect(d.timeout).toBe(5);
    expect(d.name).toBe('X');
    expect(d.computed_body_hash).toBe('abc');
    expect(d.dendrite.nonce).toBeNull();
  });

  it('absent headers give nulls and an empty body hash', () => {
    const d = decodeHeaders({});
    expect(d.name).toBeNull();
    expect(d.timeout).toBeNull();
    expect(d.total_size).toBeNull();
    expect(d.computed_body_hash).toBe('');
  });

  it('casts like Python int()/float(): whitespace, signs, underscores, inf', () => {
    const d = decodeHeaders({
      timeout: ' 1_2.5 ',
      bt_header_axon_port: '+8_091',
      bt_header_axon_process_time: 'inf',
      bt_header_dendrite_nonce: ' 1732358400123456789\n',
    });
    expect(d.timeout).toBe(12.5);
    expect(d.axon.port).toBe(8091);
    expect(d.axon.process_time).toBe(Number.POSITIVE_INFINITY);
    expect(d.dendrite.nonce).toBe(1732358400123456789n);
  });

  it('skips input_obj values that are not base64 JSON, and never overrides axon/dendrite', () => {
    const d = decodeHeaders({
      bt_header_input_obj_a: '!!!',
      bt_header_input_obj_b: btoa('{not json'),
      bt_header_input_obj_axon: btoa('{}'),
      bt_header_input_obj_c: 'W1 0=',
      bt_header_input_obj_big: btoa('12345678901234567890'),
    });
    expect(d.inputObj).toEqual({ c: [], big: 12345678901234567890n });
  });

  it.each([
    ['non-int port', { bt_header_axon_port: '80.5' }, /bt_header_axon_port: expected integer/],
    ['empty port', { bt_header_axon_port: '' }, /expected integer/],
    ['non-int nonce', { bt_header_dendrite_nonce: '0x10' }, /bt_header_dendrite_nonce: expected integer/],
    ['float nonce', { bt_header_dendrite_nonce: '1.7e18' }, /expected integer/],
    ['non-float timeout', { timeout: 'soon' }, /timeout/],
    ['non-float process_time', { bt_header_axon_process_time: '1s' }, /expected number/],
    ['non-int version', { bt_header_dendrite_version: 'v7' }, /expected integer/],
    ['non-int status code', { bt_header_axon_status_code: 'OK' }, /expected integer/],
    ['non-int total_size', { total_size: '1e3' }, /total_size/],
    ['conflicting duplicates', { bt_header_dendrite_nonce: ['1', '2'] }, /conflicting/],
  ])('malformed %s throws SynapseParsingError', (_rule, headers, message) => {
    expect(() => decodeHeaders(headers)).toThrow(SynapseParsingError);
    expect(() => decodeHeaders(headers)).toThrow(message);
  });

  it('identical duplicate header values are accepted', () => {
    expect(decodeHeaders({ bt_header_dendrite_nonce: ['7', '7'] }).dendrite.nonce).toBe(7n);
  });
});
