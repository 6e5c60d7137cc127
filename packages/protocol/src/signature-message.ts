/** Inputs of the dendrite's signed message (wire.md §9.1). */
export interface SignatureMessageParams {
  /** `dendrite.nonce`, nanoseconds. */
  nonce: bigint;
  /** ss58 of the caller. */
  dendriteHotkey: string;
  /** ss58 of the target axon (on verification: the axon's own hotkey). */
  axonHotkey: string;
  /** `dendrite.uuid`. */
  uuid: string;
  /** The `computed_body_hash` header value (64 hex, no `0x`). */
  bodyHash: string;
}

/**
 * The message a dendrite signs and an axon verifies: `"{nonce}.{dendrite.hotkey}.{axon.hotkey}.{uuid}.{body_hash}"`.
 *
 * @param p - Nonce, hotkeys, uuid and body hash.
 * @returns The UTF-8 message to sign with sr25519 (no `<Bytes>` wrapper).
 * @example signatureMessage({ nonce: 1n, dendriteHotkey: 'A', axonHotkey: 'B', uuid: 'u', bodyHash: 'h' }) // => '1.A.B.u.h'
 */
export function signatureMessage(p: SignatureMessageParams): string {
  return `${p.nonce}.${p.dendriteHotkey}.${p.axonHotkey}.${p.uuid}.${p.bodyHash}`;
}

/**
 * The message an axon signs during preprocessing (wire.md §9.2, informational): `"{axon.nonce}.{dendrite.hotkey}.{axon.hotkey}.{axon.uuid}"`.
 *
 * @param p - The axon's nonce and uuid, the caller's hotkey and the axon hotkey from the request header.
 * @returns The UTF-8 message.
 * @example axonSignatureMessage({ nonce: 1n, dendriteHotkey: 'A', axonHotkey: 'B', uuid: 'u' }) // => '1.A.B.u'
 */
export function axonSignatureMessage(p: Omit<SignatureMessageParams, 'bodyHash'>): string {
  return `${p.nonce}.${p.dendriteHotkey}.${p.axonHotkey}.${p.uuid}`;
}
