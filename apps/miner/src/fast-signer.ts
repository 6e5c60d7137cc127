import { type ChainSigner, decryptKeyfileData, parseKeyfileJson, readKeyfile, walletPaths } from '@dojo-ts/chain';
import { createSr25519Signer, type Signer, signerFromMnemonic } from '@dojo-ts/neuron';

/**
 * A wasm-backed sr25519 signer for the same hotkey as `pair` (the keyring pair signs in pure JS, several times slower;
 * the axon and dendrite sign on every error reply, request and `miner_signature`). Falls back to `pair` when the hotkey
 * file is encrypted or the derived address differs.
 *
 * @param location - wallet location of the hotkey file.
 * @param pair - the already loaded keyring pair (used for chain extrinsics).
 * @returns a signer with `pair.address`.
 */
export async function fastSigner(
  location: { walletPath: string; name: string; hotkey: string },
  pair: ChainSigner,
): Promise<Signer> {
  try {
    const data = parseKeyfileJson(await decryptKeyfileData(await readKeyfile(walletPaths(location).hotkey), ''));
    let signer: Signer | null = null;
    if (data.secretPhrase) signer = await signerFromMnemonic(data.secretPhrase);
    else if (data.secretSeed && /^0x[0-9a-fA-F]{64}$/.test(data.secretSeed)) {
      signer = await createSr25519Signer(Buffer.from(data.secretSeed.slice(2), 'hex'));
    }
    return signer !== null && signer.address === pair.address ? signer : pair;
  } catch {
    return pair;
  }
}
