import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AWSCredentials } from '@dojo-ts/protocol';

/** Options of {@link createCredentialsProvider}. */
export interface CredentialsProviderOptions {
  /** STS client with the miner's long-term keys; null disables credentials (responses carry `aws_credentials: null`). */
  sts: STSClient | null;
  /** `AWS_ASSUME_ROLE_ARN`: the read-only MTurk role; null disables credentials. */
  roleArn: string | null;
  environment: 'sandbox' | 'production';
  /** Session length. @defaultValue 3600 */
  durationS?: number;
  /** Credentials are renewed this long before they expire. @defaultValue 300 */
  renewBeforeS?: number;
  /** Clock in ms. @defaultValue Date.now */
  nowMs?: () => number;
}

/**
 * Temporary credentials for the validator's MTurk verification (dojo.md §7 step 5): STS `AssumeRole` with
 * `RoleSessionName = "subnet_validator"`, cached until shortly before they expire.
 *
 * @param o - STS client, role, environment, durations.
 * @returns a function resolving the current credentials, or null when no role is configured.
 * @throws the STS error when `AssumeRole` fails (the delivery is retried).
 */
export function createCredentialsProvider(o: CredentialsProviderOptions): () => Promise<AWSCredentials | null> {
  const now = o.nowMs ?? Date.now;
  let cached: { creds: AWSCredentials; expiresMs: number } | null = null;
  let inflight: Promise<AWSCredentials> | null = null;
  return async () => {
    if (o.sts === null || o.roleArn === null) return null;
    if (cached && cached.expiresMs - (o.renewBeforeS ?? 300) * 1000 > now()) return cached.creds;
    if (inflight) return inflight;
    const sts = o.sts;
    const roleArn = o.roleArn;
    inflight = (async () => {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'subnet_validator',
          DurationSeconds: o.durationS ?? 3600,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error('AssumeRole returned no credentials');
      }
      const creds: AWSCredentials = {
        access_key_id: c.AccessKeyId,
        secret_access_key: c.SecretAccessKey,
        session_token: c.SessionToken,
        access_expiration: c.Expiration.toISOString(),
        environment: o.environment,
      };
      cached = { creds, expiresMs: c.Expiration.getTime() };
      return creds;
    })();
    try {
      return await inflight;
    } finally {
      inflight = null;
    }
  };
}
