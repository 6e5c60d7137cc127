import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { KeyfileExistsError } from './errors.js';
import { encryptKeyfileData } from './keyfile-crypto.js';
import { keyfileDataFromMnemonic, publicKeyfileData, serializeKeyfileData } from './keypair-json.js';
import { type WalletLocation, walletPaths } from './wallet-paths.js';

/** Options of {@link createHotkey} and {@link createColdkey}. */
export interface CreateKeyOptions extends WalletLocation {
  /** Use this mnemonic instead of a new one (regenerating a key). */
  mnemonic?: string;
  /** Words of a new mnemonic: 12 (default), 15, 18, 21 or 24. */
  words?: 12 | 15 | 18 | 21 | 24;
  /** Replace existing files. Default false. */
  overwrite?: boolean;
}

/** What a create call made. The mnemonic is returned for the caller to show once; never log it. */
export interface CreatedKey {
  ss58Address: string;
  mnemonic: string;
  /** Files written. */
  paths: string[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes a file with mode 0600 through a temp file and rename, so a crash never leaves a half-written key. */
async function writeSecretFile(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await chmod(dirname(path), 0o700);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

async function newMnemonic(options: CreateKeyOptions): Promise<string> {
  await cryptoWaitReady();
  return options.mnemonic ?? mnemonicGenerate(options.words ?? 12);
}

/**
 * Creates a hotkey: `hotkeys/<hotkey>` (plaintext JSON, btcli default) and `hotkeys/<hotkey>pub.txt`, mode 0600.
 * @param options - wallet location, optional mnemonic, word count, overwrite.
 * @returns the address, the mnemonic (show it once, never log it) and the files written.
 * @throws {KeyfileExistsError} the hotkey exists and `overwrite` is not set.
 * @example
 * const { ss58Address } = await createHotkey({ walletPath: '/tmp/w', name: 'miner', hotkey: 'default' });
 */
export async function createHotkey(options: CreateKeyOptions = {}): Promise<CreatedKey> {
  const paths = walletPaths(options);
  if (!options.overwrite && (await exists(paths.hotkey))) throw new KeyfileExistsError(paths.hotkey);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const mnemonic = await newMnemonic(options);
  const data = await keyfileDataFromMnemonic(mnemonic);
  await writeSecretFile(paths.hotkey, serializeKeyfileData(data));
  await writeSecretFile(paths.hotkeypub, serializeKeyfileData(publicKeyfileData(data)));
  return { ss58Address: data.ss58Address, mnemonic, paths: [paths.hotkey, paths.hotkeypub] };
}

/**
 * Creates a coldkey: `coldkey` (`$NACL`-encrypted with `password`, or plaintext when `password` is null) and
 * `coldkeypub.txt`, mode 0600. Encryption takes seconds (Argon2i SENSITIVE).
 * @param options - wallet location, optional mnemonic, word count, overwrite.
 * @param password - encryption password, or null for an unencrypted coldkey (btcli `--no-use-password`).
 * @returns the address, the mnemonic (show it once, never log it) and the files written.
 * @throws {KeyfileExistsError} the coldkey exists and `overwrite` is not set.
 */
export async function createColdkey(options: CreateKeyOptions, password: string | null): Promise<CreatedKey> {
  const paths = walletPaths(options);
  if (!options.overwrite && (await exists(paths.coldkey))) throw new KeyfileExistsError(paths.coldkey);
  const mnemonic = await newMnemonic(options);
  const data = await keyfileDataFromMnemonic(mnemonic);
  const plain = serializeKeyfileData(data);
  await writeSecretFile(paths.coldkey, password === null ? plain : await encryptKeyfileData(plain, password));
  await writeSecretFile(paths.coldkeypub, serializeKeyfileData(publicKeyfileData(data)));
  return { ss58Address: data.ss58Address, mnemonic, paths: [paths.coldkey, paths.coldkeypub] };
}

/**
 * Creates a whole wallet (coldkey and one hotkey), as `btcli wallet create` does.
 * @param options - wallet location; `mnemonic` is ignored (each key gets its own).
 * @param password - coldkey password, or null for an unencrypted coldkey.
 * @returns the coldkey and hotkey results.
 * @throws {KeyfileExistsError}
 */
export async function createWallet(
  options: Omit<CreateKeyOptions, 'mnemonic'>,
  password: string | null,
): Promise<{ coldkey: CreatedKey; hotkey: CreatedKey }> {
  const coldkey = await createColdkey(options, password);
  const hotkey = await createHotkey(options);
  return { coldkey, hotkey };
}
