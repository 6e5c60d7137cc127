import { BodyValidationError } from './errors.js';
import type { PyType } from './py-type.js';

import { NONPRINTABLE_RANGES } from './python-nonprintable.generated.js';

// Python `str.isprintable` is false for Unicode categories C* and Z* except the ASCII space. The JS `\p{C}`/`\p{Z}`
// classes follow the engine's Unicode version (Node 20: 15.1 to 17), newer than CPython 3.11's 14.0, so ~15 000
// code points assigned since then would print here but are escaped by CPython. A table generated from CPython 3.11
// (scripts/gen-nonprintable.py) makes the rendering exact and independent of the Node/ICU version.
const RANGE_BOUNDS: Uint32Array = (() => {
  const flat = NONPRINTABLE_RANGES.join('')
    .split(',')
    .filter((r) => r !== '')
    .flatMap((r) => r.split('-').map((h) => Number.parseInt(h, 16)));
  return Uint32Array.from(flat);
})();

/**
 * CPython 3.11 `not chr(cp).isprintable()` for a code point.
 *
 * @param cp - A Unicode code point (surrogates included).
 * @returns `true` when CPython's repr() escapes it.
 */
export function isPyNonPrintable(cp: number): boolean {
  if (cp < 0x7f) return cp < 0x20;
  if (cp === 0x7f) return true;
  if (cp >= 0xd800 && cp <= 0xdfff) return true;
  let lo = 0;
  let hi = RANGE_BOUNDS.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < RANGE_BOUNDS[2 * mid]!) hi = mid - 1;
    else if (cp > RANGE_BOUNDS[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/**
 * CPython 3 `repr()` of a string: quote choice, backslash escapes and `\xNN`/`\uNNNN`/`\UNNNNNNNN` for non-printables.
 *
 * @param s - The string (lone surrogates are escaped as `\udXXX`, like CPython).
 * @returns The quoted representation.
 * @example pyStrRepr("it's") // => "\"it's\""
 */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const plainRun = quote === "'" ? PLAIN_RUN_SINGLE : PLAIN_RUN_DOUBLE;
  let out = quote;
  let i = 0;
  while (i < s.length) {
    // Runs of printable ASCII other than the backslash and the quote are copied as they are.
    plainRun.lastIndex = i;
    plainRun.test(s);
    if (plainRun.lastIndex > i) {
      out += s.slice(i, plainRun.lastIndex);
      i = plainRun.lastIndex;
      if (i >= s.length) break;
    }
    const cp = s.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp === 0x5c) out += '\\\\';
    else if (cp === quote.charCodeAt(0)) out += '\\' + quote;
    else if (cp === 0x09) out += '\\t';
    else if (cp === 0x0a) out += '\\n';
    else if (cp === 0x0d) out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp > 0x7f && isPyNonPrintable(cp)) {
      out += cp <= 0xff ? '\\x' + hex(cp, 2) : cp <= 0xffff ? '\\u' + hex(cp, 4) : '\\U' + hex(cp, 8);
    } else out += s.slice(i, i + width);
    i += width;
  }
  return out + quote;
}

const PLAIN_RUN_SINGLE = /[\x20-\x26\x28-\x5b\x5d-\x7e]*/y;
const PLAIN_RUN_DOUBLE = /[\x20\x21\x23-\x5b\x5d-\x7e]*/y;

/**
 * CPython 3 `repr()` of a float: shortest round-trip digits, fixed notation for exponents −4..15, otherwise
 * `d.ddde±XX`; `inf`, `-inf`, `nan`, `-0.0`.
 *
 * @param x - The number.
 * @returns The Python float repr.
 * @example pyFloatRepr(1e16) // => '1e+16'
 */
export function pyFloatRepr(x: number): string {
  // Fast path: for 1e-4 <= |x| < 1e16 CPython writes fixed notation, and so does JS `String()` (fixed for
  // 1e-7 <= |x| < 1e21), both with the shortest round-trip digits; only integral values lack the `.0`. The bounds are
  // exact doubles, so a value below 1e-4 (or at/above 1e16) never has shortest digits inside the range.
  const a = x < 0 ? -x : x;
  if (a >= 1e-4 && a < 1e16) {
    const s = String(x);
    return Number.isInteger(x) ? `${s}.0` : s;
  }
  // Small magnitudes (timings like 1.2e-05): the shortest exponent form, with CPython's two-digit minimum exponent.
  if (a > 0 && a < 1e-4) {
    const s = x.toExponential();
    const e = s.indexOf('e');
    return s.length - e === 3 ? `${s.slice(0, e + 2)}0${s.slice(e + 2)}` : s;
  }
  return pyFloatReprGeneral(x);
}

