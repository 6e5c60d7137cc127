import { MTurkClient } from '@aws-sdk/client-mturk';
import { ForwarderConfigError } from './errors.js';
import { createForwarder, type ForwardResult } from './handler.js';
import type { SnsRecordLike } from './notification.js';
import { createSecretLoader, parseSecretSource } from './secret.js';

const MTURK_ENDPOINTS = {
  production: 'https://mturk-requester.us-east-1.amazonaws.com',
  sandbox: 'https://mturk-requester-sandbox.us-east-1.amazonaws.com',
} as const;

/**
 * Reads the forwarder's settings from the Lambda environment:
 * `TARGET_URL` (required), `MTURK_ENDPOINT_URL` (default production), `DOJO_CALLBACK_SECRET_SOURCE`
 * (`secretsmanager:<id>`, `ssm:<name>` or `env:<VAR>`; default `env:DOJO_CALLBACK_SECRET`).
 *
 * @throws ForwarderConfigError naming the variable to fix.
 */
export function forwarderFromEnv(env: Readonly<Record<string, string | undefined>>) {
  const targetUrl = env['TARGET_URL'];
  if (!targetUrl || !/^https?:\/\//.test(targetUrl)) {
    throw new ForwarderConfigError(
      'TARGET_URL must be the miner callback URL, http(s)://<ip>:<port>/api/human_feedback/callback',
    );
  }
  const endpoint = env['MTURK_ENDPOINT_URL'] ?? MTURK_ENDPOINTS.production;
  if (!endpoint.includes('us-east-1') && env['DOJO_ALLOW_LOCAL_MTURK'] !== '1') {
    throw new ForwarderConfigError(`MTURK_ENDPOINT_URL must be an us-east-1 MTurk endpoint, got ${endpoint}`);
  }
  const source = parseSecretSource(env['DOJO_CALLBACK_SECRET_SOURCE'] ?? 'env:DOJO_CALLBACK_SECRET');
  return createForwarder({
    mturk: new MTurkClient({ region: 'us-east-1', endpoint }),
    loadSecret: createSecretLoader({ source, env }),
    targetUrl,
  });
}

let cached: ReturnType<typeof forwarderFromEnv> | undefined;

/** The Lambda entry point (`handler` in the bundle). Built once per container from `process.env`. */
export async function handler(event: { Records?: SnsRecordLike[] }): Promise<ForwardResult> {
  cached ??= forwarderFromEnv(process.env);
  return cached(event);
}
