import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where a wallet lives: the root folder, the wallet name and the hotkey name (§12.1 defaults `default`/`default`). */
export interface WalletLocation {
  /** Root folder of all wallets; `~` is expanded. Default `BT_WALLET_PATH`, else `~/.bittensor/wallets`. */
  walletPath?: string;
  /** Wallet (coldkey) name. Default `default`. */
  name?: string;
  /** Hotkey name. Default `default`. */
  hotkey?: string;
}

/** The files of one wallet. */
export interface WalletPaths {
  root: string;
  dir: string;
  coldkey: string;
  coldkeypub: string;
  hotkeysDir: string;
  hotkey: string;
  hotkeypub: string;
}

/**
 * Resolves the wallet root: the explicit path, else `BT_WALLET_PATH`, else `~/.bittensor/wallets`, with `~` expanded.
 * @param walletPath - `--wallet.path` value, if any.
 * @param env - environment to read `BT_WALLET_PATH` from (default `process.env`).
 * @returns an absolute folder path.
 */
export function resolveWalletRoot(walletPath?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = walletPath ?? env.BT_WALLET_PATH ?? '~/.bittensor/wallets';
  const expanded = raw === '~' ? homedir() : raw.startsWith('~/') ? join(homedir(), raw.slice(2)) : raw;
  return resolve(expanded);
}

function checkName(kind: string, value: string): string {
  if (value === '' || value === '.' || value === '..' || /[/\\\0]/.test(value)) {
    throw new TypeError(`invalid ${kind} name '${value}'`);
  }
  return value;
}

/**
 * The file paths of a wallet (§12.1): `<root>/<name>/{coldkey, coldkeypub.txt, hotkeys/<hotkey>, hotkeys/<hotkey>pub.txt}`.
 * @param location - root, wallet name and hotkey name.
 * @param env - environment for `BT_WALLET_PATH`.
 * @returns absolute paths.
 * @throws {TypeError} a name containing a path separator.
 */
export function walletPaths(location: WalletLocation = {}, env: NodeJS.ProcessEnv = process.env): WalletPaths {
  const root = resolveWalletRoot(location.walletPath, env);
  const dir = join(root, checkName('wallet', location.name ?? 'default'));
  const hotkeysDir = join(dir, 'hotkeys');
  const hotkey = checkName('hotkey', location.hotkey ?? 'default');
  return {
    root,
    dir,
    coldkey: join(dir, 'coldkey'),
    coldkeypub: join(dir, 'coldkeypub.txt'),
    hotkeysDir,
    hotkey: join(hotkeysDir, hotkey),
    hotkeypub: join(hotkeysDir, `${hotkey}pub.txt`),
  };
}
