import { createHmac } from 'node:crypto';

/** Header names of the signed callback (dojo.md D13). */
export const SIGNATURE_HEADER = 'x-dojo-signature';
export const TIMESTAMP_HEADER = 'x-dojo-timestamp';

/**
 * Signs a callback body: `x-dojo-signature: sha256=<hex HMAC-SHA256(secret, body)>` plus `x-dojo-timestamp` (unix s).
 *
 * @param body Exact bytes that will be sent.
 * @param secret Shared secret (never logged).
 * @param nowS Unix seconds for the timestamp header.
 * @returns The two headers to add.
 */
export function signCallback(body: string | Uint8Array, secret: string, nowS: number): Record<string, string> {
  const mac = createHmac('sha256', secret).update(body).digest('hex');
  return { [SIGNATURE_HEADER]: `sha256=${mac}`, [TIMESTAMP_HEADER]: String(Math.floor(nowS)) };
}
