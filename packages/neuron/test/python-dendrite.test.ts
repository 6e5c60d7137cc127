import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ChunkSynapseDef } from '@dojo-ts/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAxon } from '../src/axon/build-axon.js';
import type { Signer } from '../src/signer.js';
import { seededSigner } from './helpers.js';

// Requests byte-for-byte as a Python bittensor v7.4 / v10 dendrite sends them through aiohttp: lowercase headers from
// `synapse.to_headers()` (str() values, `12.0`, decimal nonce > 2^53, `0x` signature, base64 input_obj), plus
// aiohttp's own headers, and a body from `json.dumps(synapse.model_dump())` (", "/": " separators, ensure_ascii).
// Body hashes are CPython hashlib values (wire.md §8.2 and `python3 -c` for the non-ASCII one).

let axonKey: Signer;
let pyKey: Signer;
const UUID = '5f0d7a7e-a8f1-11ef-9d2a-0242ac120002';

beforeAll(async () => {
  axonKey = await seededSigner(11);
  pyKey = await seededSigner(12);
});

function terminal(t: Record<string, string | number | null>): string {
  const keys = [
    'status_code',
    'status_message',
    'process_time',
    'ip',
    'port',
    'version',
    'nonce',
    'uuid',
    'hotkey',
    'signature',
  ];
  return `{${keys.map((k) => `"${k}": ${t[k] === undefined || t[k] === null ? 'null' : typeof t[k] === 'number' ? t[k] : JSON.stringify(t[k])}`).join(', ')}}`;
}

function pythonRequest(o: {
  route: 'Synapse' | 'chunkSynapse';
  version: string;
  bodyHash: string;
  payloadJson: string;
  inputObj: Record<string, string>;
}) {
  const nonce = `${BigInt(Date.now()) * 1_000_000n + 123_456_789n}`;
  expect(BigInt(nonce) > 2n ** 53n).toBe(true);
  const message = `${nonce}.${pyKey.address}.${axonKey.address}.${UUID}.${o.bodyHash}`;
  const signature = `0x${Buffer.from(pyKey.sign(new TextEncoder().encode(message))).toString('hex')}`;
  const dendrite = {
    ip: '203.0.113.7',
    version: Number(o.version),
    nonce: 'NONCE',
    uuid: UUID,
    hotkey: pyKey.address,
    signature,
  };
  const axon = { ip: '127.0.0.1', port: 8091, hotkey: axonKey.address };
  const body =
    `{"name": "${o.route}", "timeout": 12.0, "total_size": 0, "header_size": 0, ` +
    `"dendrite": ${terminal(dendrite).replace('"NONCE"', nonce)}, "axon": ${terminal(axon)}, "computed_body_hash": ""` +
    `${o.payloadJson ? `, ${o.payloadJson}` : ''}}`;
  const headers: Record<string, string> = {
    name: o.route,
    timeout: '12.0',
    bt_header_axon_ip: '127.0.0.1',
    bt_header_axon_port: '8091',
    bt_header_axon_hotkey: axonKey.address,
    bt_header_dendrite_ip: '203.0.113.7',
    bt_header_dendrite_version: o.version,
    bt_header_dendrite_nonce: nonce,
    bt_header_dendrite_uuid: UUID,
    bt_header_dendrite_hotkey: pyKey.address,
    bt_header_dendrite_signature: signature,
    ...Object.fromEntries(Object.entries(o.inputObj).map(([k, v]) => [`bt_header_input_obj_${k}`, v])),
    header_size: '640',
    total_size: '3516',
    computed_body_hash: o.bodyHash,
    host: '127.0.0.1:8091',
    accept: '*/*',
    'accept-encoding': 'gzip, deflate',
    'user-agent': 'Python/3.11 aiohttp/3.9.5',
    'content-type': 'application/json',
  };
  return { url: `/${o.route}`, headers, body, nonce };
}

