import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForwarderConfigError } from './errors.js';
import { createSecretLoader, parseSecretSource } from './secret.js';

// A loopback server speaking the AWS JSON 1.1 protocol of Secrets Manager and SSM, for the real SDK clients.
let server: Server;
let endpoint: string;
const calls: string[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const input = JSON.parse(await readBody(req)) as Record<string, unknown>;
    calls.push(target);
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
      res.statusCode = 403;
      return res.end(JSON.stringify({ __type: 'MissingAuthenticationTokenException', message: 'unsigned' }));
    }
    if (target === 'secretsmanager.GetSecretValue' && input['SecretId'] === 'dojo/callback') {
      return res.end(JSON.stringify({ Name: 'dojo/callback', SecretString: 'sm-secret' }));
    }
    if (target === 'AmazonSSM.GetParameter' && input['Name'] === '/dojo/callback' && input['WithDecryption'] === true) {
      return res.end(
        JSON.stringify({ Parameter: { Name: '/dojo/callback', Type: 'SecureString', Value: 'ssm-secret' } }),
      );
    }
    res.statusCode = 400;
    res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const clientConfig = () => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
});

describe('secret sources', () => {
  it('parses the three schemes and refuses others', () => {
    expect(parseSecretSource('secretsmanager:dojo/callback')).toEqual({ kind: 'secretsmanager', id: 'dojo/callback' });
    expect(parseSecretSource('ssm:/dojo/callback')).toEqual({ kind: 'ssm', name: '/dojo/callback' });
    expect(parseSecretSource('env:X')).toEqual({ kind: 'env', variable: 'X' });
    expect(() => parseSecretSource('vault:x')).toThrow(ForwarderConfigError);
    expect(() => parseSecretSource('ssm:')).toThrow(/needs a name/);
  });

  it('reads Secrets Manager through the SDK and caches it for the TTL', async () => {
    let t = 0;
    const load = createSecretLoader({
      source: { kind: 'secretsmanager', id: 'dojo/callback' },
      env: {},
      clientConfig: clientConfig(),
      ttlMs: 1000,
      now: () => t,
    });
    const before = calls.length;
    expect(await load()).toBe('sm-secret');
    expect(await load()).toBe('sm-secret');
    expect(calls.length - before).toBe(1);
    t = 1001;
    expect(await load()).toBe('sm-secret');
    expect(calls.length - before).toBe(2);
  });

  it('reads an SSM SecureString with decryption', async () => {
    const load = createSecretLoader({
      source: { kind: 'ssm', name: '/dojo/callback' },
      env: {},
      clientConfig: clientConfig(),
    });
    expect(await load()).toBe('ssm-secret');
  });

  it('fails with the source name, never the value, when missing or empty', async () => {
    await expect(createSecretLoader({ source: { kind: 'env', variable: 'NOPE' }, env: {} })()).rejects.toThrow(
      /NOPE is not set/,
    );
    await expect(createSecretLoader({ source: { kind: 'env', variable: 'E' }, env: { E: '' } })()).rejects.toThrow(
      /empty/,
    );
    await expect(
      createSecretLoader({ source: { kind: 'ssm', name: '/missing' }, env: {}, clientConfig: clientConfig() })(),
    ).rejects.toThrow(/not found/);
  });
});
