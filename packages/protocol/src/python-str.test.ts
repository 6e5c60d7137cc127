import { describe, expect, it } from 'vitest';
import { BodyValidationError } from './errors.js';
import { py } from './py-type.js';
import { isPyNonPrintable, pyFloatRepr, pyStrRepr, pythonStr } from './python-str.js';
import { CompletionSchema } from './synapses/models.js';

const Completion = py.model('Completion', [
  ['cid', py.str],
  ['text', py.str],
]);

describe('pythonStr: wire.md §7.1 top-level rendering', () => {
  it.each([
    ['a string is itself', 'héllo \n', py.str, 'héllo \n'],
    ['int is decimal', 4096, py.int, '4096'],
    ['big int as bigint', 123456789012345678901234567890n, py.int, '123456789012345678901234567890'],
    ['bool True', true, py.bool, 'True'],
    ['bool False', false, py.bool, 'False'],
    ['None', null, py.optional(py.int), 'None'],
    ['float field holding 1 renders 1.0', 1, py.float, '1.0'],
    ['empty list', [], py.list(py.int), '[]'],
    ['empty tuple', [], py.tuple(), '()'],
    ['one-tuple', [1], py.tuple(py.int), '(1,)'],
    ['two-tuple', [1, 2], py.tuple(py.int, py.int), '(1, 2)'],
    ['empty dict', {}, py.dict(py.str, py.int), '{}'],
  ] as const)('%s', (_rule, value, type, expected) => {
    expect(pythonStr(value, type)).toBe(expected);
  });
});

describe('pythonStr: wire.md §7.2 string repr', () => {
  it.each([
    ["a'b", `"a'b"`],
    ['a"b', `'a"b'`],
    [`a'b"c`, `'a\\'b"c'`],
    ['tab\there\nnl', `'tab\\there\\nnl'`],
    ['back\\slash', `'back\\\\slash'`],
    ['\x7f\x00', `'\\x7f\\x00'`],
    ['é😀', `'é😀'`],
    ['\u200b\u2028', `'\\u200b\\u2028'`],
    ['cr\r', `'cr\\r'`],
    ['\x85\xa0', `'\\x85\\xa0'`],
    ['\u{e0001}', `'\\U000e0001'`],
    ['\ud800', `'\\ud800'`],
    [' ', `' '`],
    ['\u3000', `'\\u3000'`],
  ])('repr(%j) is %s', (s, expected) => {
    expect(pyStrRepr(s)).toBe(expected);
    expect(pythonStr([s], py.list(py.str))).toBe(`[${expected}]`);
  });
});

describe('pythonStr: wire.md §7.3 float repr', () => {
  it.each([
    [1, '1.0'],
    [100, '100.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.5e-5, '1.5e-05'],
    [2.5e-7, '2.5e-07'],
    [1e22, '1e+22'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
    [Number.NaN, 'nan'],
    [-0, '-0.0'],
    [0, '0.0'],
    [0.1, '0.1'],
    [0.30000000000000004, '0.30000000000000004'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [9999999999999998, '9999999999999998.0'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-123.456, '-123.456'],
    [123456789.125, '123456789.125'],
  ])('repr(%d) is %s', (x, expected) => {
    expect(pyFloatRepr(x)).toBe(expected);
  });
});

describe('pythonStr: wire.md §7.4 containers', () => {
  it('list of mixed values', () => {
    expect(pythonStr([true, null, 1, 'x'], py.list(py.any))).toBe("[True, None, 1, 'x']");
    expect(pythonStr([true, null, 1, 'x'], py.tuple(py.bool, py.optional(py.int), py.float, py.str))).toBe(
      "(True, None, 1.0, 'x')",
    );
  });

  it('nested dict with list and one-tuple', () => {
    const type = py.model('M', [
      ['a', py.list(py.any)],
      ['b', py.tuple(py.int)],
    ]);
    expect(pythonStr({ a: [1, 2.5], b: [1] }, type)).toBe("{'a': [1, 2.5], 'b': (1,)}");
  });

  it('a list of Completion models renders as dicts in declaration order', () => {
    const value = [
      { text: '4', cid: 'c1' },
      { cid: 'c2', text: "it's five", extra: 'ignored' },
    ];
    expect(pythonStr(value, py.list(Completion))).toBe(
      "[{'cid': 'c1', 'text': '4'}, {'cid': 'c2', 'text': \"it's five\"}]",
    );
    expect(Object.keys(CompletionSchema.properties)).toEqual(['cid', 'text']);
  });

  it('dicts render in insertion order (Maps keep integer-like keys in place)', () => {
    const m = new Map([
      ['b', 1],
      ['2', 2],
      ['1', 3],
    ]);
    expect(pythonStr(m, py.dict(py.str, py.float))).toBe("{'b': 1.0, '2': 2.0, '1': 3.0}");
  });

  it('a value that does not fit the declared type throws BodyValidationError with its path', () => {
    expect(() => pythonStr([{ cid: 'c' }], py.list(Completion))).toThrow(BodyValidationError);
    expect(() => pythonStr([{ cid: 'c' }], py.list(Completion))).toThrow('0.text: required');
    expect(() => pythonStr('1', py.float)).toThrow('expected number');
    expect(() => pythonStr(1.5, py.int)).toThrow('expected integer');
  });
});

describe('isPyNonPrintable: CPython 3.11 table', () => {
  it('escapes code points assigned after Unicode 14 that the JS engine already prints', () => {
    // U+1ACF, U+1F7D9 and U+31350 (CJK ext. H) were assigned in Unicode 15.0: Cn for CPython 3.11.
    for (const cp of [0x1acf, 0x1f7d9, 0x31350]) expect(isPyNonPrintable(cp)).toBe(true);
    expect(pyStrRepr('\u{31350}')).toBe("'\\U00031350'");
    expect(isPyNonPrintable(0x1f600)).toBe(false);
    expect(isPyNonPrintable(0xe9)).toBe(false);
    expect(isPyNonPrintable(0xa0)).toBe(true);
  });

  it('never prints what the JS \\p{C}/\\p{Z} classes escape (the table is a superset)', () => {
    const re = /[\p{C}\p{Z}]/u;
    const missing: number[] = [];
    for (let cp = 0x80; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (re.test(String.fromCodePoint(cp)) && !isPyNonPrintable(cp)) missing.push(cp);
    }
    expect(missing).toEqual([]);
  });
});
