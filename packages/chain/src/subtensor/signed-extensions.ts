import { Metadata, TypeRegistry } from '@polkadot/types';
import { allExtensions } from '@polkadot/types/extrinsic/signedExtensions';
import type { ExtDef } from '@polkadot/types/extrinsic/signedExtensions/types';
import { hexToU8a } from '@polkadot/util';
import { UnknownSignedExtensionError } from '../errors.js';

/** Subtensor extensions whose shape is known (spec chain.md §4.2). */
export const KNOWN_SUBTENSOR_EXTENSIONS: ExtDef = {
  ChargeTransactionPaymentWrapper: { extrinsic: { tip: 'Compact<Balance>' }, payload: {} },
  SudoTransactionExtension: { extrinsic: {}, payload: {} },
  CheckShieldedTxValidity: { extrinsic: {}, payload: {} },
  SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
  DrandPriority: { extrinsic: {}, payload: {} },
};

/** One extension as declared by the metadata: name plus lookup ids of its extrinsic and implicit (signed-only) types. */
export interface DeclaredExtension {
  identifier: string;
  type: number;
  implicit: number;
}

/**
 * Lists the signed/transaction extensions declared by runtime metadata, read from the versioned metadata (V14/V15
 * `signedExtensions[i].{type, additionalSigned}`, V16 `transactionExtensions[i].{type, implicit}`), never from the
 * converted latest form (which loses `additionalSigned` in @polkadot/types 16.5.6).
 * @param metadata - a decoded `Metadata`.
 * @returns the declared extensions in order.
 */
export function declaredExtensions(metadata: Metadata): DeclaredExtension[] {
  if (metadata.version === 16) {
    return metadata.asV16.extrinsic.transactionExtensions.map((e) => ({
      identifier: e.identifier.toString(),
      type: e.type.toNumber(),
      implicit: e.implicit.toNumber(),
    }));
  }
  const ext = metadata.version === 15 ? metadata.asV15.extrinsic : metadata.asV14.extrinsic;
  return ext.signedExtensions.map((e) => ({
    identifier: e.identifier.toString(),
    type: e.type.toNumber(),
    implicit: e.additionalSigned.toNumber(),
  }));
}

function isEmptyType(registry: TypeRegistry, id: number): boolean {
  const def = registry.lookup.getSiType(id).def;
  if (def.isTuple) return def.asTuple.length === 0;
  if (def.isComposite) return def.asComposite.fields.length === 0;
  return false;
}

/**
 * Builds the `signedExtensions` option of `ApiPromise` for a subtensor runtime (spec chain.md §4.2): known table first,
 * then `{}` for unknown extensions whose extrinsic and implicit types are both empty.
 * @param metadataHex - `state_getMetadata` hex or opaque V15 bytes (hex or bytes).
 * @returns a map identifier → definition for every extension @polkadot/types does not know.
 * @throws UnknownSignedExtensionError for an unknown extension that carries data.
 */
export function subtensorSignedExtensions(metadataHex: string | Uint8Array): ExtDef {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, typeof metadataHex === 'string' ? hexToU8a(metadataHex) : metadataHex);
  registry.setLookup(metadata.asLatest.lookup);
  const out: ExtDef = {};
  for (const ext of declaredExtensions(metadata)) {
    if (allExtensions[ext.identifier]) continue;
    const known = KNOWN_SUBTENSOR_EXTENSIONS[ext.identifier];
    if (known) {
      out[ext.identifier] = known;
    } else if (isEmptyType(registry, ext.type) && isEmptyType(registry, ext.implicit)) {
      out[ext.identifier] = { extrinsic: {}, payload: {} };
    } else {
      throw new UnknownSignedExtensionError(ext.identifier);
    }
  }
  return out;
}
