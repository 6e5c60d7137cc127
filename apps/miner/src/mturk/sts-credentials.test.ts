import { STSClient } from '@aws-sdk/client-sts';
import { type StsServer, startStsServer } from '@dojo-ts/local-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialsProvider } from './sts-credentials.js';

const ROLE = 'arn:aws:iam::123456789012:role/mturk_read_only';
let server: StsServer;
let sts: STSClient;
let nowMs = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  server = await startStsServer({ allowedRoleArns: [ROLE], now: () => new Date(nowMs) });
  sts = new STSClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  sts.destroy();
  await server.close();
});

describe('STS credentials for validators', () => {
  it('assumes the role as "subnet_validator" and maps the answer to AWSCredentials with the environment', async () => {
    const provider = createCredentialsProvider({ sts, roleArn: ROLE, environment: 'production', nowMs: () => nowMs });
    const creds = await provider();
    const issued = server.issued.at(-1);
    expect(issued?.roleSessionName).toBe('subnet_validator');
    expect(creds).toEqual({
      access_key_id: issued?.accessKeyId,
      secret_access_key: issued?.secretAccessKey,
      session_token: issued?.sessionToken,
      access_expiration: '2026-01-01T01:00:00.000Z',
      environment: 'production',
    });
  });

  it('reuses credentials until 5 minutes before they expire, then renews', async () => {
    const provider = createCredentialsProvider({ sts, roleArn: ROLE, environment: 'sandbox', nowMs: () => nowMs });
    const before = server.issued.length;
    const first = await provider();
    nowMs += 54 * 60_000;
    expect(await provider()).toEqual(first);
    expect(server.issued.length).toBe(before + 1);
    nowMs += 2 * 60_000;
    const renewed = await provider();
    expect(renewed?.access_key_id).not.toBe(first?.access_key_id);
    expect(server.issued.length).toBe(before + 2);
  });

  it('without a role ARN there are no credentials; a refused role rejects (the delivery retries)', async () => {
    expect(await createCredentialsProvider({ sts, roleArn: null, environment: 'sandbox' })()).toBeNull();
    const denied = createCredentialsProvider({
      sts,
      roleArn: 'arn:aws:iam::123456789012:role/other',
      environment: 'sandbox',
    });
    await expect(denied()).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
