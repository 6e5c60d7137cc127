import { readFile } from 'node:fs/promises';
import type { KeyringPair } from '@polkadot/keyring/types';
import { KeyfileNotFoundError, PasswordRequiredError } from './errors.js';
import { decryptKeyfileData, keyfileEncryption } from './keyfile-crypto.js';
import { addressOfKeyfile, type KeyfileData, keyringPairFromKeyfile, parseKeyfileJson } from './keypair-json.js';
import { coldkeyPasswordFromEnv } from './password-env.js';
import { type WalletLocation, walletPaths } from './wallet-paths.js';

/**
 * Reads a keyfile's raw bytes.
 * @param path - absolute keyfile path.
 * @returns the bytes.
 * @throws {KeyfileNotFoundError} the file does not exist.
 */
export async function readKeyfile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') throw new KeyfileNotFoundError(path, { cause });
    throw cause;
  }
}

/**
 * Loads the hotkey signing pair of a wallet (plaintext `hotkeys/<hotkey>` JSON, or `$NACL` with `password`).
 * @param location - `{walletPath?, name, hotkey}`; `BT_WALLET_PATH` and `default` names apply when absent.
 * @param password - only for an encrypted hotkey file.
 * @returns an sr25519 `KeyringPair` (ss58 prefix 42).
 * @throws {KeyfileNotFoundError | KeyfileFormatError | WalletKeyMismatchError | KeyfileDecryptError | PasswordRequiredError}
 * @example
 * const hotkey = await loadHotkeyPair({ name: 'validator', hotkey: 'default' });
 */
export async function loadHotkeyPair(location: WalletLocation = {}, password?: string): Promise<KeyringPair> {
  const paths = walletPaths(location);
  const raw = await readKeyfile(paths.hotkey);
  if (keyfileEncryption(raw) !== 'plaintext' && password === undefined) {
    throw new PasswordRequiredError(`hotkey file ${paths.hotkey} is encrypted; a password is needed`);
  }
  return keyringPairFromKeyfile(parseKeyfileJson(await decryptKeyfileData(raw, password ?? '')));
}

/**
 * Reads the coldkey's public address from `coldkeypub.txt` (JSON or bare hex).
 * @param location - `{walletPath?, name}`.
 * @returns the ss58 address (prefix 42).
 * @throws {KeyfileNotFoundError | KeyfileFormatError}
 */
export async function loadColdkeyPub(location: WalletLocation = {}): Promise<string> {
  return addressOfKeyfile(parseKeyfileJson(await readKeyfile(walletPaths(location).coldkeypub)));
}

/**
 * The hotkey's public address, from `hotkeys/<hotkey>` (or `<hotkey>pub.txt` when the secret file is encrypted).
 * @param location - `{walletPath?, name, hotkey}`.
 * @returns the ss58 address (prefix 42).
 * @throws {KeyfileNotFoundError | KeyfileFormatError}
 */
export async function loadHotkeyAddress(location: WalletLocation = {}): Promise<string> {
  const paths = walletPaths(location);
  const raw = await readKeyfile(paths.hotkey);
  if (keyfileEncryption(raw) === 'plaintext') return addressOfKeyfile(parseKeyfileJson(raw));
  return addressOfKeyfile(parseKeyfileJson(await readKeyfile(paths.hotkeypub)));
}

/**
 * Decrypts and loads the coldkey pair. Needs the password: `password`, else `BT_COLD_PW_<NAME>` / `BT_PW_<PATH>`.
 * Takes seconds and 512 MiB (Argon2i SENSITIVE); neurons never need it at run time.
 * @param location - `{walletPath?, name}`.
 * @param password - coldkey password; when absent the environment variables are read.
 * @returns the coldkey `KeyringPair` and its decrypted fields.
 * @throws {PasswordRequiredError | KeyfileDecryptError | UnsupportedLegacyKeyfileError | KeyfileFormatError}
 */
export async function loadColdkeyPair(
  location: WalletLocation = {},
  password?: string,
): Promise<{ pair: KeyringPair; data: KeyfileData }> {
  const paths = walletPaths(location);
  const raw = await readKeyfile(paths.coldkey);
  let pw = password;
  if (keyfileEncryption(raw) === 'nacl' && pw === undefined) {
    pw = coldkeyPasswordFromEnv(location.name ?? 'default', paths.coldkey) ?? undefined;
    if (pw === undefined)
      throw new PasswordRequiredError(`coldkey ${paths.coldkey} is encrypted; a password is needed`);
  }
  const data = parseKeyfileJson(await decryptKeyfileData(raw, pw ?? ''));
  return { pair: await keyringPairFromKeyfile(data), data };
}
