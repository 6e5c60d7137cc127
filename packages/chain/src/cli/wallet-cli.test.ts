import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNaclBody } from '../wallet/keyfile-crypto.js';
import { walletCommand } from './wallet-command.js';

const BIN = join(import.meta.dirname, '../../bin/dojo-ts.js');
const FIXTURES = join(import.meta.dirname, '../../test/wallet-fixtures');
const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
/** The password of the libsodium fixtures; its libsodium-derived key is committed, so no second Argon2 run is needed. */
const PASSWORD = 'dojo-fixture-password';
let root = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dojo-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs the real bin in a child process. */
async function run(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, BT_WALLET_PATH: root, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs the same command in-process (cheaper) for the flag combinations. */
async function runInProcess(args: string[]): Promise<string> {
  let out = '';
  const cmd = walletCommand({ write: (t) => (out += t), env: { BT_WALLET_PATH: root } });
  for (const c of [cmd, ...cmd.commands]) c.exitOverride().configureOutput({ writeErr: () => undefined });
  await cmd.parseAsync([...args, '--wallet.path', root], { from: 'user' });
  return out;
}

describe('dojo-ts wallet (child process, temp wallet dir)', () => {
  it('new-hotkey writes 0600 files under BT_WALLET_PATH and prints the address but not the mnemonic', async () => {
    const r = await run(['wallet', 'new-hotkey', '--wallet.name', 'miner', '--wallet.hotkey', 'hk']);
    expect(r.code).toBe(0);
    const file = join(root, 'miner/hotkeys/hk');
    const json = JSON.parse(await readFile(file, 'utf8')) as { ss58Address: string; secretPhrase: string };
    expect(r.stdout).toContain(`hotkey ${json.ss58Address}`);
    expect(r.stdout + r.stderr).not.toContain(json.secretPhrase);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('new-coldkey encrypts with the password from --password-env (libsodium opens it) and never echoes secrets', async () => {
    const r = await run(
      ['wallet', 'new-coldkey', '--wallet.name', 'miner', '--password-env', 'MY_PW', '--mnemonic-env', 'MY_WORDS'],
      { MY_PW: PASSWORD, MY_WORDS: DEV_PHRASE },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('coldkey 5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.stdout + r.stderr).not.toContain('bottom drive');
    const raw = new Uint8Array(await readFile(join(root, 'miner/coldkey')));
    expect(new TextDecoder().decode(raw.subarray(0, 5))).toBe('$NACL');
    const key = Buffer.from((await readFile(join(FIXTURES, 'password-key.hex'), 'utf8')).trim(), 'hex');
    const plain = JSON.parse(new TextDecoder().decode(openNaclBody(raw.subarray(5), key))) as Record<string, string>;
    expect(plain.secretPhrase).toBe(DEV_PHRASE);
    expect((await stat(join(root, 'miner/coldkey'))).mode & 0o777).toBe(0o600);
    const show = await run(['wallet', 'show', '--wallet.name', 'miner', '--wallet.hotkey', 'hk', '--json']);
    const info = JSON.parse(show.stdout) as { coldkey: string; hotkey: string; coldkeyEncryption: string };
    expect(info.coldkey).toBe('5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV');
    expect(info.coldkeyEncryption).toBe('nacl');
    const list = await runInProcess(['list']);
    expect(list).toContain('miner  coldkey 5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV  [nacl]');
    expect(list).toContain(`└─ hk  ${info.hotkey}`);
  }, 90_000);

  it('refuses to create an encrypted coldkey without a terminal or password variable', async () => {
    const r = await run(['wallet', 'new-coldkey', '--wallet.name', 'nopw']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DOJO_CHAIN_WALLET_PASSWORD_REQUIRED');
  }, 60_000);

  it('prints the mnemonic only with --show-mnemonic and refuses to overwrite without --overwrite', async () => {
    const out = await runInProcess(['new-hotkey', '--wallet.name', 'v', '--show-mnemonic', '--n-words', '15']);
    const json = JSON.parse(await readFile(join(root, 'v/hotkeys/default'), 'utf8')) as { secretPhrase: string };
    expect(json.secretPhrase.split(' ')).toHaveLength(15);
    expect(out).toContain(json.secretPhrase);
    await expect(runInProcess(['new-hotkey', '--wallet.name', 'v'])).rejects.toMatchObject({
      code: 'DOJO_CHAIN_WALLET_EXISTS',
    });
    await expect(runInProcess(['new-hotkey', '--wallet.name', 'v', '--n-words', '13'])).rejects.toThrow(/12, 15/);
  });
});
