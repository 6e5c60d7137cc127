/**
 * Timelock encryption for drand quicknet (spec chain.md §10.2), byte-compatible with ideal-lab5/timelock (`tle`):
 * Boneh-Franklin FullIdent IBE over BLS12-381 (signatures in G1, public key in G2) wrapping a random AES-256-GCM key,
 * serialised as arkworks `TLECiphertext { header: {U, V, W}, body: AESOutput, cipher_suite }`.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { randomBytes } from '@noble/ciphers/utils.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { TimelockError } from '../errors.js';

type Fp2 = { c0: bigint; c1: bigint };
type Fp6 = { c0: Fp2; c1: Fp2; c2: Fp2 };
type Fp12 = { c0: Fp6; c1: Fp6 };

/** drand quicknet beacon constants. */
export const QUICKNET = {
  publicKeyG2Hex:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  genesisUnix: 1692803367,
  periodS: 3,
} as const;

/** Hash-to-curve domain separation tag of quicknet signatures (G1). */
export const QUICKNET_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
const CIPHER_SUITE = new TextEncoder().encode('AES_GCM_');
const FR_ORDER = bls12_381.fields.Fr.ORDER;
/** Upper bound on a serialised ciphertext we accept for decryption (the chain bounds commits at 5000 bytes). */
const MAX_CIPHERTEXT = 1 << 20;

const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;

