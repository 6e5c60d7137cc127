/** Keypair JSON of btcli keyfiles (spec chain.md §12.2) and sr25519 keys without derivation path (§12.3). */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, u8aToHex } from '@polkadot/util';
import {
  cryptoWaitReady,
  decodeAddress,
  encodeAddress,
  mnemonicToMiniSecret,
  mnemonicValidate,
  sr25519PairFromSeed,
} from '@polkadot/util-crypto';
import { KeyfileFormatError, WalletKeyMismatchError } from './errors.js';

/** Bittensor's ss58 prefix. */
export const SS58_PREFIX = 42;

/** The fields of a keyfile; any may be absent (btwallet writes only the present ones, v7 writes `null`). */
export interface KeyfileData {
  accountId?: string | null;
  publicKey?: string | null;
  /** 64-byte schnorrkel secret in sp_core "key ‖ nonce" form; never used for loading (§12.2). */
  privateKey?: string | null;
  secretPhrase?: string | null;
  secretSeed?: string | null;
  ss58Address?: string | null;
}

/** Keyfile fields with every value present, as made from a mnemonic. */
export type FullKeyfileData = { [K in keyof KeyfileData]-?: string };

/**
 * Parses keyfile bytes: keypair JSON, or a bare `0x<hex public key>` / ss58 address (very old `coldkeypub.txt`).
 * @param bytes - plaintext keyfile bytes.
 * @returns the keyfile fields.
 * @throws {KeyfileFormatError} neither JSON object nor 32-byte hex.
 */
export function parseKeyfileJson(bytes: Uint8Array): KeyfileData {
  const text = new TextDecoder().decode(bytes).trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
    const hex = text.startsWith('0x') ? text : `0x${text}`;
    return { publicKey: hex, accountId: hex, ss58Address: encodeAddress(hexToU8a(hex), SS58_PREFIX) };
  }
  if (/^[1-9A-HJ-NP-Za-km-z]{46,48}$/.test(text)) {
    try {
      return { ss58Address: encodeAddress(decodeAddress(text), SS58_PREFIX) };
    } catch {
      // not an ss58 address after all; fall through to the JSON error
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new KeyfileFormatError('keyfile is neither keypair JSON nor a hex public key', { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new KeyfileFormatError('keyfile JSON is not an object');
  }
  const out: KeyfileData = {};
  for (const field of ['accountId', 'publicKey', 'privateKey', 'secretPhrase', 'secretSeed', 'ss58Address'] as const) {
    const v = (parsed as Record<string, unknown>)[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new KeyfileFormatError(`keyfile field ${field} is not a string`);
    out[field] = v;
  }
  return out;
}

function keyring(): Keyring {
  return new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
}

/**
 * Builds the sr25519 signing pair from a keyfile: `secretPhrase` first, then `secretSeed` (§12.2), and checks the
 * derived address against the file's `ss58Address`.
 * @param data - parsed keyfile fields.
 * @returns a `KeyringPair` (ss58 prefix 42) able to sign.
 * @throws {KeyfileFormatError} the file holds no usable secret.
 * @throws {WalletKeyMismatchError} the secret derives another address than the file's.
 */
export async function keyringPairFromKeyfile(data: KeyfileData): Promise<KeyringPair> {
  await cryptoWaitReady();
  let pair: KeyringPair;
  if (data.secretPhrase) {
    if (!mnemonicValidate(data.secretPhrase))
      throw new KeyfileFormatError('keyfile secretPhrase is not a BIP39 mnemonic');
    pair = keyring().addFromMnemonic(data.secretPhrase);
  } else if (data.secretSeed && isHex(data.secretSeed) && hexToU8a(data.secretSeed).length === 32) {
    pair = keyring().addFromSeed(hexToU8a(data.secretSeed));
  } else {
    throw new KeyfileFormatError('keyfile has no secretPhrase or 32-byte secretSeed (public-only file?)');
  }
  if (data.ss58Address && data.ss58Address !== pair.address) {
    throw new WalletKeyMismatchError(data.ss58Address, pair.address);
  }
  return pair;
}

/**
 * The ss58 address of a keyfile from its public fields (`ss58Address`, else `publicKey` / `accountId`).
 * @param data - parsed keyfile fields.
 * @returns the ss58 address (prefix 42).
 * @throws {KeyfileFormatError} no public key in the file.
 */
export function addressOfKeyfile(data: KeyfileData): string {
  const hex = data.publicKey ?? data.accountId;
  const fromHex = hex && isHex(hex) && hexToU8a(hex).length === 32 ? encodeAddress(hexToU8a(hex), SS58_PREFIX) : null;
  if (data.ss58Address) {
    const decoded = encodeAddress(decodeAddress(data.ss58Address), SS58_PREFIX);
    if (fromHex && fromHex !== decoded) throw new WalletKeyMismatchError(decoded, fromHex);
    return decoded;
  }
  if (fromHex) return fromHex;
  throw new KeyfileFormatError('keyfile holds no public key');
}

/**
 * Converts polkadot-js's secret key (ed25519-style scalar = key·8, ‖ nonce) to sp_core's schnorrkel form
 * (key ‖ nonce), which btcli stores as `privateKey` (schnorrkel `divide_scalar_bytes_by_cofactor`).
 */
function spCorePrivateKey(polkadotSecret: Uint8Array): Uint8Array {
  const out = Uint8Array.from(polkadotSecret);
  let low = 0;
  for (let i = 31; i >= 0; i--) {
    const b = out[i] ?? 0;
    out[i] = ((b >> 3) + low) & 0xff;
    low = (b & 0b111) << 5;
  }
  return out;
}

/**
 * The full keyfile JSON (all six fields) of an sr25519 key made from a BIP39 mnemonic without derivation path.
 * @param mnemonic - BIP39 English mnemonic.
 * @returns the keyfile fields, as btcli writes them.
 * @throws {KeyfileFormatError} invalid mnemonic.
 */
export async function keyfileDataFromMnemonic(mnemonic: string): Promise<FullKeyfileData> {
  await cryptoWaitReady();
  if (!mnemonicValidate(mnemonic)) throw new KeyfileFormatError('not a valid BIP39 mnemonic');
  const seed = mnemonicToMiniSecret(mnemonic);
  const pair = sr25519PairFromSeed(seed);
  const publicKey = u8aToHex(pair.publicKey);
  return {
    accountId: publicKey,
    publicKey,
    privateKey: u8aToHex(spCorePrivateKey(pair.secretKey)),
    secretPhrase: mnemonic,
    secretSeed: u8aToHex(seed),
    ss58Address: encodeAddress(pair.publicKey, SS58_PREFIX),
  };
}

/**
 * Serialises keyfile fields to the JSON bytes btcli writes.
 * @param data - keyfile fields.
 * @returns UTF-8 JSON bytes.
 */
export function serializeKeyfileData(data: KeyfileData): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(data));
}

/**
 * The public-only JSON (`accountId`, `publicKey`, `ss58Address`) written to `coldkeypub.txt` and `<hotkey>pub.txt`.
 * @param data - keyfile fields with a public key.
 * @returns public-only keyfile fields.
 */
export function publicKeyfileData(data: KeyfileData): KeyfileData {
  return {
    accountId: data.accountId ?? null,
    publicKey: data.publicKey ?? null,
    ss58Address: data.ss58Address ?? null,
  };
}
