import { BodyValidationError } from './errors.js';
import { mapToObject, setOwn } from './json.js';
import { parsePyFloat, parsePyInt } from './py-cast.js';
import type { PyType } from './py-type.js';
import { dictEntries } from './python-str.js';
import { DEFAULT_TIMEOUT_S, emptyTerminalInfo, TERMINAL_INFO_FIELDS, type TerminalInfo } from './synapse.js';

// Validation and coercion follow pydantic v2 lax mode where it is unambiguous (an int fits a float field, an integral
// float fits an int field) and are stricter elsewhere (no numeric strings in payload fields, no bools as numbers).

function fail(path: string, reason: string): never {
  throw new BodyValidationError(path, reason);
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function coerceInt(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (!Number.isSafeInteger(value)) fail(path, 'integer out of range');
    return value === 0 ? 0 : value;
  }
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      fail(path, 'integer out of range');
    }
    return Number(value);
  }
  return fail(path, 'expected integer');
}

function coerceFloat(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isFinite(n)) fail(path, 'integer too large to convert to float');
    return n;
  }
  return fail(path, 'expected number');
}

/**
 * Validates and normalises a value against a declared Python type. Dicts come out as `Map`s (order kept) when
 * `orderedDicts` is set, else as plain objects; models come out as plain objects with defaults applied and extra
 * keys dropped.
 *
 * @throws {BodyValidationError} naming the first bad path.
 */
export function coerceValue(value: unknown, type: PyType, path: string, orderedDicts: boolean): unknown {
  switch (type.kind) {
    case 'str':
      if (typeof value !== 'string') fail(path, 'expected string');
      return value;
    case 'literal':
      if (typeof value !== 'string' || !type.values.includes(value)) {
        fail(path, `expected one of ${type.values.map((v) => `'${v}'`).join(', ')}`);
      }
      return value;
    case 'int':
      return coerceInt(value, path);
    case 'float':
      return coerceFloat(value, path);
    case 'bool':
      if (typeof value !== 'boolean') fail(path, 'expected boolean');
      return value;
    case 'optional':
      return value === null || value === undefined ? null : coerceValue(value, type.inner, path, orderedDicts);
    case 'any':
      return value === undefined ? null : value;
    case 'list':
      if (!Array.isArray(value)) fail(path, 'expected array');
      return value.map((v, i) => coerceValue(v, type.item, join(path, i), orderedDicts));
    case 'tuple':
      if (!Array.isArray(value) || value.length !== type.items.length) {
        fail(path, `expected array of length ${type.items.length}`);
      }
      return value.map((v, i) => coerceValue(v, type.items[i]!, join(path, i), orderedDicts));
    case 'dict': {
      const entries = Array.isArray(value) ? null : dictEntries(value);
      if (entries === null) return fail(path, 'expected object');
      const out = new Map<string, unknown>();
      for (const [k, v] of entries) {
        const key = String(k);
        coerceValue(key, type.key.kind === 'int' ? { kind: 'str' } : type.key, join(path, key), orderedDicts);
        out.set(key, coerceValue(v, type.value, join(path, key), orderedDicts));
      }
      return orderedDicts ? out : mapToObject(out);
    }
    case 'model': {
      const entries = Array.isArray(value) ? null : dictEntries(value);
      if (entries === null) return fail(path, 'expected object');
      const given = new Map(entries as Array<[string, unknown]>);
      const out = new Map<string, unknown>();
      for (const [name, fieldType] of type.fields) {
        const v = given.get(name);
        const fieldPath = join(path, name);
        if (v !== undefined) out.set(name, coerceValue(v, fieldType, fieldPath, orderedDicts));
        else if (type.defaults?.[name]) out.set(name, type.defaults[name]());
        else fail(fieldPath, 'required');
      }
      return mapToObject(out);
    }
  }
}

/** Deep copy that turns every `Map` into a plain object (keys stay strings). */
export function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toPlain);
  const out: Record<string, unknown> = {};
  const entries = value instanceof Map ? value.entries() : Object.entries(value);
  for (const [k, v] of entries) setOwn(out, String(k), toPlain(v));
  return out;
}

function terminalInt(value: unknown, path: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string') {
    const n = parsePyInt(value);
    if (n !== null) return n;
  }
  return fail(path, 'expected integer');
}

/**
 * Validates a TerminalInfo from a body or headers with bittensor's casts (`int(...)` for status_code, port, version
 * and nonce, `float(...)` for process_time), so numeric strings are accepted as upstream accepts them.
 *
 * @throws {BodyValidationError} naming `<path>.<field>`.
 */
export function coerceTerminalInfo(value: unknown, path: string): TerminalInfo {
  const info = emptyTerminalInfo();
  if (value === null || value === undefined) return info;
  if (typeof value !== 'object' || Array.isArray(value)) return fail(path, 'expected object');
  // Own keys only (what the entries of the object or Map give), read directly instead of through a copied Map.
  const map = value instanceof Map ? value : null;
  const obj = value as Record<string, unknown>;
  for (const field of TERMINAL_INFO_FIELDS) {
    const v = map !== null ? map.get(field) : Object.hasOwn(obj, field) ? obj[field] : undefined;
    if (v === null || v === undefined) continue;
    const p = join(path, field);
    switch (field) {
      case 'nonce':
        info.nonce = terminalInt(v, p);
        break;
      case 'status_code':
      case 'port':
      case 'version': {
        const n = terminalInt(v, p);
        if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) fail(p, 'integer out of range');
        info[field] = Number(n);
        break;
      }
      case 'process_time': {
        const n = typeof v === 'string' ? parsePyFloat(v) : typeof v === 'number' ? v : null;
        if (n === null) fail(p, 'expected number');
        info.process_time = n;
        break;
      }
      default:
        if (typeof v !== 'string') fail(p, 'expected string');
        info[field] = v;
    }
  }
  return info;
}

function optionalNumber(value: unknown, path: string, int: boolean, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    const n = int ? parsePyInt(value) : parsePyFloat(value);
    if (n === null) fail(path, int ? 'expected integer' : 'expected number');
    return int ? coerceInt(n, path) : (n as number);
  }
  return int ? coerceInt(value, path) : coerceFloat(value, path);
}

/** Normalised base fields of a body (name is forced to the class name by the caller). */
export function coerceBaseFields(given: Map<string, unknown>): {
  timeout: number;
  total_size: number;
  header_size: number;
  dendrite: TerminalInfo;
  axon: TerminalInfo;
} {
  const name = given.get('name');
  if (name !== undefined && name !== null && typeof name !== 'string') fail('name', 'expected string');
  const hash = given.get('computed_body_hash');
  if (hash !== undefined && hash !== null && typeof hash !== 'string') fail('computed_body_hash', 'expected string');
  return {
    timeout: optionalNumber(given.get('timeout'), 'timeout', false, DEFAULT_TIMEOUT_S),
    total_size: optionalNumber(given.get('total_size'), 'total_size', true, 0),
    header_size: optionalNumber(given.get('header_size'), 'header_size', true, 0),
    dendrite: coerceTerminalInfo(given.get('dendrite'), 'dendrite'),
    axon: coerceTerminalInfo(given.get('axon'), 'axon'),
  };
}
