import { type HeaderSynapse, signatureMessage, V_7_2_0 } from '@dojo-ts/protocol';
import { verifySr25519 } from '../crypto/sr25519.js';
import { NeuronConfigError, NotVerifiedError } from '../errors.js';
import type { NonceCache } from './nonce-cache.js';

/** Upstream `ALLOWED_DELTA`: 4 s of clock skew added to the freshness window. */
export const ALLOWED_DELTA_NS = 4_000_000_000n;

/** Verification limits (wire.md §10.2). */
export interface VerifyLimits {
  /** Nonce memory TTL in seconds. @defaultValue 900 */
  nonceTtlS: number;
  /** Largest accepted distance of a nonce into the future, seconds. @defaultValue 300 */
  maxFutureSkewS: number;
  /** Cap on the header timeout that widens the freshness window, seconds. @defaultValue 120 */
  maxWindowTimeoutS: number;
}

/** The TTL below which an expired entry could be replayed: `max_future_skew + 4 s + max_window_timeout` (424 s). */
export function minNonceTtlS(limits: Omit<VerifyLimits, 'nonceTtlS'>): number {
  return limits.maxFutureSkewS + Number(ALLOWED_DELTA_NS) / 1e9 + limits.maxWindowTimeoutS;
}

/**
 * Throws when the nonce TTL is too short to keep expired entries unreplayable (wire.md §10.2).
 *
 * @param limits - The configured limits.
 * @throws NeuronConfigError when `nonceTtlS` is below {@link minNonceTtlS} or a limit is negative.
 */
export function assertVerifyLimits(limits: VerifyLimits): void {
  const { nonceTtlS, maxFutureSkewS, maxWindowTimeoutS } = limits;
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isFinite(v) || v < 0) throw new NeuronConfigError(`${k} must be a finite number >= 0, got ${v}`);
  }
  const bound = minNonceTtlS({ maxFutureSkewS, maxWindowTimeoutS });
  if (nonceTtlS < bound) {
    throw new NeuronConfigError(
      `nonce TTL ${nonceTtlS}s is below max_future_skew + 4s + max_window_timeout = ${bound}s: expired nonces could be replayed`,
      { details: { nonceTtlS, bound } },
    );
  }
}

/** Everything the default verifier needs. */
export interface DefaultVerifyContext extends Omit<VerifyLimits, 'nonceTtlS'> {
  /** The axon's own hotkey (ss58): the message is built with it, not with `bt_header_axon_hotkey`. */
  ownHotkey: string;
  nonces: NonceCache;
  /** Wall clock in nanoseconds. */
  nowNs: () => bigint;
  /** Signature check; defaults to the wasm sr25519 verifier. */
  verifySignature?: (signature: string, message: string, ss58: string) => boolean | Promise<boolean>;
}

/**
 * Builds the Dojo TS default `verify` (wire.md §10.2): required nonce and signature, future bound, upstream
 * freshness/monotonic rules with a capped window, sr25519 over `{nonce}.{hotkey}.{own_hotkey}.{uuid}.{body_hash}`.
 *
 * @param ctx - Own hotkey, nonce memory, clock and limits.
 * @returns An async verifier that resolves when the request is verified and records its nonce.
 * @throws NotVerifiedError (from the returned function) with the upstream-style reason.
 */
export function createDefaultVerify(ctx: DefaultVerifyContext): (synapse: HeaderSynapse) => Promise<void> {
  const check = ctx.verifySignature ?? verifySr25519;
  const futureNs = BigInt(Math.round(ctx.maxFutureSkewS * 1e9));
  return async (synapse) => {
    const { nonce, signature, hotkey, uuid, version } = synapse.dendrite;
    if (nonce === null || nonce === undefined) throw new NotVerifiedError('Missing Nonce');
    if (!signature) throw new NotVerifiedError('Missing Signature');
    const now = ctx.nowNs();
    if (nonce > now + futureNs) throw new NotVerifiedError('Nonce is too far in the future');
    const endpointKey = `${hotkey ?? 'None'}:${uuid ?? 'None'}`;
    const stored = ctx.nonces.get(endpointKey);
    if (version !== null && version !== undefined && version >= V_7_2_0) {
      const raw = synapse.timeout ?? 0;
      const timeoutS = Number.isFinite(raw) ? Math.min(raw, ctx.maxWindowTimeoutS) : 0;
      const allowedDeltaNs = ALLOWED_DELTA_NS + BigInt(Math.round(timeoutS * 1e9));
      if (stored === undefined && nonce <= now - allowedDeltaNs) {
        const allowed = (Number(allowedDeltaNs) / 1e9).toFixed(2);
        const age = (Number(now - nonce) / 1e9).toFixed(2);
        throw new NotVerifiedError(
          `Nonce is too old: acceptable delta is ${allowed} seconds but request was ${age} seconds old`,
        );
      }
    }
    if (stored !== undefined && nonce <= stored) {
      throw new NotVerifiedError('Nonce is too old, a newer one was last processed');
    }
    if (!hotkey) throw new NotVerifiedError('Signature mismatch');
    const message = signatureMessage({
      nonce,
      dendriteHotkey: hotkey,
      axonHotkey: ctx.ownHotkey,
      uuid: uuid ?? 'None',
      bodyHash: synapse.computed_body_hash,
    });
    if (!(await check(signature, message, hotkey))) throw new NotVerifiedError('Signature mismatch');
    // Re-read: a concurrent request from the same endpoint may have stored a newer nonce while we awaited.
    const latest = ctx.nonces.get(endpointKey);
    if (latest !== undefined && nonce <= latest) {
      throw new NotVerifiedError('Nonce is too old, a newer one was last processed');
    }
    ctx.nonces.set(endpointKey, nonce);
  };
}
