import { bodyHashFor, type Synapse, type SynapseDefinition, signatureMessage } from '@dojo-ts/protocol';
import type { Signer } from '../signer.js';

const encoder = new TextEncoder();

/** Wall clock in nanoseconds (Python `time.time_ns()` resolution is not needed: nonces are made unique below). */
export const wallClockNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

/**
 * Strictly increasing nanosecond nonces for one dendrite instance: `max(wall_ns, last + 1)` (wire.md §6).
 *
 * @param nowNs - Wall clock in ns.
 * @returns A function returning the next nonce as a bigint.
 * @example
 * const next = createNonceClock(); next() < next(); // true
 */
export function createNonceClock(nowNs: () => bigint = wallClockNs): () => bigint {
  let last = 0n;
  return () => {
    const now = nowNs();
    last = now > last ? now : last + 1n;
    return last;
  };
}

/**
 * Signs a filled-in synapse for its target (wire.md §9.1): sets `dendrite.signature` to `0x` + hex of the sr25519
 * signature over `{nonce}.{dendrite.hotkey}.{axon.hotkey}.{uuid}.{body_hash}`.
 *
 * @param signer - The dendrite hotkey.
 * @param def - The synapse definition (decides the hashed fields).
 * @param synapse - A synapse whose `dendrite.nonce`, `dendrite.uuid` and `axon.hotkey` are set; mutated.
 * @param precomputedBodyHash - The synapse's body hash when the caller already has it (a fan-out hashes once for all
 *   targets); must equal `bodyHash(def.name, synapse)`.
 * @returns The body hash that was signed (equal to the `computed_body_hash` header).
 * @throws Error when nonce, uuid or target hotkey is missing.
 */
export function signSynapse(
  signer: Signer,
  def: SynapseDefinition,
  synapse: Synapse,
  precomputedBodyHash?: string,
): string {
  const { nonce, uuid } = synapse.dendrite;
  const axonHotkey = synapse.axon.hotkey;
  if (nonce === null || uuid === null || axonHotkey === null) {
    throw new Error('signSynapse needs dendrite.nonce, dendrite.uuid and axon.hotkey');
  }
  const hash = precomputedBodyHash ?? bodyHashFor(def, synapse as unknown as Record<string, unknown>);
  const message = signatureMessage({ nonce, dendriteHotkey: signer.address, axonHotkey, uuid, bodyHash: hash });
  synapse.dendrite.signature = `0x${Buffer.from(signer.sign(encoder.encode(message))).toString('hex')}`;
  return hash;
}
