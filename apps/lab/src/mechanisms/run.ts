import { runChunking } from './chunking.js';
import { validateMechanismModel } from './config.js';
import { type MechanismResult, runDojo } from './dojo.js';

/** Run context: the seed of the run's single stream, an optional injected RNG and optional data rows. */
export interface MechanismContext {
  seed: number;
  rng?: () => number;
  data?: Array<Record<string, unknown>>;
}

/**
 * Runs a mechanism model (`model.kind` dojo or chunking, lab.md §9) for `query.n_rounds` rounds, setting weights every
 * `query.weights_every` rounds (and after the last round). Deterministic given `ctx.seed` (mulberry32 streams).
 * @param model - the YAML `model` section.
 * @param query - `{n_rounds, weights_every}` (the `rounds` query method's args).
 * @param ctx - seed, optional RNG, optional data rows (dojo: `{prompt, completions|responses}` or `{chosen, rejected}`;
 *   chunking: `{text}`); synthetic requests/documents otherwise.
 * @returns events (one per round), weights calls and the strategy report.
 * @throws {LabConfigError} DOJO_LAB_CONFIG_INVALID for an invalid model or query.
 */
export async function runMechanism(
  model: Record<string, unknown>,
  query: { n_rounds: number; weights_every: number },
  ctx: MechanismContext,
): Promise<MechanismResult> {
  const m = validateMechanismModel(model);
  const { LabConfigError } = await import('../errors.js');
  if (!Number.isInteger(query.n_rounds) || query.n_rounds < 1) {
    throw new LabConfigError(`query.method.args.n_rounds must be a positive integer, got ${query.n_rounds}`);
  }
  if (!Number.isInteger(query.weights_every) || query.weights_every < 1) {
    throw new LabConfigError(`query.method.args.weights_every must be a positive integer, got ${query.weights_every}`);
  }
  return m.kind === 'dojo' ? runDojo(m, query, ctx) : runChunking(m, query, ctx);
}
