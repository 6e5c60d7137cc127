import { describe, expect, it } from 'vitest';
import { JsonParseError, parseJson, parseJsonOrdered } from './json.js';
import { stringifyJson } from './stringify-json.js';

describe('parseJson / stringifyJson', () => {
  it('nonces above 2^53 round-trip as bigint', () => {
    const text = '{"dendrite":{"nonce":1732358400123456789,"port":8091}}';
    const v = parseJson(text) as { dendrite: { nonce: unknown; port: unknown } };
    expect(v.dendrite.nonce).toBe(1732358400123456789n);
    expect(v.dendrite.port).toBe(8091);
    expect(stringifyJson(v)).toBe(text);
  });

  it('safe integers stay numbers and -0 is the integer 0, -0.0 stays a negative zero float', () => {
    expect(parseJson('9007199254740991')).toBe(9007199254740991);
    expect(parseJson('9007199254740992')).toBe(9007199254740992n);
    expect(parseJson('-9007199254740992')).toBe(-9007199254740992n);
    expect(Object.is(parseJson('-0'), 0)).toBe(true);
    expect(Object.is(parseJson('-0.0'), -0)).toBe(true);
    expect(parseJson('1e400')).toBe(Number.POSITIVE_INFINITY);
  });

  it('accepts Python json.dumps non-finite literals and writes them back', () => {
    expect(parseJson('[NaN, Infinity, -Infinity]')).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(stringifyJson([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0])).toBe(
      '[NaN,Infinity,-Infinity,-0.0]',
    );
  });

  it('ordered parse keeps the received key order of integer-like keys; duplicates keep first position, last value', () => {
    const m = parseJsonOrdered('{"b": 1, "2": 2, "1": 3, "b": 4}') as Map<string, unknown>;
    expect([...m.entries()]).toEqual([
      ['b', 4],
      ['2', 2],
      ['1', 3],
    ]);
    expect(stringifyJson(m)).toBe('{"b":4,"2":2,"1":3}');
  });

  it('a __proto__ key is an own property, never a prototype', () => {
    const v = parseJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('decodes escapes like JSON.parse', () => {
    const text = String.raw`"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\ud800"`;
    expect(parseJson(text)).toBe(JSON.parse(text));
  });

  it.each([
    '',
    '{',
    '{"a" 1}',
    '{"a":1,}',
    '[1,]',
    '01',
    '1.',
    '.5',
    '"\n"',
    '"\\x"',
    'tru',
    '{"a":1} x',
    "{'a':1}",
    '"\\u12"',
  ])('rejects invalid JSON %j with JsonParseError', (text) => {
    expect(() => parseJson(text)).toThrow(JsonParseError);
  });

  it('rejects nesting deeper than 512', () => {
    expect(() => parseJson('['.repeat(600) + ']'.repeat(600))).toThrow(/nesting too deep/);
  });

  it('stringify skips undefined object values, writes null in arrays, uses toJSON', () => {
    expect(stringifyJson({ a: undefined, b: [undefined], c: new Date(0) })).toBe(
      '{"b":[null],"c":"1970-01-01T00:00:00.000Z"}',
    );
    expect(stringifyJson('\ud800')).toBe('"\\ud800"');
  });
});

describe('stringifyJson: integral doubles beyond 2^53', () => {
  it('are written as Python float literals and parse back as the same double, not a bigint', () => {
    expect(stringifyJson([2 ** 53, -47243004158706248, 1e21])).toBe(
      '[9007199254740992.0,-4.724300415870625e+16,1e+21]',
    );
    expect(parseJson(stringifyJson(-47243004158706248))).toBe(-47243004158706248);
  });
});
