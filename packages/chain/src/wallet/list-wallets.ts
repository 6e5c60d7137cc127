import { readdir } from 'node:fs/promises';
import { keyfileEncryption } from './keyfile-crypto.js';
import { addressOfKeyfile, parseKeyfileJson } from './keypair-json.js';
import { readKeyfile } from './load-wallet.js';
import { resolveWalletRoot, walletPaths } from './wallet-paths.js';

/** One wallet as `dojo-ts wallet list` shows it: public data only. */
export interface WalletSummary {
  name: string;
  /** Coldkey ss58 from `coldkeypub.txt`, or null when missing/unreadable. */
  coldkeyAddress: string | null;
  /** Encryption of the `coldkey` file, or null when there is none. */
  coldkeyEncryption: string | null;
  hotkeys: Array<{ name: string; address: string | null }>;
}

async function dirEntries(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

async function fileNames(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

async function tryAddress(path: string): Promise<string | null> {
  try {
    const raw = await readKeyfile(path);
    return keyfileEncryption(raw) === 'plaintext' ? addressOfKeyfile(parseKeyfileJson(raw)) : null;
  } catch {
    return null;
  }
}

/**
 * Lists the wallets under a root with their public addresses; never decrypts anything.
 * @param walletPath - root folder (default `BT_WALLET_PATH` or `~/.bittensor/wallets`).
 * @returns wallets sorted by name, hotkeys sorted by name.
 */
export async function listWallets(walletPath?: string): Promise<WalletSummary[]> {
  const root = resolveWalletRoot(walletPath);
  const out: WalletSummary[] = [];
  for (const name of (await dirEntries(root)).sort()) {
    const paths = walletPaths({ walletPath: root, name });
    let coldkeyEncryption: string | null = null;
    try {
      coldkeyEncryption = keyfileEncryption(await readKeyfile(paths.coldkey));
    } catch {
      coldkeyEncryption = null;
    }
    const files = await fileNames(paths.hotkeysDir);
    const hotkeys: WalletSummary['hotkeys'] = [];
    for (const hk of files.filter((f) => !f.endsWith('pub.txt') && !f.endsWith('.tmp')).sort()) {
      const address =
        (await tryAddress(walletPaths({ walletPath: root, name, hotkey: hk }).hotkey)) ??
        (await tryAddress(walletPaths({ walletPath: root, name, hotkey: hk }).hotkeypub));
      hotkeys.push({ name: hk, address });
    }
    out.push({ name, coldkeyAddress: await tryAddress(paths.coldkeypub), coldkeyEncryption, hotkeys });
  }
  return out;
}
