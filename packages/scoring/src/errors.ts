import { DojoError, type DojoErrorOptions } from '@dojo-ts/protocol';

/** Error codes thrown by `@dojo-ts/scoring`. */
export type ScoringErrorCode =
  | 'DOJO_SCORING_INVALID_INPUT'
  | 'DOJO_SCORING_LENGTH_MISMATCH'
  | 'DOJO_SCORING_ALL_ZERO_WEIGHTS'
  | 'DOJO_SCORING_EMBEDDING_MISMATCH';

/** An argument that the math cannot accept (bad alpha, fraction, size, unknown method...). */
export class ScoringInputError extends DojoError {
  override name = 'ScoringInputError' as const;
  constructor(code: ScoringErrorCode, message: string, options: DojoErrorOptions = {}) {
    super(code, message, options);
  }
}
