/**
 * btcli keyfile encryption (spec chain.md §12.4). `$NACL` files are read and written; Ansible-Vault and legacy Fernet
 * files are detected and refused with a clear error.
 */
import { randomBytes } from 'node:crypto';
import { secretbox } from '@noble/ciphers/salsa.js';
import { argon2i } from 'hash-wasm';
import { KeyfileDecryptError, UnsupportedLegacyKeyfileError } from './errors.js';

const NACL_PREFIX = new TextEncoder().encode('$NACL');
const ANSIBLE_PREFIX = new TextEncoder().encode('$ANSIBLE_VAULT');
const FERNET_PREFIX = new TextEncoder().encode('gAAAAA');
/** bittensor's constant Argon2 salt (`NACL_SALT`, keyfile.py / btwallet constants.rs). */
const NACL_SALT = Uint8Array.from(Buffer.from('137183dff15a09bc9c90b5518739e9b1', 'hex'));
/** libsodium `crypto_pwhash_argon2i_OPSLIMIT_SENSITIVE` and `MEMLIMIT_SENSITIVE` (536 870 912 bytes, in KiB here). */
const OPSLIMIT_SENSITIVE = 8;
const MEMLIMIT_SENSITIVE_KIB = 524_288;
const NONCE_BYTES = 24;
const MAC_BYTES = 16;

/** How a keyfile's bytes are stored. */
export type KeyfileEncryption = 'nacl' | 'ansible-vault' | 'fernet' | 'plaintext';

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  return prefix.every((b, i) => data[i] === b);
}

/**
 * Detects a keyfile's encryption from its prefix (§12.4).
 * @param data - raw keyfile bytes.
 * @returns `nacl`, `ansible-vault`, `fernet` or `plaintext`.
 */
export function keyfileEncryption(data: Uint8Array): KeyfileEncryption {
  if (startsWith(data, NACL_PREFIX)) return 'nacl';
  if (startsWith(data, ANSIBLE_PREFIX)) return 'ansible-vault';
  if (startsWith(data, FERNET_PREFIX)) return 'fernet';
  return 'plaintext';
}

/** Derives the secretbox key exactly as libsodium `crypto_pwhash(ALG_ARGON2I13, SENSITIVE)` does (512 MiB, seconds). */
async function deriveKey(password: string): Promise<Uint8Array> {
  return argon2i({
    password: new TextEncoder().encode(password),
    salt: NACL_SALT,
    parallelism: 1,
    iterations: OPSLIMIT_SENSITIVE,
    memorySize: MEMLIMIT_SENSITIVE_KIB,
    hashLength: 32,
    outputType: 'binary',
  });
}

/**
 * Decrypts a btcli keyfile to its plaintext keypair JSON bytes. Plaintext files are returned unchanged.
 * @param data - raw keyfile bytes (`$NACL` ‖ nonce ‖ MAC ‖ ciphertext, or plaintext JSON).
 * @param password - the coldkey password (UTF-8).
 * @returns the plaintext keyfile JSON bytes.
 * @throws {KeyfileDecryptError} wrong password or corrupted `$NACL` data.
 * @throws {UnsupportedLegacyKeyfileError} Ansible-Vault or legacy Fernet data.
 * @example
 * const json = JSON.parse(new TextDecoder().decode(await decryptKeyfileData(bytes, password)));
 */
export async function decryptKeyfileData(data: Uint8Array, password: string): Promise<Uint8Array> {
  const kind = keyfileEncryption(data);
  if (kind === 'ansible-vault' || kind === 'fernet') throw new UnsupportedLegacyKeyfileError(kind);
  if (kind === 'plaintext') return data;
  const body = data.subarray(NACL_PREFIX.length);
  if (body.length < NONCE_BYTES + MAC_BYTES) throw new KeyfileDecryptError('truncated $NACL keyfile');
  const key = await deriveKey(password);
  try {
    return openNaclBody(body, key);
  } finally {
    key.fill(0);
  }
}

/** Opens `nonce ‖ MAC ‖ ciphertext` with a derived key (exported for tests that must not pay for the KDF). */
export function openNaclBody(body: Uint8Array, key: Uint8Array): Uint8Array {
  try {
    return secretbox(key, body.subarray(0, NONCE_BYTES)).open(body.subarray(NONCE_BYTES));
  } catch (cause) {
    throw new KeyfileDecryptError('could not decrypt the keyfile: wrong password or corrupted file', { cause });
  }
}

/**
 * Encrypts keyfile JSON bytes in btcli's `$NACL` format (Argon2i SENSITIVE key, XSalsa20-Poly1305, random nonce).
 * @param data - plaintext keyfile JSON bytes.
 * @param password - the password (UTF-8).
 * @returns `$NACL` ‖ 24-byte nonce ‖ 16-byte MAC ‖ ciphertext.
 * @example
 * await writeFile(path, await encryptKeyfileData(json, password), { mode: 0o600 });
 */
export async function encryptKeyfileData(data: Uint8Array, password: string): Promise<Uint8Array> {
  const key = await deriveKey(password);
  try {
    return sealNaclBody(data, key, Uint8Array.from(randomBytes(NONCE_BYTES)));
  } finally {
    key.fill(0);
  }
}

/** Builds `$NACL` ‖ nonce ‖ MAC ‖ ciphertext with a derived key (exported for tests that must not pay for the KDF). */
export function sealNaclBody(data: Uint8Array, key: Uint8Array, nonce: Uint8Array): Uint8Array {
  const sealed = secretbox(key, nonce).seal(data);
  const out = new Uint8Array(NACL_PREFIX.length + NONCE_BYTES + sealed.length);
  out.set(NACL_PREFIX, 0);
  out.set(nonce, NACL_PREFIX.length);
  out.set(sealed, NACL_PREFIX.length + NONCE_BYTES);
  return out;
}
