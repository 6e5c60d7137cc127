import { describe, expect, it } from 'vitest';
import { bodyHash } from './body-hash.js';
import { encodeHeaders } from './headers.js';
import { parseSynapseBody } from './parse-synapse-body.js';
import { stringifyJson } from './stringify-json.js';
import { ChunkSynapseDef } from './synapses/chunk-synapse.js';
import { MTurkResponseDef } from './synapses/mturk-response.js';
import type { RankingRequest } from './synapses/ranking-request.js';
import { RankingRequestDef } from './synapses/ranking-request.js';
import { RankingResultDef } from './synapses/ranking-result.js';
import { SynapseDef } from './synapses/synapse.js';

// A body exactly as a Python dendrite sends it (json.dumps separators, all TerminalInfo keys, nonce > 2^53).
const PY_BODY =
  '{"name": "RankingRequest", "timeout": 30.0, "total_size": 3298, "header_size": 0, ' +
  '"dendrite": {"status_code": null, "status_message": null, "process_time": null, "ip": "10.0.0.1", "port": null, ' +
  '"version": 7004000, "nonce": 1732358400123456789, "uuid": "u-1", "hotkey": "5Grw", "signature": "0xab"}, ' +
  '"axon": {"status_code": null, "status_message": null, "process_time": null, "ip": "10.0.0.2", "port": 8091, ' +
  '"version": null, "nonce": null, "uuid": null, "hotkey": "5Fhk", "signature": null}, "computed_body_hash": "", ' +
  '"required_hash_fields": [], "epoch_timestamp": 1732358400.5, "request_id": "req-1", "prompt": "What is 2+2?", ' +
  '"n_completions": 2, "completions": [{"cid": "c1", "text": "4"}, {"cid": "c2", "text": "it\'s five"}], ' +
  '"ranks": [], "scoring_method": null, "model_config": null, "mturk_hit_id": null, "modality": "text"}';

describe('parseSynapseBody (W8)', () => {
  it('parses a Python dendrite body: bigint nonce, defaults, body hash of §8.2', () => {
    const r = parseSynapseBody(RankingRequestDef, PY_BODY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.bodyHash).toBe('4c9ec43e1bdb85e5ef1b7dd8c98475edbb446ff668b4296a7bc0524d1da1e538');
    const s = r.synapse as unknown as RankingRequest & { dendrite: { nonce: bigint }; timeout: number };
    expect(s.dendrite.nonce).toBe(1732358400123456789n);
    expect(s.timeout).toBe(30);
    expect(s.completions[1]).toEqual({ cid: 'c2', text: "it's five" });
    expect(Object.hasOwn(s, 'required_hash_fields')).toBe(false);
  });

  it('fills defaults and base fields for a minimal body', () => {
    const r = parseSynapseBody(ChunkSynapseDef, '{"document": "Hello world. Bye.", "chunk_size": 4096.0}');
    expect(r).toMatchObject({ ok: true, bodyHash: '60ed704f9f17012e03dde6cda3aa27f8542ab773e4c41f68bce9b1299508ca59' });
    if (!r.ok) return;
    expect(r.synapse).toMatchObject({
      name: 'chunkSynapse',
      timeout: 12,
      total_size: 0,
      header_size: 0,
      computed_body_hash: '',
    });
    expect(r.synapse['chunks']).toBeNull();
    expect(r.synapse.dendrite.nonce).toBeNull();
  });

  it('hashes dicts in received key order even for integer-like keys', () => {
    const text = '{"request_id": "r", "cid_to_consensus": {"2": 0.5, "1": 1}, "hotkey_to_score": {}}';
    const r = parseSynapseBody(RankingResultDef, text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ordered = new Map<string, unknown>([
      ['2', 0.5],
      ['1', 1],
    ]);
    expect(r.bodyHash).toBe(
      bodyHash('RankingResult', { request_id: 'r', cid_to_consensus: ordered, hotkey_to_score: {} }),
    );
    expect(r.bodyHash).not.toBe(bodyHash('RankingResult', r.synapse));
  });

  it('forces name to the route and ignores extra keys', () => {
    const r = parseSynapseBody(SynapseDef as never, '{"name": "Other", "extra": [1]}');
    expect(r).toMatchObject({ ok: true, synapse: { name: 'Synapse' } });
  });

  it.each([
    ['not JSON', '{', 'body', /^invalid JSON/],
    ['not an object', '[1]', 'body', /^expected object$/],
    ['missing required field', '{"request_id": "r", "mturk_hit_id": "h"}', 'completion_id_to_score', /^required$/],
    [
      'wrong type',
      '{"request_id": 1, "mturk_hit_id": "h", "completion_id_to_score": {}}',
      'request_id',
      /^expected string$/,
    ],
    [
      'bad dict value',
      '{"request_id": "r", "mturk_hit_id": "h", "completion_id_to_score": {"c1": "7"}}',
      'completion_id_to_score.c1',
      /^expected number$/,
    ],
    [
      'bad literal',
      '{"request_id": "r", "mturk_hit_id": "h", "completion_id_to_score": {}, "scoring_method": "x"}',
      'scoring_method',
      /^expected one of 'aws_mturk'$/,
    ],
    [
      'bad nested model',
      '{"request_id": "r", "mturk_hit_id": "h", "completion_id_to_score": {}, "aws_credentials": {"access_key_id": "a"}}',
      'aws_credentials.secret_access_key',
      /^required$/,
    ],
    [
      'bad nonce',
      '{"request_id": "r", "mturk_hit_id": "h", "completion_id_to_score": {}, "dendrite": {"nonce": "x"}}',
      'dendrite.nonce',
      /^expected integer$/,
    ],
    [
      'bad timeout',
      '{"request_id": "r", "mturk_hit_id": "h", "completion_id_to_score": {}, "timeout": "soon"}',
      'timeout',
      /^expected number$/,
    ],
    [
      'bad dendrite',
      '{"request_id": "r", "mturk_hit_id": "h", "completion_id_to_score": {}, "dendrite": []}',
      'dendrite',
      /^expected object$/,
    ],
  ])('%s is rejected naming the field', (_rule, text, field, reason) => {
    const r = parseSynapseBody(MTurkResponseDef, text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.reason).toMatch(reason);
  });

  it('names nested list paths: completions.0.text', () => {
    const r = parseSynapseBody(RankingRequestDef, '{"prompt": "p", "n_completions": 1, "completions": [{"cid": "c"}]}');
    expect(r).toEqual({ ok: false, field: 'completions.0.text', reason: 'required' });
    const r2 = parseSynapseBody(RankingRequestDef, '{"n_completions": 1, "completions": []}');
    expect(r2).toEqual({ ok: false, field: 'prompt', reason: 'required' });
  });

  it('round-trips create -> stringifyJson -> parseSynapseBody with the same hash as the headers', () => {
    const s = RankingRequestDef.create({ prompt: 'p', n_completions: 1, completions: [{ cid: 'c', text: 't' }] });
    s.dendrite.nonce = 2n ** 62n;
    const r = parseSynapseBody(RankingRequestDef, stringifyJson(s));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.synapse).toEqual(s);
    expect(r.bodyHash).toBe(encodeHeaders(RankingRequestDef, s)['computed_body_hash']);
  });
});
