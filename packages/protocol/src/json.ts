import { DojoError } from './errors.js';

/** Thrown by {@link parseJson} on text that is not JSON. */
export class JsonParseError extends DojoError {
  override name = 'JsonParseError';
  readonly position: number;
  constructor(reason: string, position: number) {
    super('DOJO_PROTOCOL_JSON_INVALID', `${reason} at position ${position}`, { details: { position } });
    this.position = position;
  }
}

/** Deepest nesting parseJson and stringifyJson accept. */
export const MAX_JSON_DEPTH = 512;
const MAX_DEPTH = MAX_JSON_DEPTH;
// Characters a JSON string may hold unescaped, up to the next quote, backslash or control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw control characters in strings, so the run stops at them.
const PLAIN_RUN = /[^"\\\x00-\x1f]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * Order-preserving, BigInt-safe JSON parser. Objects become plain objects (`ordered: false`) or `Map`s
 * (`ordered: true`, keeps the received key order even for integer-like keys, which plain objects reorder).
 * Like Python's `json.loads`: integer literals outside the safe range become `bigint`, `-0` is the integer 0,
 * `NaN`/`Infinity`/`-Infinity` are accepted, a duplicate key keeps its first position and its last value.
 */
class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly ordered: boolean,
  ) {}

  parse(): unknown {
    this.ws();
    const value = this.value(0);
    this.ws();
    if (this.pos !== this.text.length) this.fail('unexpected trailing data');
    return value;
  }

  private fail(reason: string): never {
    throw new JsonParseError(reason, this.pos);
  }

  private ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private literal(word: string, value: unknown): unknown {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail('unexpected token');
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case 'N':
        return this.literal('NaN', Number.NaN);
      case 'I':
        return this.literal('Infinity', Number.POSITIVE_INFINITY);
      default:
        if (c === '-' && this.text.startsWith('-Infinity', this.pos)) {
          return this.literal('-Infinity', Number.NEGATIVE_INFINITY);
        }
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end of input' : 'unexpected token');
    }
  }

  private number(): unknown {
    const re = NUMBER;
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) return this.fail('invalid number');
    this.pos = re.lastIndex;
    const raw = m[0];
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(raw);
      if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
      return BigInt(raw);
    }
    return Number(raw);
  }

  private string(): string {
    const t = this.text;
    this.pos++;
    let out = '';
    for (;;) {
      // Skip a run of ordinary characters at once; the regex engine is much faster than a charCodeAt loop.
      PLAIN_RUN.lastIndex = this.pos;
      PLAIN_RUN.test(t);
      const runEnd = PLAIN_RUN.lastIndex;
      if (runEnd > this.pos) {
        out += t.slice(this.pos, runEnd);
        this.pos = runEnd;
      }
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return out;
      }
      if (c !== 0x5c) this.fail('control character in string');
      const e = t[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const h = t.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('invalid unicode escape');
          out += String.fromCharCode(Number.parseInt(h, 16));
          this.pos += 4;
          break;
        }
        default:
          this.pos -= 1;
          this.fail('invalid escape');
      }
    }
  }

  private array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return out;
      if (c !== ',') {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  private object(depth: number): unknown {
    this.pos++;
    const map = this.ordered ? new Map<string, unknown>() : null;
    const obj: Record<string, unknown> | null = map === null ? {} : null;
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return map ?? obj;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail('expected string key');
      const key = this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.ws();
      const value = this.value(depth + 1);
      if (map) map.set(key, value);
      else setOwn(obj as Record<string, unknown>, key, value);
      this.ws();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') break;
      if (c !== ',') {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
    }
    return map ?? obj;
  }
}

/** Sets an own enumerable property; `__proto__` becomes an ordinary key instead of replacing the prototype. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else obj[key] = value;
}

/** Builds a plain object from entries without ever touching `__proto__` setters. */
export function mapToObject(map: Map<string, unknown>): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [k, v] of map) setOwn(obj, k, v);
  return obj;
}

/**
 * Parses JSON text BigInt-safely: integers outside the safe range become `bigint` (nonces above 2^53 survive).
 * Accepts Python's `NaN`/`Infinity`/`-Infinity` literals as `json.loads` does.
 *
 * @param text - JSON text.
 * @returns Plain JS values (objects, arrays, strings, numbers, bigints, booleans, null).
 * @throws {JsonParseError} on invalid JSON.
 * @example parseJson('{"nonce": 1732358400123456789}') // => { nonce: 1732358400123456789n }
 */
export function parseJson(text: string): unknown {
  return new Parser(text, false).parse();
}

/**
 * Like {@link parseJson} but objects become `Map`s in received key order (what the body hash needs).
 *
 * @param text - JSON text.
 * @returns The value with every object as a `Map<string, unknown>`.
 * @throws {JsonParseError} on invalid JSON.
 */
export function parseJsonOrdered(text: string): unknown {
  return new Parser(text, true).parse();
}
