import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ForwarderConfigError } from './errors.js';

/** Where the HMAC secret lives: `secretsmanager:<id or ARN>`, `ssm:<parameter name>` or `env:<VARIABLE>`. */
export type SecretSource =
  | { kind: 'secretsmanager'; id: string }
  | { kind: 'ssm'; name: string }
  | { kind: 'env'; variable: string };

/**
 * Parses `DOJO_CALLBACK_SECRET_SOURCE`.
 *
 * @param spec e.g. `secretsmanager:dojo/callback-secret`, `ssm:/dojo/callback-secret`, `env:DOJO_CALLBACK_SECRET`.
 * @throws ForwarderConfigError for an unknown scheme or an empty name.
 */
export function parseSecretSource(spec: string): SecretSource {
  const at = spec.indexOf(':');
  const scheme = at < 0 ? '' : spec.slice(0, at);
  const name = at < 0 ? '' : spec.slice(at + 1);
  if (name === '') throw new ForwarderConfigError(`secret source '${spec}' needs a name after the scheme`);
  if (scheme === 'secretsmanager') return { kind: 'secretsmanager', id: name };
  if (scheme === 'ssm') return { kind: 'ssm', name };
  if (scheme === 'env') return { kind: 'env', variable: name };
  throw new ForwarderConfigError(`secret source '${scheme}' is not secretsmanager:, ssm: or env:`);
}

/** Options of {@link createSecretLoader}. */
export interface SecretLoaderOptions {
  source: SecretSource;
  env: Readonly<Record<string, string | undefined>>;
  /** Client overrides (region, endpoint) for tests and other regions. */
  clientConfig?: { region?: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } };
  /** How long a loaded secret is reused across warm invocations; default 300 000 ms (rotation takes effect within it). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Returns a function that loads the callback secret from its source and caches it for `ttlMs`.
 * The secret is never logged; errors name the source, not the value.
 */
export function createSecretLoader(options: SecretLoaderOptions): () => Promise<string> {
  const ttlMs = options.ttlMs ?? 300_000;
  const now = options.now ?? Date.now;
  let cached: { value: string; at: number } | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.value;
    const value = await readSecret(options);
    if (value === '') throw new ForwarderConfigError('the callback secret is empty');
    cached = { value, at: now() };
    return value;
  };
}

async function readSecret({ source, env, clientConfig }: SecretLoaderOptions): Promise<string> {
  switch (source.kind) {
    case 'env': {
      const value = env[source.variable];
      if (value === undefined) throw new ForwarderConfigError(`environment variable ${source.variable} is not set`);
      return value;
    }
    case 'secretsmanager': {
      const client = new SecretsManagerClient({ region: 'us-east-1', ...clientConfig });
      const out = await client.send(new GetSecretValueCommand({ SecretId: source.id }));
      return out.SecretString ?? '';
    }
    case 'ssm': {
      const client = new SSMClient({ region: 'us-east-1', ...clientConfig });
      const out = await client.send(new GetParameterCommand({ Name: source.name, WithDecryption: true }));
      return out.Parameter?.Value ?? '';
    }
  }
}
