import type { TObject } from '@sinclair/typebox';
import { BodyValidationError } from './errors.js';
import type { PyType } from './py-type.js';
import type { Synapse, SynapseDefinition } from './synapse.js';
import { coerceBaseFields, coerceValue } from './validate.js';

/** What {@link defineSynapse} needs; `requiredFields` is derived from `fieldDefaults`. */
export interface DefineSynapseOptions {
  name: string;
  schema: TObject;
  fieldTypes: Readonly<Record<string, PyType>>;
  fieldDefaults?: Readonly<Record<string, () => unknown>>;
  requiredHashFields?: readonly string[];
  defaultTimeoutS?: number;
}

/**
 * Builds a {@link SynapseDefinition}; use it for the registered synapses and for custom ones.
 *
 * @param options - Name, schema, declared field types (in declaration order), defaults, hash fields, typical timeout.
 * @returns The definition with a validating `create`.
 * @throws {BodyValidationError} at definition time when a hash field is not a declared field.
 * @example defineSynapse({ name: 'Echo', schema: Type.Object({ text: Type.String() }), fieldTypes: { text: py.str } })
 */
export function defineSynapse<F extends object>(options: DefineSynapseOptions): SynapseDefinition<F> {
  const fieldDefaults = options.fieldDefaults ?? {};
  const requiredHashFields = options.requiredHashFields ?? [];
  for (const f of requiredHashFields) {
    if (options.fieldTypes[f] === undefined) throw new BodyValidationError(f, 'hash field is not a declared field');
  }
  const requiredFields = Object.keys(options.fieldTypes).filter((f) => fieldDefaults[f] === undefined);
  const def: SynapseDefinition<F> = {
    name: options.name,
    schema: options.schema,
    fieldTypes: options.fieldTypes,
    fieldDefaults,
    requiredFields,
    requiredHashFields,
    defaultTimeoutS: options.defaultTimeoutS ?? 12,
    create(fields) {
      const given = new Map(Object.entries(fields));
      const base = coerceBaseFields(given);
      const payload: Record<string, unknown> = {};
      for (const [field, type] of Object.entries(options.fieldTypes)) {
        const v = given.get(field);
        if (v !== undefined) payload[field] = coerceValue(v, type, field, false);
        else if (fieldDefaults[field]) payload[field] = fieldDefaults[field]();
        else throw new BodyValidationError(field, 'required');
      }
      return { name: options.name, ...base, computed_body_hash: '', ...payload } as Synapse<F>;
    },
  };
  return def;
}
