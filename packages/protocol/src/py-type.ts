/**
 * Declared Python type of a synapse field. It drives {@link pythonStr} (a `float` field holding `1` renders `1.0`),
 * the `bt_header_input_obj_*` empty defaults and body validation.
 */
export type PyType =
  | { kind: 'str' }
  | { kind: 'int' }
  | { kind: 'float' }
  | { kind: 'bool' }
  | { kind: 'optional'; inner: PyType }
  | { kind: 'list'; item: PyType }
  | { kind: 'tuple'; items: PyType[] }
  | { kind: 'dict'; key: PyType; value: PyType }
  | {
      kind: 'model';
      name: string;
      /** Fields in declaration order (the order `model_dump()` emits them). */
      fields: ReadonlyArray<readonly [string, PyType]>;
      /** Default factories of fields that may be omitted; a field without one is required. */
      defaults?: Readonly<Record<string, () => unknown>>;
    }
  /** A `str` restricted to the given values (a Python `Literal`/str `Enum`); renders like `str`. */
  | { kind: 'literal'; values: readonly string[] }
  | { kind: 'any' };

/** Shorthand constructors for {@link PyType} values. */
export const py = {
  str: { kind: 'str' } as PyType,
  int: { kind: 'int' } as PyType,
  float: { kind: 'float' } as PyType,
  bool: { kind: 'bool' } as PyType,
  any: { kind: 'any' } as PyType,
  optional: (inner: PyType): PyType => ({ kind: 'optional', inner }),
  list: (item: PyType): PyType => ({ kind: 'list', item }),
  tuple: (...items: PyType[]): PyType => ({ kind: 'tuple', items }),
  dict: (key: PyType, value: PyType): PyType => ({ kind: 'dict', key, value }),
  literal: (...values: string[]): PyType => ({ kind: 'literal', values }),
  model: (
    name: string,
    fields: ReadonlyArray<readonly [string, PyType]>,
    defaults?: Readonly<Record<string, () => unknown>>,
  ): PyType => (defaults ? { kind: 'model', name, fields, defaults } : { kind: 'model', name, fields }),
} as const;
