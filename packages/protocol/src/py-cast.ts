// Python's int()/float() string casts, as bittensor's `cast_int`/`cast_float` field validators apply them to header
// strings (and to TerminalInfo values in bodies).

const INT_RE = /^[+-]?\d+(?:_\d+)*$/;
const PLAIN_DIGITS = /^\d{1,300}$/;
const PLAIN_DECIMAL = /^\d{1,300}\.\d{1,300}$/;
const DIGITS = String.raw`\d+(?:_\d+)*`;
const FLOAT_RE = new RegExp(
  String.raw`^[+-]?(?:(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?)$`,
);
const SPECIAL_RE = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Python `int(s)` for ASCII input: surrounding whitespace, an optional sign, digits with single `_` separators.
 *
 * @param s - The text.
 * @returns The integer, or `null` where Python raises `ValueError`.
 * @example parsePyInt(' 1_000 ') // => 1000n
 */
export function parsePyInt(s: string): bigint | null {
  // Plain digits (every header a dendrite writes) need no trimming or `_` removal.
  if (PLAIN_DIGITS.test(s)) return BigInt(s);
  const t = s.trim();
  if (!INT_RE.test(t)) return null;
  return BigInt(t.replace(/_/g, ''));
}

/**
 * Python `float(s)` for ASCII input: decimal or exponent forms with `_` separators, `inf`/`infinity`/`nan` in any case.
 *
 * @param s - The text.
 * @returns The number, or `null` where Python raises `ValueError`.
 * @example parsePyFloat('12.0') // => 12
 */
export function parsePyFloat(s: string): number | null {
  if (PLAIN_DECIMAL.test(s)) return Number(s);
  const t = s.trim();
  const special = SPECIAL_RE.exec(t);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!FLOAT_RE.test(t)) return null;
  return Number(t.replace(/_/g, ''));
}
