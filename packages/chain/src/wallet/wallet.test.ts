import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signatureVerify } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createColdkey, createHotkey, createWallet } from './create-wallet.js';
import {
  KeyfileExistsError,
  KeyfileFormatError,
  KeyfileNotFoundError,
  PasswordRequiredError,
  WalletKeyMismatchError,
} from './errors.js';
import { keyfileDataFromMnemonic, parseKeyfileJson } from './keypair-json.js';
import { listWallets } from './list-wallets.js';
import { loadColdkeyPair, loadColdkeyPub, loadHotkeyAddress, loadHotkeyPair } from './load-wallet.js';
import { coldkeyPasswordFromEnv } from './password-env.js';
import { resolveWalletRoot, walletPaths } from './wallet-paths.js';

const FIXTURES = join(import.meta.dirname, '../../test/wallet-fixtures/wallets');
const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
let tmp = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dojo-wallet-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('wallet layout (§12.1)', () => {
  it('uses ~/.bittensor/wallets, BT_WALLET_PATH, then the explicit path, expanding ~', () => {
    expect(resolveWalletRoot(undefined, { HOME: '/h' })).toMatch(/\.bittensor\/wallets$/);
    expect(resolveWalletRoot(undefined, { BT_WALLET_PATH: '/srv/w' })).toBe('/srv/w');
    expect(resolveWalletRoot('/x/y', { BT_WALLET_PATH: '/srv/w' })).toBe('/x/y');
    const p = walletPaths({ walletPath: '/w', name: 'val', hotkey: 'hk1' });
    expect(p).toMatchObject({
      coldkey: '/w/val/coldkey',
      coldkeypub: '/w/val/coldkeypub.txt',
      hotkey: '/w/val/hotkeys/hk1',
      hotkeypub: '/w/val/hotkeys/hk1pub.txt',
    });
    expect(walletPaths({ walletPath: '/w' }).hotkey).toBe('/w/default/hotkeys/default');
  });

  it('rejects names with path separators', () => {
    expect(() => walletPaths({ walletPath: '/w', name: '../etc' })).toThrow(TypeError);
    expect(() => walletPaths({ walletPath: '/w', hotkey: 'a/b' })).toThrow(TypeError);
  });
});

