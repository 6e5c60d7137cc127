import { bodyHashFor } from './body-hash.js';
import { BodyValidationError } from './errors.js';
import { JsonParseError, parseJsonOrdered } from './json.js';
import type { PyType } from './py-type.js';
import type { Synapse, SynapseDefinition } from './synapse.js';
import { coerceBaseFields, coerceValue, toPlain } from './validate.js';

// `Object.entries(def.fieldTypes)` once per definition instead of once per body.
const fieldEntriesCache = new WeakMap<SynapseDefinition, ReadonlyArray<readonly [string, PyType]>>();
function fieldEntries(def: SynapseDefinition): ReadonlyArray<readonly [string, PyType]> {
  let entries = fieldEntriesCache.get(def);
  if (entries === undefined) {
    entries = Object.entries(def.fieldTypes);
    fieldEntriesCache.set(def, entries);
  }
  return entries;
}

/** Result of {@link parseSynapseBody}. */
export type ParseSynapseBodyResult =
  | { ok: true; synapse: Synapse; bodyHash: string }
  | { ok: false; field: string; reason: string };

/**
 * Parses and validates a request/response body for a synapse (W8). The body hash is computed over the validated
 * fields in the key order received (an order-preserving parse), so it matches what a Python peer computed.
 *
 * @param def - The synapse definition of the route.
 * @param text - The raw body text.
 * @returns `{ok: true, synapse, bodyHash}` with defaults applied, base fields normalised, `name` forced to the route,
 *   `computed_body_hash` `""`, `dendrite.nonce` a bigint; or `{ok: false, field, reason}` for the first bad field
 *   (`field` is `body` when the text is not a JSON object).
 * @example parseSynapseBody(ChunkSynapseDef, '{"document": "hi"}') // => { ok: true, synapse: {...}, bodyHash: '…' }
 */
export function parseSynapseBody(def: SynapseDefinition, text: string): ParseSynapseBodyResult {
  let root: unknown;
  try {
    root = parseJsonOrdered(text);
  } catch (err) {
    if (err instanceof JsonParseError) return { ok: false, field: 'body', reason: `invalid JSON: ${err.message}` };
    throw err;
  }
  if (!(root instanceof Map)) return { ok: false, field: 'body', reason: 'expected object' };
  const given = root as Map<string, unknown>;
  try {
    const base = coerceBaseFields(given);
    const payload = new Map<string, unknown>();
    for (const [field, type] of fieldEntries(def)) {
      const v = given.get(field);
      if (v !== undefined) payload.set(field, coerceValue(v, type, field, true));
      else if (def.fieldDefaults[field]) payload.set(field, def.fieldDefaults[field]());
      else throw new BodyValidationError(field, 'required');
    }
    const hash = bodyHashFor(def, payload);
    const synapse = {
      name: def.name,
      ...base,
      computed_body_hash: '',
      ...(toPlain(payload) as Record<string, unknown>),
    } as Synapse;
    return { ok: true, synapse, bodyHash: hash };
  } catch (err) {
    if (err instanceof BodyValidationError) return { ok: false, field: err.field, reason: err.reason };
    throw err;
  }
}
