import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyfileDecryptError, UnsupportedLegacyKeyfileError } from './errors.js';
import { decryptKeyfileData, keyfileEncryption, openNaclBody, sealNaclBody } from './keyfile-crypto.js';

const FIXTURES = join(import.meta.dirname, '../../test/wallet-fixtures/wallets');
const PASSWORD = 'dojo-fixture-password';

describe('$NACL keyfiles (Argon2i SENSITIVE + XSalsa20-Poly1305)', () => {
  it('decrypts a coldkey written by libsodium (PyNaCl) to the exact plaintext JSON', async () => {
    const data = new Uint8Array(await readFile(join(FIXTURES, 'fixture/coldkey')));
    const expected = new Uint8Array(await readFile(join(FIXTURES, 'fixture/coldkey.plaintext.json')));
    expect(keyfileEncryption(data)).toBe('nacl');
    expect(await decryptKeyfileData(data, PASSWORD)).toEqual(expected);
  }, 60_000);

  it('rejects a wrong key (what a wrong password derives) with KeyfileDecryptError', async () => {
    const data = new Uint8Array(await readFile(join(FIXTURES, 'fixture/coldkey')));
    expect(() => openNaclBody(data.subarray(5), new Uint8Array(32).fill(7))).toThrow(KeyfileDecryptError);
  });

  it('seals byte-identically to libsodium secretbox for a fixed key and nonce', async () => {
    const golden = new Uint8Array(await readFile(join(FIXTURES, '../sealed-fixed-key.bin')));
    const plain = new TextEncoder().encode('{"ss58Address":"5Dfh"}');
    const key = new Uint8Array(32).fill(3);
    const nonce = new Uint8Array(24).fill(9);
    const sealed = sealNaclBody(plain, key, nonce);
    expect(new TextDecoder().decode(sealed.subarray(0, 5))).toBe('$NACL');
    expect(sealed.subarray(5, 29)).toEqual(nonce);
    expect(sealed.length).toBe(5 + 24 + 16 + plain.length);
    expect(sealed).toEqual(golden);
    expect(openNaclBody(sealed.subarray(5), key)).toEqual(plain);
  });

  it('rejects a truncated $NACL file without running the KDF', async () => {
    await expect(decryptKeyfileData(new TextEncoder().encode('$NACLabc'), 'x')).rejects.toBeInstanceOf(
      KeyfileDecryptError,
    );
  });
});

describe('legacy keyfiles are detected and refused (§12.4)', () => {
  it('refuses Ansible Vault', async () => {
    const data = new TextEncoder().encode('$ANSIBLE_VAULT;1.1;AES256\n6134623364\n');
    expect(keyfileEncryption(data)).toBe('ansible-vault');
    const err = await decryptKeyfileData(data, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedLegacyKeyfileError);
    expect((err as UnsupportedLegacyKeyfileError).code).toBe('DOJO_CHAIN_WALLET_LEGACY_KEYFILE');
    expect((err as Error).message).toContain('ansible-vault');
  });

  it('refuses legacy Fernet', async () => {
    const data = new TextEncoder().encode('gAAAAABkZ3J1bnRzb21lZmVybmV0dG9rZW4=');
    expect(keyfileEncryption(data)).toBe('fernet');
    await expect(decryptKeyfileData(data, 'x')).rejects.toBeInstanceOf(UnsupportedLegacyKeyfileError);
  });

  it('passes plaintext JSON through unchanged', async () => {
    const data = new TextEncoder().encode('{"a":1}');
    expect(keyfileEncryption(data)).toBe('plaintext');
    expect(await decryptKeyfileData(data, '')).toEqual(data);
  });
});
