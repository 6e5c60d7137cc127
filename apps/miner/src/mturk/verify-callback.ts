import { createHmac, timingSafeEqual } from 'node:crypto';
import { CallbackRejectedError } from '../errors.js';

/** Header names of the signed callback (D13). */
export const SIGNATURE_HEADER = 'x-dojo-signature';
export const TIMESTAMP_HEADER = 'x-dojo-timestamp';
/** Accepted clock difference between the forwarder and the miner, seconds. */
export const CALLBACK_WINDOW_S = 300;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name];
  if (Array.isArray(v)) return v.length === 1 ? (v[0] ?? null) : null;
  return v === undefined || v === '' ? null : v;
}

/**
 * Checks a human-feedback callback (D13): `x-dojo-signature: sha256=<hex HMAC-SHA256(secret, raw body)>` compared in
 * constant time, and `x-dojo-timestamp` (unix seconds) within {@link CALLBACK_WINDOW_S} of `nowS`.
 *
 * @param rawBody - the exact bytes received.
 * @param headers - request headers (lower-case names).
 * @param secret - the shared secret.
 * @param nowS - current unix time in seconds.
 * @throws CallbackRejectedError (401) when a header is missing, the timestamp is stale or the HMAC does not match.
 */
export function verifyCallback(
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  secret: string,
  nowS: number,
): void {
  const signature = header(headers, SIGNATURE_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  if (signature === null || timestamp === null) {
    throw new CallbackRejectedError(401, `missing ${signature === null ? SIGNATURE_HEADER : TIMESTAMP_HEADER} header`);
  }
  if (!/^\d{1,12}(\.\d+)?$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > CALLBACK_WINDOW_S) {
    throw new CallbackRejectedError(
      401,
      `stale or invalid ${TIMESTAMP_HEADER}: must be unix seconds within ${CALLBACK_WINDOW_S} s`,
    );
  }
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature);
  if (!match) throw new CallbackRejectedError(401, `${SIGNATURE_HEADER} must be sha256=<64 hex>`);
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(match[1] as string, 'hex');
  if (!timingSafeEqual(expected, given)) throw new CallbackRejectedError(401, 'signature mismatch');
}
