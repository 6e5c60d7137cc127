import { decodeAddress } from '@polkadot/util-crypto';
import { sr25519Verify, waitReady } from '@polkadot/wasm-crypto';

const SIGNATURE_RE = /^0x[0-9a-fA-F]{128}$/;
const PUBKEY_CACHE_MAX = 10_000;
const pubkeyCache = new Map<string, Uint8Array | null>();
const encoder = new TextEncoder();
const BYTES_PREFIX = encoder.encode('<Bytes>');
const BYTES_SUFFIX = encoder.encode('</Bytes>');

/** Resolves once the sr25519 wasm module is initialised; every verification needs it. */
export function sr25519Ready(): Promise<boolean> {
  return waitReady();
}

/** Decodes an ss58 address to its 32-byte public key, cached (bounded) because hotkeys repeat; null when invalid. */
export function publicKeyOf(ss58: string): Uint8Array | null {
  const hit = pubkeyCache.get(ss58);
  if (hit !== undefined) return hit;
  let key: Uint8Array | null = null;
  try {
    const decoded = decodeAddress(ss58);
    key = decoded.length === 32 ? decoded : null;
  } catch {
    key = null;
  }
  // Only cache valid keys: caching garbage would let an attacker flush the cache with random strings.
  if (key) {
    if (pubkeyCache.size >= PUBKEY_CACHE_MAX) {
      const oldest = pubkeyCache.keys().next().value;
      if (oldest !== undefined) pubkeyCache.delete(oldest);
    }
    pubkeyCache.set(ss58, key);
  }
  return key;
}

/** True when `signature` is `0x` followed by 128 hex characters (64 bytes). */
export function isSignatureHex(signature: string): boolean {
  return SIGNATURE_RE.test(signature);
}

/**
 * Verifies an sr25519 signature (`0x` hex) over a UTF-8 message for an ss58 hotkey through `@polkadot/wasm-crypto`.
 * Like `signatureVerify`, the `<Bytes>`-wrapped message is accepted too. Requires {@link sr25519Ready} first.
 *
 * @param signature - `0x` + 128 hex characters.
 * @param message - The signed message.
 * @param ss58 - The signer's address.
 * @returns Whether the signature is valid; malformed inputs return false, never throw.
 */
export function verifySr25519(signature: string, message: string | Uint8Array, ss58: string): boolean {
  if (!SIGNATURE_RE.test(signature)) return false;
  const publicKey = publicKeyOf(ss58);
  if (!publicKey) return false;
  const sig = Buffer.from(signature.slice(2), 'hex');
  const msg = typeof message === 'string' ? encoder.encode(message) : message;
  if (sr25519Verify(sig, msg, publicKey)) return true;
  const wrapped = new Uint8Array(BYTES_PREFIX.length + msg.length + BYTES_SUFFIX.length);
  wrapped.set(BYTES_PREFIX, 0);
  wrapped.set(msg, BYTES_PREFIX.length);
  wrapped.set(BYTES_SUFFIX, BYTES_PREFIX.length + msg.length);
  return sr25519Verify(sig, wrapped, publicKey);
}
