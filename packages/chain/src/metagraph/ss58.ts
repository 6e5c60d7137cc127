import { blake2b } from '@noble/hashes/blake2.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const PREFIX = new TextEncoder().encode('SS58PRE');

/**
 * Encodes a 32-byte public key as an ss58 address (one-byte prefix < 64, 2-byte blake2b-512 checksum).
 * @param pubkey - 32-byte account id.
 * @param prefix - network prefix, default 42.
 * @returns the ss58 string.
 */
export function ss58Encode(pubkey: Uint8Array, prefix = 42): string {
  const body = new Uint8Array(35);
  body[0] = prefix;
  body.set(pubkey, 1);
  const pre = new Uint8Array(PREFIX.length + 33);
  pre.set(PREFIX, 0);
  pre.set(body.subarray(0, 33), PREFIX.length);
  const h = blake2b(pre, { dkLen: 64 });
  body[33] = h[0] as number;
  body[34] = h[1] as number;
  return base58(body);
}

function base58(bytes: Uint8Array): string {
  // Repeated division in base 58 over a small digit array (35 input bytes → at most 48 digits).
  const digits = new Uint8Array(64);
  let len = 0;
  for (let i = 0; i < bytes.length; i++) {
    let carry = bytes[i] as number;
    for (let j = 0; j < len; j++) {
      carry += (digits[j] as number) << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits[len++] = carry % 58;
      carry = (carry / 58) | 0;
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) out += '1';
  for (let i = len - 1; i >= 0; i--) out += ALPHABET[digits[i] as number];
  return out;
}
