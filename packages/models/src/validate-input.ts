import { ModelsError } from './errors.js';
import type { CompletionInput } from './types.js';

/** Throws DOJO_MODELS_INVALID_INPUT unless every completion has a non-empty string cid (unique) and a string text. */
export function validateCompletions(completions: readonly CompletionInput[]): void {
  const seen = new Set<string>();
  for (const c of completions) {
    if (typeof c?.cid !== 'string' || c.cid.length === 0 || typeof c.text !== 'string') {
      throw new ModelsError(
        'DOJO_MODELS_INVALID_INPUT',
        'each completion needs a non-empty string cid and a string text',
      );
    }
    if (seen.has(c.cid)) {
      throw new ModelsError('DOJO_MODELS_INVALID_INPUT', `duplicate completion cid '${c.cid}'`, {
        details: { cid: c.cid },
      });
    }
    seen.add(c.cid);
  }
}