/**
 * The general path of {@link pyFloatRepr} (every double, no fast path); tests compare the two on random doubles.
 *
 * @param x - The number.
 * @returns The Python float repr.
 */
export function pyFloatReprGeneral(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument yields the shortest round-trip digits, like CPython's repr.
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    const expAbs = String(Math.abs(exp)).padStart(2, '0');
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${expAbs}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

function fail(path: string, reason: string): never {
  throw new BodyValidationError(path === '' ? '(value)' : path, reason);
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/** Entries of a dict-like value in iteration order: a `Map` keeps insertion order, so received JSON order survives. */
export function dictEntries(value: unknown): Array<[unknown, unknown]> | null {
  if (value instanceof Map) return [...value.entries()];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value);
  return null;
}

function renderInt(value: unknown, path: string): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) {
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  return fail(path, 'expected integer');
}

function renderFloat(value: unknown, path: string): string {
  if (typeof value === 'number') return pyFloatRepr(value);
  if (typeof value === 'bigint') return pyFloatRepr(Number(value));
  return fail(path, 'expected number');
}

function renderAny(value: unknown, top: boolean, path: string): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return top ? value : pyStrRepr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  // A JSON number lost its int/float distinction; integral values render as Python ints.
  if (typeof value === 'number') return Number.isInteger(value) ? renderInt(value, path) : pyFloatRepr(value);
  if (Array.isArray(value)) return `[${value.map((v, i) => renderAny(v, false, join(path, i))).join(', ')}]`;
  const entries = dictEntries(value);
  if (entries === null) return fail(path, 'unsupported value');
  return `{${entries.map(([k, v]) => `${renderAny(k, false, path)}: ${renderAny(v, false, join(path, String(k)))}`).join(', ')}}`;
}

function render(value: unknown, type: PyType, top: boolean, path: string): string {
  switch (type.kind) {
    case 'str':
    case 'literal':
      if (typeof value !== 'string') return fail(path, 'expected string');
      return top ? value : pyStrRepr(value);
    case 'int':
      return renderInt(value, path);
    case 'float':
      return renderFloat(value, path);
    case 'bool':
      if (typeof value !== 'boolean') return fail(path, 'expected boolean');
      return value ? 'True' : 'False';
    case 'optional':
      return value === null || value === undefined ? 'None' : render(value, type.inner, top, path);
    case 'any':
      return renderAny(value, top, path);
    case 'list': {
      if (!Array.isArray(value)) return fail(path, 'expected array');
      return `[${value.map((v, i) => render(v, type.item, false, join(path, i))).join(', ')}]`;
    }
    case 'tuple': {
      if (!Array.isArray(value) || value.length !== type.items.length) {
        return fail(path, `expected array of ${type.items.length}`);
      }
      const parts = value.map((v, i) => render(v, type.items[i]!, false, join(path, i)));
      return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    }
    case 'dict': {
      const entries = dictEntries(value);
      if (entries === null) return fail(path, 'expected object');
      const parts = entries.map(([k, v]) => {
        const key = render(k, type.key, false, path);
        return `${key}: ${render(v, type.value, false, join(path, String(k)))}`;
      });
      return `{${parts.join(', ')}}`;
    }
    case 'model': {
      const entries = dictEntries(value);
      if (entries === null) return fail(path, 'expected object');
      const map = new Map(entries);
      // model_dump() emits every declared field in declaration order, whatever order the input had.
      const parts = type.fields.map(([name, fieldType]) => {
        const v = map.get(name);
        if (v === undefined && fieldType.kind !== 'optional' && fieldType.kind !== 'any') {
          return fail(join(path, name), 'required');
        }
        return `${pyStrRepr(name)}: ${render(v, fieldType, false, join(path, name))}`;
      });
      return `{${parts.join(', ')}}`;
    }
  }
}

/**
 * CPython 3.11 `str(value)` of a value of the declared Python type (wire.md §7): strings raw at top level and quoted
 * inside containers, floats per {@link pyFloatRepr}, ints as arbitrary-precision decimals, models as dicts in
 * declaration order, dicts in iteration order (pass a `Map` to keep a received key order).
 *
 * @param value - A plain JSON-like value (numbers, bigints, strings, booleans, null, arrays, objects or Maps).
 * @param type - The declared Python type.
 * @returns The string CPython's `str()` would produce after pydantic validation and `model_dump()`.
 * @throws {BodyValidationError} when the value does not fit the declared type.
 * @example pythonStr({ a: 1 }, py.dict(py.str, py.float)) // => "{'a': 1.0}"
 */
export function pythonStr(value: unknown, type: PyType): string {
  return render(value, type, true, '');
}
