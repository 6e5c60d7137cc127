import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StsServer, startStsServer } from './mturk-sts-server.js';

const ROLE = 'arn:aws:iam::123456789012:role/mturk_read_only';
let sts: StsServer;
let client: STSClient;

beforeAll(async () => {
  sts = await startStsServer({ allowedRoleArns: [ROLE] });
  client = new STSClient({
    region: 'us-east-1',
    endpoint: sts.endpoint,
    credentials: { accessKeyId: 'AKIDMINER', secretAccessKey: 'miner-secret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await sts.close();
});

describe('local STS server through @aws-sdk/client-sts', () => {
  it('AssumeRole returns temporary credentials that the SDK decodes', async () => {
    const out = await client.send(
      new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'subnet_validator', DurationSeconds: 3600 }),
    );
    const issued = sts.issued.at(-1);
    expect(out.Credentials?.AccessKeyId).toBe(issued?.accessKeyId);
    expect(out.Credentials?.SessionToken).toBe(issued?.sessionToken);
    expect(out.Credentials?.Expiration?.getTime()).toBe(issued?.expiration.getTime());
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/mturk_read_only/subnet_validator');
    expect(issued?.roleSessionName).toBe('subnet_validator');
  });

  it('refuses roles outside the allow list and invalid parameters with STS error codes', async () => {
    await expect(
      client.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/admin', RoleSessionName: 'x1' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      client.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'x', DurationSeconds: 60 })),
    ).rejects.toThrow(/RoleSessionName is invalid|DurationSeconds/);
  });
});
