import { LabConfigError } from '../errors.js';

/** Marks a constructor argument without a default. */
export const REQUIRED = Symbol('required');

/** Declared args of a component: name → default (or {@link REQUIRED}). */
export type ArgSpec = Record<string, unknown>;

/**
 * Fills defaults and rejects undeclared args (lab.md §4.2 loader rules).
 * @param component - class name, for messages.
 * @param spec - declared args with defaults.
 * @param args - user args.
 * @returns the resolved args.
 * @throws {LabConfigError} on an undeclared or missing arg.
 */
export function resolveArgs(
  component: string,
  spec: ArgSpec,
  args: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(args)) {
    if (!(k in spec)) {
      throw new LabConfigError(
        `${component}: unknown arg "${k}". Allowed args are: ${Object.keys(spec).join(', ') || '(none)'}`,
      );
    }
  }
  for (const [k, d] of Object.entries(spec)) {
    const v = args[k];
    if (v !== undefined) out[k] = v;
    else if (d === REQUIRED) throw new LabConfigError(`${component}: missing required arg "${k}"`);
    else out[k] = d;
  }
  return out;
}

/** Reads a number arg. */
export function num(component: string, args: Record<string, unknown>, key: string): number {
  const v = args[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new LabConfigError(`${component}: arg "${key}" must be a number`);
  return v;
}
