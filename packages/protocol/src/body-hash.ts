import { sha3_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { BodyValidationError, UnknownSynapseError } from './errors.js';
import { pythonStr } from './python-str.js';
import { synapseRegistry } from './registry.js';
import type { SynapseDefinition } from './synapse.js';

/** SHA3-256 of the empty input: the body hash of a synapse with no hash fields. */
export const EMPTY_BODY_HASH = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';

const encoder = new TextEncoder();

type NodeHash = { update(data: string, encoding: 'utf8'): NodeHash; digest(encoding: 'hex'): string };
// Node's native SHA3-256 is ~10x faster than the pure-JS one on large bodies. It is looked up at run time (no static
// `node:` import) so the package stays usable where only @noble/hashes is available.
const nodeCreateHash: ((algorithm: string) => NodeHash) | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const crypto = proc?.getBuiltinModule?.('node:crypto') as { createHash?: (a: string) => NodeHash } | undefined;
  try {
    return crypto?.createHash?.('sha3-256') ? crypto.createHash : undefined;
  } catch {
    return undefined;
  }
})();

// Node >= 20.12 has a one-shot `crypto.hash()` that skips the Hash object: a few microseconds less per call, and a
// body hash makes one call per hash field plus one.
const nodeHashOnce: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined = (() => {
  if (!nodeCreateHash) return undefined;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const crypto = proc?.getBuiltinModule?.('node:crypto') as
    | { hash?: (a: string, d: string, e: 'hex') => string }
    | undefined;
  try {
    return crypto?.hash?.('sha3-256', '', 'hex') === EMPTY_BODY_HASH ? crypto.hash : undefined;
  } catch {
    return undefined;
  }
})();

function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(text) : !/\p{Cs}/u.test(text);
}

/**
 * NIST SHA3-256 (not Keccak-256) of the UTF-8 bytes of a string, as lowercase hex.
 *
 * @param text - The text; must not contain lone surrogates.
 * @returns 64 lowercase hex characters.
 * @example sha3Hex('') // => 'a7ffc6f8…434a'
 */
export function sha3Hex(text: string): string {
  if (nodeHashOnce) return nodeHashOnce('sha3-256', text, 'hex');
  if (nodeCreateHash) return nodeCreateHash('sha3-256').update(text, 'utf8').digest('hex');
  return bytesToHex(sha3_256(encoder.encode(text)));
}

/** SHA3-256 through @noble/hashes only (the portable path; tests compare it with the native one). */
export function sha3HexPortable(text: string): string {
  return bytesToHex(sha3_256(encoder.encode(text)));
}

function get(fields: Record<string, unknown> | Map<string, unknown>, key: string): unknown {
  return fields instanceof Map ? fields.get(key) : Object.hasOwn(fields, key) ? fields[key] : undefined;
}

/**
 * Body hash of a synapse given its definition (wire.md §8): SHA3-256 over the concatenated SHA3-256 hex digests of
 * `str()` of each declared hash field, in declared order.
 *
 * @param def - The synapse definition (its `requiredHashFields` and `fieldTypes` decide what and how to render).
 * @param fields - Field values as plain JSON values; pass `Map`s for dicts whose received key order must be kept.
 * @returns 64 lowercase hex characters, no `0x`.
 * @throws {BodyValidationError} when a hash field is missing or does not fit its declared type, or renders to a
 *   string with a lone surrogate (CPython cannot UTF-8 encode it either).
 */
export function bodyHashFor(
  def: Pick<SynapseDefinition, 'requiredHashFields' | 'fieldTypes'>,
  fields: Record<string, unknown> | Map<string, unknown>,
): string {
  let concatenated = '';
  for (const field of def.requiredHashFields) {
    const type = def.fieldTypes[field];
    if (type === undefined) throw new BodyValidationError(field, 'not a declared field');
    const value = get(fields, field);
    if (value === undefined && type.kind !== 'optional' && type.kind !== 'any') {
      throw new BodyValidationError(field, 'required');
    }
    let rendered: string;
    try {
      rendered = pythonStr(value, type);
    } catch (err) {
      if (err instanceof BodyValidationError) {
        const path = err.field === '(value)' ? field : `${field}.${err.field}`;
        throw new BodyValidationError(path, err.reason);
      }
      throw err;
    }
    if (!isWellFormed(rendered)) throw new BodyValidationError(field, 'lone surrogate cannot be UTF-8 encoded');
    concatenated += sha3Hex(rendered);
  }
  return sha3Hex(concatenated);
}

/**
 * Body hash of a registered synapse (wire.md §8): what the dendrite sends as `computed_body_hash` and signs.
 *
 * @param synapseName - A registered route name (`RankingRequest`, `RankingResult`, `MTurkResponse`, `chunkSynapse`, `Synapse`).
 * @param fields - Field values as plain JSON values (the registered schema decides how each is rendered).
 * @returns 64 lowercase hex characters, no `0x`.
 * @throws {UnknownSynapseError} for an unregistered name; {BodyValidationError} for a missing or mistyped hash field.
 * @example bodyHash('chunkSynapse', { document: 'Hello world. Bye.', chunk_size: 4096 }) // => '60ed704f…ca59'
 */
export function bodyHash(synapseName: string, fields: Record<string, unknown> | Map<string, unknown>): string {
  const def = synapseRegistry.get(synapseName);
  if (def === undefined) throw new UnknownSynapseError(synapseName);
  return bodyHashFor(def, fields);
}
