import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicToMiniSecret, signatureVerify } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signerFromMnemonic } from '../signer.js';
import { isSignatureHex, publicKeyOf, sr25519Ready, verifySr25519 } from './sr25519.js';

// The well-known dev mnemonic (Alice's phrase without a derivation path); public test data, not a secret.
const MNEMONIC = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const enc = new TextEncoder();
const hex = (u: Uint8Array) => `0x${Buffer.from(u).toString('hex')}`;

beforeAll(async () => {
  await cryptoWaitReady();
  await sr25519Ready();
});

describe('sr25519 fast path', () => {
  it('derives the same address as a @polkadot/keyring sr25519 pair from the same mnemonic', async () => {
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromMnemonic(MNEMONIC);
    const signer = await signerFromMnemonic(MNEMONIC);
    expect(signer.address).toBe(pair.address);
    expect(mnemonicToMiniSecret(MNEMONIC)).toHaveLength(32);
  });

  it('verifies keyring-pair signatures, and util-crypto verifies wasm-signer signatures', async () => {
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromMnemonic(MNEMONIC);
    const signer = await signerFromMnemonic(MNEMONIC);
    const msg = '1795435641071000000.5Gx.5Gy.uuid.a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';
    expect(verifySr25519(hex(pair.sign(enc.encode(msg))), msg, pair.address)).toBe(true);
    expect(signatureVerify(msg, signer.sign(enc.encode(msg)), pair.address).isValid).toBe(true);
  });

  it('accepts the <Bytes>-wrapped message like signatureVerify and rejects other messages', async () => {
    const signer = await signerFromMnemonic(MNEMONIC);
    const sig = hex(signer.sign(enc.encode('<Bytes>hello</Bytes>')));
    expect(verifySr25519(sig, 'hello', signer.address)).toBe(true);
    expect(verifySr25519(sig, 'hellO', signer.address)).toBe(false);
  });

  it('returns false, never throws, for malformed signatures and addresses', async () => {
    const signer = await signerFromMnemonic(MNEMONIC);
    const sig = hex(signer.sign(enc.encode('m')));
    expect(isSignatureHex(sig)).toBe(true);
    expect(isSignatureHex(sig.slice(2))).toBe(false);
    expect(verifySr25519(sig.slice(2), 'm', signer.address)).toBe(false);
    expect(verifySr25519(`${sig}00`, 'm', signer.address)).toBe(false);
    expect(verifySr25519(sig, 'm', 'not-an-address')).toBe(false);
    expect(publicKeyOf('not-an-address')).toBeNull();
    expect(publicKeyOf(signer.address)).toHaveLength(32);
  });
});