describe('loading btcli files (§12.2)', () => {
  it('loads a plaintext hotkey from its secretSeed with ss58 prefix 42 and signs verifiably', async () => {
    const pair = await loadHotkeyPair({ walletPath: FIXTURES, name: 'fixture', hotkey: 'default' });
    expect(pair.address).toBe('5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe');
    const msg = new TextEncoder().encode('dojo');
    expect(signatureVerify(msg, pair.sign(msg), pair.address).isValid).toBe(true);
  });

  it('reads coldkeypub.txt as JSON and as a bare hex public key', async () => {
    expect(await loadColdkeyPub({ walletPath: FIXTURES, name: 'fixture' })).toBe(
      '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV',
    );
    expect(await loadColdkeyPub({ walletPath: FIXTURES, name: 'barehex' })).toBe(
      '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV',
    );
  });

  it('derives the Substrate dev phrase to its published address (no derivation path)', async () => {
    const data = await keyfileDataFromMnemonic(DEV_PHRASE);
    expect(data.ss58Address).toBe('5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV');
    expect(data.secretSeed).toBe('0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e');
    expect(data.privateKey).toMatch(/^0x[0-9a-f]{128}$/);
  });

  it('prefers secretPhrase over secretSeed and refuses a file whose secret does not match its address', async () => {
    const good = await keyfileDataFromMnemonic(DEV_PHRASE);
    const dir = join(tmp, 'mismatch', 'hotkeys');
    await createHotkey({ walletPath: tmp, name: 'mismatch', hotkey: 'x', mnemonic: DEV_PHRASE });
    await writeFile(join(dir, 'x'), JSON.stringify({ ...good, secretSeed: '0x00' }));
    expect((await loadHotkeyPair({ walletPath: tmp, name: 'mismatch', hotkey: 'x' })).address).toBe(good.ss58Address);
    await writeFile(
      join(dir, 'x'),
      JSON.stringify({ ...good, ss58Address: '5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe' }),
    );
    await expect(loadHotkeyPair({ walletPath: tmp, name: 'mismatch', hotkey: 'x' })).rejects.toBeInstanceOf(
      WalletKeyMismatchError,
    );
    await writeFile(join(dir, 'x'), JSON.stringify({ ss58Address: good.ss58Address }));
    await expect(loadHotkeyPair({ walletPath: tmp, name: 'mismatch', hotkey: 'x' })).rejects.toBeInstanceOf(
      KeyfileFormatError,
    );
  });

  it('reports a missing keyfile with its path and a non-JSON file as a format error', async () => {
    const err = await loadHotkeyPair({ walletPath: tmp, name: 'nope', hotkey: 'default' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyfileNotFoundError);
    expect((err as KeyfileNotFoundError).code).toBe('DOJO_CHAIN_WALLET_NOT_FOUND');
    expect(() => parseKeyfileJson(new TextEncoder().encode('not json'))).toThrow(KeyfileFormatError);
    expect(parseKeyfileJson(new TextEncoder().encode('5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV\n'))).toEqual({
      ss58Address: '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV',
    });
    expect(() => parseKeyfileJson(new TextEncoder().encode('[1]'))).toThrow(KeyfileFormatError);
  });
});

describe('creating keys', () => {
  it('writes hotkey and pub files with mode 0600 in a 0700 folder and never overwrites by default', async () => {
    const made = await createHotkey({ walletPath: tmp, name: 'new', hotkey: 'h1' });
    const paths = walletPaths({ walletPath: tmp, name: 'new', hotkey: 'h1' });
    expect(made.mnemonic.split(' ')).toHaveLength(12);
    expect((await stat(paths.hotkey)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.hotkeypub)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.hotkeysDir)).mode & 0o777).toBe(0o700);
    const json = JSON.parse(await readFile(paths.hotkey, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(
      ['accountId', 'privateKey', 'publicKey', 'secretPhrase', 'secretSeed', 'ss58Address'].sort(),
    );
    const pub = JSON.parse(await readFile(paths.hotkeypub, 'utf8')) as Record<string, unknown>;
    expect(pub).toEqual({ accountId: json.accountId, publicKey: json.publicKey, ss58Address: made.ss58Address });
    expect((await loadHotkeyPair({ walletPath: tmp, name: 'new', hotkey: 'h1' })).address).toBe(made.ss58Address);
    expect(await loadHotkeyAddress({ walletPath: tmp, name: 'new', hotkey: 'h1' })).toBe(made.ss58Address);
    await expect(createHotkey({ walletPath: tmp, name: 'new', hotkey: 'h1' })).rejects.toBeInstanceOf(
      KeyfileExistsError,
    );
    const again = await createHotkey({ walletPath: tmp, name: 'new', hotkey: 'h1', overwrite: true, words: 24 });
    expect(again.mnemonic.split(' ')).toHaveLength(24);
    expect(again.ss58Address).not.toBe(made.ss58Address);
  });

  it('creates a whole wallet; an unencrypted coldkey loads without a password, an encrypted one demands it', async () => {
    const made = await createWallet({ walletPath: tmp, name: 'whole' }, null);
    const cold = await loadColdkeyPair({ walletPath: tmp, name: 'whole' });
    expect(cold.pair.address).toBe(made.coldkey.ss58Address);
    expect(cold.data.secretPhrase).toBe(made.coldkey.mnemonic);
    expect(await loadColdkeyPub({ walletPath: tmp, name: 'whole' })).toBe(made.coldkey.ss58Address);
    expect(await loadHotkeyAddress({ walletPath: tmp, name: 'whole' })).toBe(made.hotkey.ss58Address);
    await expect(createColdkey({ walletPath: tmp, name: 'whole' }, null)).rejects.toBeInstanceOf(KeyfileExistsError);
    await expect(loadColdkeyPair({ walletPath: FIXTURES, name: 'fixture' })).rejects.toBeInstanceOf(
      PasswordRequiredError,
    );
  });

  it('lists wallets with public data only', async () => {
    const list = await listWallets(FIXTURES);
    expect(list.map((w) => w.name)).toEqual(['barehex', 'fixture']);
    expect(list[1]).toEqual({
      name: 'fixture',
      coldkeyAddress: '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV',
      coldkeyEncryption: 'nacl',
      hotkeys: [{ name: 'default', address: '5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe' }],
    });
  });
});

describe('coldkey password from the environment (§12.4)', () => {
  it('reads BT_COLD_PW_<NAME> and the XOR/base64 BT_PW_<PATH>', () => {
    expect(coldkeyPasswordFromEnv('my-wallet', '/w/my-wallet/coldkey', { BT_COLD_PW_MY_WALLET: 'p1' })).toBe('p1');
    const name = 'BT_PW__W_MY-WALLET_COLDKEY';
    const key = Buffer.from(name);
    const enc = Buffer.from(Buffer.from('secret').map((b, i) => b ^ (key[i % key.length] ?? 0)));
    expect(coldkeyPasswordFromEnv('my-wallet', '/w/my-wallet/coldkey', { [name]: enc.toString('base64') })).toBe(
      'secret',
    );
    expect(coldkeyPasswordFromEnv('my-wallet', '/w/my-wallet/coldkey', {})).toBeNull();
  });
});