describe('requests built like a Python bittensor dendrite', () => {
  for (const version of ['7004000', '10002000']) {
    it(`accepts a v${version} /chunkSynapse request (input_obj header, 12.0 timeout, big nonce, ", " JSON)`, async () => {
      const axon = buildAxon({ signer: axonKey });
      axon.attach(ChunkSynapseDef, { forward: (s) => ({ ...s, chunks: s.document.split(' ') }) });
      const r = pythonRequest({
        route: 'chunkSynapse',
        version,
        bodyHash: '60ed704f9f17012e03dde6cda3aa27f8542ab773e4c41f68bce9b1299508ca59',
        payloadJson:
          '"document": "Hello world. Bye.", "chunk_size": 4096, "time_soft_max": null, "chunk_qty": null, "chunks": null, "miner_signature": null',
        inputObj: { document: 'IiI=' },
      });
      const res = await axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
      expect(res.statusCode).toBe(200);
      expect(res.headers['bt_header_axon_status_code']).toBe('200');
      expect(res.headers['bt_header_dendrite_nonce']).toBe(r.nonce);
      const body = JSON.parse(res.body);
      expect(body.chunks).toEqual(['Hello', 'world.', 'Bye.']);
      expect(body.axon.status_code).toBe(200);
      expect(res.body).toContain(`"nonce":${r.nonce}`);
    });
  }

  it('accepts a v7 ping on /Synapse with the empty-input hash', async () => {
    const axon = buildAxon({ signer: axonKey });
    const r = pythonRequest({
      route: 'Synapse',
      version: '7004000',
      bodyHash: 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
      payloadJson: '',
      inputObj: {},
    });
    const res = await axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
    expect(res.statusCode).toBe(200);
    expect(res.headers['bt_header_axon_status_message']).toBe('Success');
  });

  it('accepts ensure_ascii escapes (\\u00fc, surrogate pairs) and hashes the decoded text like CPython', async () => {
    const axon = buildAxon({ signer: axonKey });
    axon.attach(ChunkSynapseDef, { forward: (s) => s });
    const r = pythonRequest({
      route: 'chunkSynapse',
      version: '7004000',
      bodyHash: '5def82f034e8628a46b3e1e5250f8f8cc1800d187a7cba5b1849af9073fba5c5',
      payloadJson: '"document": "Gr\\u00fc\\u00dfe, \\u4e16\\u754c \\ud83d\\ude00. Bye.", "chunk_size": null',
      inputObj: { document: 'IiI=' },
    });
    const res = await axon.fastify.inject({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).document).toBe('Grüße, 世界 😀. Bye.');
  });
});

describe('a request recorded from real aiohttp (test/fixtures/aiohttp-chunk-request.json)', () => {
  it('is accepted byte for byte over TCP, with a 200 and bt_header_axon_status_code: 200', async () => {
    const fixture = JSON.parse(
      readFileSync(fileURLToPath(new URL('./fixtures/aiohttp-chunk-request.json', import.meta.url)), 'utf8'),
    ) as { nonce: string; axonSeed: number; rawBase64: string };
    const key = await seededSigner(fixture.axonSeed);
    // The recording's nonce is fixed, so the axon's clock is set one second after it.
    const axon = buildAxon({ signer: key, nowNs: () => BigInt(fixture.nonce) + 1_000_000_000n });
    axon.attach(ChunkSynapseDef, { forward: (s) => ({ ...s, chunks: [s.document] }) });
    const url = await axon.listen({ host: '127.0.0.1', port: 0 });
    const raw = Buffer.from(fixture.rawBase64, 'base64');
    expect(raw.toString('latin1')).toContain('User-Agent: Python/3.11 aiohttp/');
    const response = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1', () => socket.end(raw));
      const chunks: Buffer[] = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
      socket.setTimeout(10_000, () => reject(new Error('no response')));
    });
    await axon.close();
    expect(response.startsWith('HTTP/1.1 200')).toBe(true);
    expect(response).toMatch(/\r\nbt_header_axon_status_code: 200\r\n/);
    expect(response).toMatch(/\r\ncontent-type: application\/json/i);
    expect(response).toContain('"chunks":["Hello world. Bye."]');
    expect(response).toContain(`"nonce":${fixture.nonce}`);
  });
});