function hexToBytes(hex: string): Uint8Array {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new TimelockError('invalid hex');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesToBigBE(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function bigToLE(v: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let x = v;
  for (let i = 0; i < len; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

function u64le(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function xor32(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== 32 || b.length !== 32) throw new TimelockError('expected 32-byte values');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}

/** arkworks `serialize_compressed` of an Fp12 (GT) element: 12 coefficients in tower order, 48 bytes LE each. */
export function serializeGtArkworks(gt: unknown): Uint8Array {
  const f = gt as Fp12;
  const coeffs: bigint[] = [];
  for (const six of [f.c0, f.c1]) for (const two of [six.c0, six.c1, six.c2]) coeffs.push(two.c0, two.c1);
  return concat(...coeffs.map((c) => bigToLE(c, 48)));
}

/** H2: GT → 32 bytes, `sha256(arkworks(g))`. */
function h2(gt: unknown): Uint8Array {
  return sha256(serializeGtArkworks(gt));
}

/** H3: `Fr(sha256(a ‖ b))`, hash read big-endian and reduced modulo r. */
function h3(a: Uint8Array, b: Uint8Array): bigint {
  return bytesToBigBE(sha256(concat(a, b))) % FR_ORDER;
}

/**
 * The identity message of a drand round: `sha256(u64_be(round))`.
 * @param round - drand round number.
 * @returns 32 bytes.
 */
export function roundMessage(round: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(round), false);
  return sha256(b);
}

/** `Q_id = hash_to_G1(sha256(round_be), DST)`. */
function identityPoint(round: number | bigint) {
  return bls12_381.G1.hashToCurve(roundMessage(round), { DST: QUICKNET_DST }) as unknown as InstanceType<typeof G1>;
}

/** Randomness source (injectable for deterministic tests). */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * Timelock-encrypts `plaintext` for a drand round (spec chain.md §10.2), producing the arkworks-serialised
 * `TLECiphertext` that subtensor's `commit_timelocked_weights` expects.
 * @param plaintext - bytes to encrypt (e.g. a SCALE `WeightsTlockPayload`).
 * @param round - the reveal round.
 * @param publicKeyG2Hex - beacon public key (96-byte compressed G2, hex); quicknet by default.
 * @param rng - randomness source; CSPRNG by default.
 * @returns the serialised ciphertext.
 * @throws TimelockError when the public key does not decode.
 */
export function timelockEncrypt(
  plaintext: Uint8Array,
  round: number | bigint,
  publicKeyG2Hex: string = QUICKNET.publicKeyG2Hex,
  rng: RandomBytes = randomBytes,
): Uint8Array {
  let pPub: InstanceType<typeof G2>;
  try {
    pPub = G2.fromBytes(hexToBytes(publicKeyG2Hex));
  } catch (cause) {
    throw new TimelockError('beacon public key is not a compressed G2 point', { cause });
  }
  const key = rng(32);
  // IBE header (FullIdent): t random in Fr, sigma = H4(t_le), r = H3(sigma, key).
  let t = 0n;
  while (t === 0n) t = bytesToBigBE(rng(64)) % FR_ORDER;
  const sigma = sha256(bigToLE(t, 32));
  let r = h3(sigma, key);
  if (r === 0n) r = 1n; // probability 2^-255; arkworks would give the identity, which no beacon can decrypt either
  const u = G2.BASE.multiply(r);
  const gId = bls12_381.pairing(identityPoint(round), pPub.multiply(r));
  const v = xor32(sigma, h2(gId));
  const w = xor32(key, sha256(sigma));
  // Body: AES-256-GCM, 12-byte nonce, empty AAD, tag appended.
  const nonce = rng(12);
  const ct = gcm(key, nonce).encrypt(plaintext);
  const body = concat(u64le(ct.length), ct, u64le(12), nonce);
  return concat(
    u.toBytes(true),
    u64le(32),
    v,
    u64le(32),
    w,
    u64le(body.length),
    body,
    u64le(CIPHER_SUITE.length),
    CIPHER_SUITE,
  );
}

/** Parsed `TLECiphertext`. */
export interface TleCiphertext {
  u: Uint8Array;
  v: Uint8Array;
  w: Uint8Array;
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  cipherSuite: string;
}

/**
 * Parses an arkworks-serialised `TLECiphertext`.
 * @param bytes - serialised ciphertext.
 * @returns its parts.
 * @throws TimelockError when the bytes are malformed or have trailing data.
 */
export function parseTimelockCiphertext(bytes: Uint8Array): TleCiphertext {
  if (bytes.length > MAX_CIPHERTEXT) throw new TimelockError('ciphertext too large');
  let o = 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const take = (n: number): Uint8Array => {
    if (o + n > bytes.length) throw new TimelockError('ciphertext truncated');
    const out = bytes.subarray(o, o + n);
    o += n;
    return out;
  };
  const vec = (): Uint8Array => {
    if (o + 8 > bytes.length) throw new TimelockError('ciphertext truncated');
    const len = dv.getBigUint64(o, true);
    o += 8;
    if (len > BigInt(bytes.length)) throw new TimelockError('ciphertext length prefix out of range');
    return take(Number(len));
  };
  const u = take(96);
  const v = vec();
  const w = vec();
  const body = vec();
  const cipherSuite = new TextDecoder().decode(vec());
  if (o !== bytes.length) throw new TimelockError('trailing bytes after ciphertext');
  const inner = parseBody(body);
  return { u, v, w, ...inner, cipherSuite };
}

function parseBody(body: Uint8Array): { ciphertext: Uint8Array; nonce: Uint8Array } {
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let o = 0;
  const vec = (): Uint8Array => {
    if (o + 8 > body.length) throw new TimelockError('AES body truncated');
    const len = Number(dv.getBigUint64(o, true));
    o += 8;
    if (o + len > body.length) throw new TimelockError('AES body truncated');
    const out = body.subarray(o, o + len);
    o += len;
    return out;
  };
  const ciphertext = vec();
  const nonce = vec();
  if (o !== body.length) throw new TimelockError('trailing bytes in AES body');
  return { ciphertext, nonce };
}

/**
 * Decrypts a timelock ciphertext with the beacon signature of its round (`tld` of ideal-lab5/timelock).
 * @param bytes - serialised `TLECiphertext`.
 * @param signatureG1 - round signature: 48-byte compressed G1 point (bytes or hex).
 * @returns the plaintext.
 * @throws TimelockError when the signature does not open the header (`InvalidSignature`) or AES-GCM fails.
 */
export function timelockDecrypt(bytes: Uint8Array, signatureG1: Uint8Array | string): Uint8Array {
  const ct = parseTimelockCiphertext(bytes);
  if (ct.cipherSuite !== 'AES_GCM_') throw new TimelockError(`unsupported cipher suite ${ct.cipherSuite}`);
  let sig: InstanceType<typeof G1>;
  let u: InstanceType<typeof G2>;
  try {
    sig = G1.fromBytes(typeof signatureG1 === 'string' ? hexToBytes(signatureG1) : signatureG1);
    u = G2.fromBytes(ct.u);
  } catch (cause) {
    throw new TimelockError('signature or header point does not decode', { cause });
  }
  const sigma = xor32(ct.v, h2(bls12_381.pairing(sig, u)));
  const key = xor32(ct.w, sha256(sigma));
  const r = h3(sigma, key);
  if (r === 0n || !G2.BASE.multiply(r).equals(u)) {
    throw new TimelockError('InvalidSignature: the round signature does not open this ciphertext');
  }
  if (ct.nonce.length !== 12) throw new TimelockError('BadNonce: AES-GCM nonce must be 12 bytes');
  try {
    return gcm(key, ct.nonce).decrypt(ct.ciphertext);
  } catch (cause) {
    throw new TimelockError('DecryptionError: AES-GCM authentication failed', { cause });
  }
}

/**
 * Verifies a drand quicknet round signature against the beacon public key: `e(σ, G2) == e(H(m), P_pub)`.
 * @param round - round number.
 * @param signatureG1 - 48-byte compressed G1 signature (bytes or hex).
 * @param publicKeyG2Hex - beacon public key; quicknet by default.
 * @returns true when valid.
 */
export function verifyRoundSignature(
  round: number | bigint,
  signatureG1: Uint8Array | string,
  publicKeyG2Hex: string = QUICKNET.publicKeyG2Hex,
): boolean {
  try {
    const sig = G1.fromBytes(typeof signatureG1 === 'string' ? hexToBytes(signatureG1) : signatureG1);
    const pk = G2.fromBytes(hexToBytes(publicKeyG2Hex));
    const lhs = bls12_381.pairing(sig, G2.BASE);
    const rhs = bls12_381.pairing(identityPoint(round), pk);
    return bls12_381.fields.Fp12.eql(lhs, rhs);
  } catch {
    return false;
  }
}

/**
 * Derives a local timelock beacon (LocalChain §13.6) from a secret seed: secret scalar and compressed G2 public key.
 * @param seed - secret seed bytes (e.g. `beacon_seed`).
 * @returns `{secretKey, publicKeyG2Hex}`; keep `secretKey` private.
 */
export function localBeaconKeypair(seed: Uint8Array): { secretKey: bigint; publicKeyG2Hex: string } {
  let sk = bytesToBigBE(sha256(concat(new TextEncoder().encode('dojo-ts local beacon'), seed))) % FR_ORDER;
  if (sk === 0n) sk = 1n;
  const pk = G2.BASE.multiply(sk).toBytes(true);
  return { secretKey: sk, publicKeyG2Hex: Array.from(pk, (b) => b.toString(16).padStart(2, '0')).join('') };
}

/**
 * Signs a round like a drand quicknet node: `σ = sk · H(sha256(u64_be(round)))` in G1.
 * @param secretKey - beacon secret scalar.
 * @param round - round number.
 * @returns 48-byte compressed G1 signature.
 */
export function signRound(secretKey: bigint, round: number | bigint): Uint8Array {
  return identityPoint(round).multiply(secretKey).toBytes(true);
}
