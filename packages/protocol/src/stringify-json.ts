import { DojoError } from './errors.js';
import { MAX_JSON_DEPTH as MAX_DEPTH } from './json.js';
import { pyFloatRepr } from './python-str.js';

function writeNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(n, -0)) return '-0.0';
  // An integral double beyond 2^53 is written as a float literal (Python repr), so it parses back as the same
  // double instead of as a bigint holding String(n)'s shortest digits.
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return pyFloatRepr(n);
  return String(n);
}

const OBJECT_PROTO = Object.prototype;
// Quoted object keys: field names repeat on every message, so their JSON text is kept (bounded, short keys only).
const keyJson = new Map<string, string>();
const KEY_JSON_MAX = 4096;
function quoteKey(k: string): string {
  let q = keyJson.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (k.length <= 64 && keyJson.size < KEY_JSON_MAX) keyJson.set(k, q);
  }
  return q;
}

/**
 * True when native `JSON.stringify` writes `value` exactly as {@link write} would: only strings, booleans, null, safe
 * finite numbers other than -0, and arrays / plain objects (no `toJSON`) of those, within the depth limit.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return (
        Number.isFinite(value) && !Object.is(value, -0) && (!Number.isInteger(value) || Number.isSafeInteger(value))
      );
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== OBJECT_PROTO && proto !== null) return false;
      const obj = value as Record<string, unknown>;
      if ('toJSON' in obj) return false;
      for (const k in obj) if (!isPlainJson(obj[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

function write(value: unknown, depth: number, inArray: boolean, native: boolean): string | undefined {
  if (depth > MAX_DEPTH) throw new DojoError('DOJO_PROTOCOL_JSON_INVALID', 'nesting too deep');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return writeNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
  }
  // Plain subtrees (payload strings and lists, most of a synapse) go through the native serialiser.
  if (native && isPlainJson(value, depth)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${write(value[i], depth + 1, true, native)}`;
    return `${out}]`;
  }
  const obj = value as { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') return write(obj.toJSON(), depth + 1, inArray, native);
  let out = '{';
  let first = true;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const s = write(v, depth + 1, false, native);
      if (s === undefined) continue;
      out += `${first ? '' : ','}${quoteKey(String(k))}:${s}`;
      first = false;
    }
  } else {
    for (const k of Object.keys(value)) {
      const s = write((value as Record<string, unknown>)[k], depth + 1, false, native);
      if (s === undefined) continue;
      out += `${first ? '' : ','}${quoteKey(k)}:${s}`;
      first = false;
    }
  }
  return `${out}}`;
}

/**
 * Serialises to compact JSON, writing `bigint` as a raw integer, `Map`s as objects in insertion order, and
 * non-finite numbers, `-0` and integral doubles beyond 2^53 the way Python's `json.dumps` writes floats (`NaN`,
 * `Infinity`, `-0.0`, `9007199254740992.0`) so a Python peer (and the body hash) sees the same float.
 *
 * @param value - The value to serialise.
 * @returns JSON text.
 * @example stringifyJson({ nonce: 1732358400123456789n }) // => '{"nonce":1732358400123456789}'
 */
export function stringifyJson(value: unknown): string {
  return write(value, 0, false, true) ?? 'null';
}

/**
 * {@link stringifyJson} without the native fast path for plain subtrees (tests compare the two).
 *
 * @param value - The value to serialise.
 * @returns JSON text.
 */
export function stringifyJsonGeneral(value: unknown): string {
  return write(value, 0, false, false) ?? 'null';
}
