import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet, loadHotkeyPair } from '@dojo-ts/chain';
import { verifySr25519 } from '@dojo-ts/neuron';
import { afterAll, describe, expect, it } from 'vitest';
import { fastSigner } from './fast-signer.js';

const dir = mkdtempSync(join(tmpdir(), 'dojo-miner-signer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fastSigner', () => {
  it('derives a wasm signer with the same address as the btcli hotkey, whose signatures verify', async () => {
    const location = { walletPath: dir, name: 'w', hotkey: 'h' };
    await createWallet(location, null);
    const pair = await loadHotkeyPair(location);
    const signer = await fastSigner(location, pair);
    expect(signer).not.toBe(pair);
    expect(signer.address).toBe(pair.address);
    const msg = new TextEncoder().encode('hello');
    expect(verifySr25519(`0x${Buffer.from(signer.sign(msg)).toString('hex')}`, msg, pair.address)).toBe(true);
  });

  it('falls back to the keyring pair when the hotkey file cannot be read', async () => {
    const location = { walletPath: dir, name: 'w', hotkey: 'h' };
    const pair = await loadHotkeyPair(location);
    expect(await fastSigner({ ...location, hotkey: 'missing' }, pair)).toBe(pair);
  });
});
